import { appendFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { formatCriLogLine } from './cri-log-format.js';
import { readContainerLog, type ContainerLogOptions } from './read-container-log.js';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const at = (s: number) => T0 + s * 1000;
const stamp = (s: number) => new Date(at(s)).toISOString().replace('Z', '000000Z');

/** a Writable that keeps what it is given */
function collector(): Writable & { text(): string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8') });
}

/**
 * The log used by the table: one rotated part (oldest first) and the live file.
 *   part:  s0 "one", s1 "two" (split P+F across records), s2 "three" (stderr)
 *   live:  s3 "four", s4 "fi"+"ve" (P then F), s5 "six"
 */
async function fixture(dir: string): Promise<string> {
  const live = join(dir, '0.log');
  await writeFile(join(dir, '0.log.20261124-115959'), [
    formatCriLogLine(at(0), 'stdout', 'one'),
    formatCriLogLine(at(1), 'stdout', 't', true),
    formatCriLogLine(at(1.5), 'stdout', 'wo'),
    formatCriLogLine(at(2), 'stderr', 'three'),
  ].join(''));
  await writeFile(join(dir, '0.log.garbage'), 'not a part\n');
  await writeFile(live, [
    formatCriLogLine(at(3), 'stdout', 'four'),
    'a malformed record\n',
    formatCriLogLine(at(4), 'stdout', 'fi', true),
    formatCriLogLine(at(4.5), 'stdout', 've'),
    formatCriLogLine(at(5), 'stdout', 'six'),
  ].join(''));
  return live;
}

t.test('reading what is on disk', async (t) => {
  const dir = t.testdir();
  const live = await fixture(dir);
  // [name, options, output]
  const cases: Array<[string, ContainerLogOptions, string]> = [
    ['everything, rotated part first, partial records joined', {}, 'one\ntwo\nthree\nfour\nfive\nsix\n'],
    ['tail spans the rotation', { tailLines: 4 }, 'three\nfour\nfive\nsix\n'],
    ['tail more than there is', { tailLines: 100 }, 'one\ntwo\nthree\nfour\nfive\nsix\n'],
    ['tail 0', { tailLines: 0 }, ''],
    ['timestamps: the first part of a joined line', { tailLines: 2, timestamps: true }, `${stamp(4)} five\n${stamp(5)} six\n`],
    ['since: at or after the instant', { sinceMs: at(2) }, 'three\nfour\nfive\nsix\n'],
    ['since between records', { sinceMs: at(3) + 0.5 }, 'five\nsix\n'],
    ['tail then since (kube order)', { tailLines: 3, sinceMs: at(5) }, 'six\n'],
    ['limitBytes cuts mid-line', { limitBytes: 10 }, 'one\ntwo\nth'],
    ['limitBytes with tail', { tailLines: 1, limitBytes: 100 }, 'six\n'],
    ['follow on a stopped container ends after the content', { follow: true, tailLines: 1 }, 'six\n'],
  ];
  for (const [name, options, want] of cases) {
    const out = collector();
    await readContainerLog(live, options, out, { isRunning: async () => false, pollIntervalMs: 5 });
    t.equal(out.text(), want, name);
  }
});

t.test('a missing log reads as empty; a trailing P is flushed without a newline', async (t) => {
  const dir = t.testdir();
  let out = collector();
  await readContainerLog(join(dir, 'nope.log'), {}, out);
  t.equal(out.text(), '');
  const live = join(dir, '1.log');
  await writeFile(live, formatCriLogLine(at(0), 'stdout', 'a') + formatCriLogLine(at(1), 'stdout', 'unfinished', true));
  out = collector();
  await readContainerLog(live, {}, out);
  t.equal(out.text(), 'a\nunfinished');
});

/** wait (briefly, real time) until `cond` holds */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

t.test('follow: streams appended lines, crosses a rotation, ends when the container stops', async (t) => {
  const dir = t.testdir();
  const live = join(dir, '0.log');
  await writeFile(live, formatCriLogLine(at(0), 'stdout', 'first'));
  let running = true;
  const out = collector();
  const done = readContainerLog(live, { follow: true }, out, { isRunning: async () => running, pollIntervalMs: 5 });
  await until(() => out.text() === 'first\n', 'the first line');

  await appendFile(live, formatCriLogLine(at(1), 'stdout', 'sec', true));
  await appendFile(live, formatCriLogLine(at(1), 'stdout', 'ond'));
  await until(() => out.text() === 'first\nsecond\n', 'the appended line');

  // rotation: the old file gets one more line after the rename, then the runtime reopens
  await rename(live, `${live}.20261124-120001`);
  await appendFile(`${live}.20261124-120001`, formatCriLogLine(at(2), 'stdout', 'late in the old file'));
  await writeFile(live, formatCriLogLine(at(3), 'stdout', 'in the new file'));
  await until(() => out.text().endsWith('in the new file\n'), 'the new file');
  t.equal(out.text(), 'first\nsecond\nlate in the old file\nin the new file\n');

  await appendFile(live, formatCriLogLine(at(4), 'stderr', 'last words'));
  running = false;
  await done;
  t.equal(out.text(), 'first\nsecond\nlate in the old file\nin the new file\nlast words\n');
});

t.test('follow: aborting the signal ends the stream; limitBytes ends a follow', async (t) => {
  const dir = t.testdir();
  const live = join(dir, '0.log');
  await writeFile(live, formatCriLogLine(at(0), 'stdout', 'hello'));
  const abort = new AbortController();
  const out = collector();
  const done = readContainerLog(live, { follow: true }, out, { isRunning: async () => true, pollIntervalMs: 5, signal: abort.signal });
  await until(() => out.text() === 'hello\n', 'hello');
  abort.abort();
  await done;

  const limited = collector();
  const ended = readContainerLog(live, { follow: true, limitBytes: 9 }, limited, { isRunning: async () => true, pollIntervalMs: 5 });
  await appendFile(live, formatCriLogLine(at(1), 'stdout', 'world'));
  await ended;
  t.equal(limited.text(), 'hello\nwor');
});

t.test('follow: lines that land just after the exit is reported are still streamed', async (t) => {
  const dir = t.testdir();
  const live = join(dir, '0.log');
  await writeFile(live, formatCriLogLine(at(0), 'stdout', 'early'));
  let running = true;
  let late: Promise<void> | undefined;
  const isRunning = async () => {
    // the runtime says "exited" before its last write is on disk (as the simulated one can)
    if (!running && !late) late = new Promise((resolve) => setTimeout(() => void appendFile(live, formatCriLogLine(at(1), 'stdout', 'late')).then(resolve), 20));
    return running;
  };
  const out = collector();
  const done = readContainerLog(live, { follow: true }, out, { isRunning, pollIntervalMs: 5, exitSettleMs: 400 });
  await until(() => out.text() === 'early\n', 'the first line');
  running = false;
  await done;
  await late;
  t.equal(out.text(), 'early\nlate\n', 'the late line is there, once');
});

t.test('a rotation between listing the parts and opening the live file loses nothing', async (t) => {
  const dir = t.testdir();
  const live = join(dir, '0.log');
  await writeFile(join(dir, '0.log.20261124-115959'), formatCriLogLine(at(0), 'stdout', 'in the old part'));
  await writeFile(live, formatCriLogLine(at(1), 'stdout', 'was live when listed'));
  // an output that holds the reader after the first part (write says "full" until released),
  // so the test can rotate exactly between the listing and the open of the live file
  const chunks: string[] = [];
  let release: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      if (chunks.length === 1) void held.then(() => callback());
      else callback();
    },
  });
  const done = readContainerLog(live, {}, out);
  await until(() => chunks.length === 1, 'the old part written');
  await rename(live, `${live}.20261124-120001`);
  await writeFile(live, formatCriLogLine(at(2), 'stdout', 'in the new live file'));
  release!();
  await done;
  t.equal(chunks.join(''), 'in the old part\nwas live when listed\nin the new live file\n');
});
