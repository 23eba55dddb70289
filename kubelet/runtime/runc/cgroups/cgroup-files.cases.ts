import t from 'tap';
import { comparePostOrder, mergePostOrder, relativeCgroupPath } from './cgroup-dirs.js';
import { parseFlatKeyed, parseSingleValue, workingSet } from './cgroup-files.js';

t.test('parseSingleValue', async (t) => {
  const cases: Array<[string, number | undefined]> = [['123\n', 123], ['0', 0], ['max\n', undefined], ['', undefined], ['-1', undefined]];
  for (const [input, want] of cases) t.equal(parseSingleValue(input), want, JSON.stringify(input));
});

t.test('parseFlatKeyed reads memory.stat, cpu.stat, memory.events, memory.oom_control', async (t) => {
  const stat = parseFlatKeyed('cache 8192\nrss 4096\ntotal_inactive_file 1024\n\nbroken line here\n');
  t.equal(stat.get('rss'), 4096);
  t.equal(stat.get('total_inactive_file'), 1024);
  t.equal(stat.size, 3);
  t.equal(parseFlatKeyed('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n').get('oom_kill'), 2);
  t.equal(parseFlatKeyed('usage_usec 1500\nuser_usec 1000\n').get('usage_usec'), 1500);
});

t.test('workingSet = usage − inactive_file, floor 0', async (t) => {
  t.equal(workingSet(1000, 300), 700);
  t.equal(workingSet(100, 300), 0);
  t.equal(workingSet(0, 0), 0);
});

t.test('post-order merge: descendants before ancestors, one entry per path', async (t) => {
  t.same(mergePostOrder([['a/b', 'a'], ['a/c', 'a', 'a0'], ['a/b/d', 'a/b', 'a']]), ['a/b/d', 'a/b', 'a/c', 'a', 'a0']);
  t.ok(comparePostOrder('x/y', 'x') < 0);
  t.ok(comparePostOrder('x', 'x/y') > 0);
  t.equal(comparePostOrder('x', 'x'), 0);
});

t.test('relativeCgroupPath', async (t) => {
  t.equal(relativeCgroupPath('/k8ts-ab/pod1/c'), 'k8ts-ab/pod1/c');
  t.equal(relativeCgroupPath('/'), '');
  t.throws(() => relativeCgroupPath('/k8ts/../etc'));
});
