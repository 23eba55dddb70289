/**
 * Both drivers against FAKE cgroup trees in a temp dir (real cgroupfs dirs can only be
 * created by the kernel, so rmdir/stat behave like plain dirs here; the host cases cover
 * the real v1 tree).
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { detectCgroupDriver, detectCgroupMode } from './cgroup-mode.js';

const P = '/k8ts-test/pod1/c1';

t.test('v1: stats from memory/, cpuacct/, pids/; remove everywhere; listUnder', async (t) => {
  const root = t.testdir({
    memory: { 'k8ts-test': { pod1: { c1: {
      'memory.usage_in_bytes': '10000\n',
      'memory.stat': 'cache 5000\nrss 3000\ntotal_cache 5000\ntotal_rss 3500\ntotal_inactive_file 4000\n',
      'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
    }, c2: {} } } },
    'cpu,cpuacct': { 'k8ts-test': { pod1: { c1: { 'cpuacct.usage': '123456789\n' } } } },
    pids: { 'k8ts-test': { pod1: { c1: { 'pids.current': '3\n' } } } },
    systemd: { 'k8ts-test': { pod1: { c1: {} } } },
    unified: { 'k8ts-test': { pod1: { c1: {}, c3: {} } } },
  });
  await symlink('cpu,cpuacct', join(root, 'cpuacct'));
  await symlink('cpu,cpuacct', join(root, 'cpu'));
  t.equal(await detectCgroupMode(root), 'v1');
  const driver = await detectCgroupDriver(root, { removeAttempts: 1 });
  t.equal(driver.mode, 'v1');
  t.same(await driver.stats(P), { cpuUsageNanos: 123456789, memoryUsageBytes: 10000, workingSetBytes: 6000, rssBytes: 3500, oomKills: 2, pids: 3 });
  t.equal(await driver.oomKills(P), 2);
  t.equal(await driver.stats('/k8ts-test/nope'), undefined);
  t.equal(await driver.oomKills('/k8ts-test/nope'), 0);
  t.same(await driver.listUnder('/k8ts-test'), ['/k8ts-test/pod1/c1', '/k8ts-test/pod1/c2', '/k8ts-test/pod1/c3', '/k8ts-test/pod1']);
  // files inside make a plain dir non-removable: empty the fake leaves first (the kernel's files vanish with rmdir)
  for (const dir of ['memory', 'cpu,cpuacct', 'pids']) await import('node:fs/promises').then((fs) => fs.rm(join(root, dir, 'k8ts-test/pod1/c1'), { recursive: true }).then(() => mkdir(join(root, dir, 'k8ts-test/pod1/c1'))));
  await driver.remove(P);
  for (const dir of ['memory', 'cpu,cpuacct', 'pids', 'systemd', 'unified']) t.notOk(existsSync(join(root, dir, 'k8ts-test/pod1/c1')), `${dir} leaf removed`);
  t.ok(existsSync(join(root, 'memory/k8ts-test/pod1/c2')), 'only that cgroup');
  await driver.remove(P); // absent = fine
  await t.rejects(driver.remove('/k8ts-test/pod1'), { code: 'Internal' }, 'a parent with children is refused (after retries)');
  await driver.remove('/'); // never the roots
  t.ok(existsSync(join(root, 'memory')));
});

t.test('v2: stats from the unified files; remove; listUnder', async (t) => {
  const root = t.testdir({
    'cgroup.controllers': 'cpu memory pids\n',
    'k8ts-test': { pod1: {
      c1: {
        'memory.current': '8192\n',
        'memory.stat': 'anon 2048\nfile 6000\ninactive_file 10000\n',
        'cpu.stat': 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n',
        'memory.events': 'low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n',
        'pids.current': '2\n',
      },
      c2: { sub: {} },
    } },
  });
  t.equal(await detectCgroupMode(root), 'v2');
  const driver = await detectCgroupDriver(root, { removeAttempts: 2, sleep: async () => undefined });
  t.equal(driver.mode, 'v2');
  t.same(await driver.stats(P), { cpuUsageNanos: 1_500_000, memoryUsageBytes: 8192, workingSetBytes: 0, rssBytes: 2048, oomKills: 1, pids: 2 });
  t.equal(await driver.stats('/k8ts-test/none'), undefined);
  t.same(await driver.listUnder('/k8ts-test'), ['/k8ts-test/pod1/c1', '/k8ts-test/pod1/c2/sub', '/k8ts-test/pod1/c2', '/k8ts-test/pod1']);
  for (const path of await driver.listUnder('/k8ts-test/pod1/c2')) await driver.remove(path);
  await driver.remove('/k8ts-test/pod1/c2');
  t.notOk(existsSync(join(root, 'k8ts-test/pod1/c2')));
  t.ok(existsSync(join(root, 'k8ts-test/pod1/c1')));
});
