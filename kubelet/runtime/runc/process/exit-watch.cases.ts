import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { FakeClock } from '../../../../client/clock.js';
import { parseExitCode, readExitCode, waitForExit, wasOomKilled } from './exit-watch.js';

t.test('parseExitCode', async (t) => {
  const cases: Array<[string, number | undefined]> = [['0', 0], ['137\n', 137], [' 3 ', 3], ['', undefined], ['abc', undefined], ['-1', -1]];
  for (const [input, want] of cases) t.equal(parseExitCode(input), want, JSON.stringify(input));
});

t.test('readExitCode and wasOomKilled read conmon files', async (t) => {
  const dir = t.testdir({ exits: { c1: '42' }, persist: { oom: '' }, clean: {} });
  t.equal(await readExitCode(join(dir, 'exits'), 'c1'), 42);
  t.equal(await readExitCode(join(dir, 'exits'), 'c2'), undefined);
  t.equal(await wasOomKilled(join(dir, 'persist')), true);
  t.equal(await wasOomKilled(join(dir, 'clean')), false);
  t.equal(await wasOomKilled(join(dir, 'nope')), false);
});

t.test('waitForExit sees a file written later (watch), and an existing one at once', async (t) => {
  const dir = t.testdir({ early: '9' });
  t.equal(await waitForExit(dir, 'early', { pollMs: 60_000 }), 9);
  const pending = waitForExit(dir, 'late', { pollMs: 60_000 }); // only the watch can see it
  await new Promise((r) => setTimeout(r, 20));
  await writeFile(join(dir, '.tmp'), '137');
  await rename(join(dir, '.tmp'), join(dir, 'late')); // conmon writes atomically like this
  t.equal(await pending, 137);
});

t.test('waitForExit falls back to polling (driven by the clock) and times out with undefined', async (t) => {
  const dir = join(t.testdir(), 'not-yet'); // the dir does not exist: no watch possible
  const clock = new FakeClock();
  const pending = waitForExit(dir, 'c', { pollMs: 100, timeoutMs: 1000, clock });
  await mkdir(dir);
  await writeFile(join(dir, 'c'), '5');
  clock.step(100);
  t.equal(await pending, 5);
  const timesOut = waitForExit(dir, 'never', { pollMs: 100, timeoutMs: 1000, clock });
  clock.step(1000);
  t.equal(await timesOut, undefined);
  const controller = new AbortController();
  const aborted = waitForExit(dir, 'never', { signal: controller.signal, clock });
  controller.abort();
  t.equal(await aborted, undefined);
});
