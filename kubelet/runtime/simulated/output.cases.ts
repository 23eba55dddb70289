/**
 * What simulated containers leave on disk: CRI-format log records at the kubelet's log
 * path (default line, custom lines, lines on exit, long lines split into partials), the
 * termination message on the termination-log mount, and reopenContainerLog after rotation.
 */
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseCriLogLine } from '../../logs/cri-log-format.js';
import { withFileWriteSlot } from './file-write-limiter.js';
import { createPod, startTestRuntime, stateOf } from './test-support.js';

const readRecords = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => parseCriLogLine(line));

t.test('logs', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'k8ts-sim-logs-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));

  const cases: Array<{ name: string; annotations: Record<string, string>; exitAfterMs?: number; expect: Array<{ stream: string; line: string; partial?: boolean }> }> = [
    { name: 'default', annotations: {}, expect: [{ stream: 'stdout', line: 'k8ts simulated container app of pod default/default started' }] },
    { name: 'custom', annotations: { 'sim.k8ts.io/logs': 'one\ntwo\n' }, expect: [{ stream: 'stdout', line: 'one' }, { stream: 'stdout', line: 'two' }] },
    { name: 'silent', annotations: { 'sim.k8ts.io/logs': '' }, expect: [] },
    {
      name: 'on exit, to stderr for a failure',
      annotations: { 'sim.k8ts.io/logs': 'hello', 'sim.k8ts.io/logs-on-exit': 'boom', 'sim.k8ts.io/run-ms': '10', 'sim.k8ts.io/exit-code': '1' },
      exitAfterMs: 10,
      expect: [{ stream: 'stdout', line: 'hello' }, { stream: 'stderr', line: 'boom' }],
    },
    {
      name: 'a ticker prints a line per period while running',
      annotations: { 'sim.k8ts.io/logs': 'go', 'sim.k8ts.io/log-every-ms': '100' },
      exitAfterMs: 350,
      expect: [{ stream: 'stdout', line: 'go' }, { stream: 'stdout', line: 'tick 1' }, { stream: 'stdout', line: 'tick 2' }, { stream: 'stdout', line: 'tick 3' }],
    },
    {
      name: 'a long line is split into partial records',
      annotations: { 'sim.k8ts.io/logs': 'x'.repeat(16 * 1024 + 5) },
      expect: [{ stream: 'stdout', line: 'x'.repeat(16 * 1024), partial: true }, { stream: 'stdout', line: 'xxxxx', partial: false }],
    },
  ];
  for (const c of cases) {
    const { runtime, clock } = await startTestRuntime();
    const pod = await createPod(runtime, { name: c.name.replace(/\W+/g, '-'), annotations: c.annotations, logRoot: root }, [{ name: 'app' }]);
    const containerId = pod.ids[0]!;
    await runtime.startContainer({ containerId });
    if (c.exitAfterMs) await clock.advance(c.exitAfterMs);
    await runtime.stopContainer({ containerId, timeout: 0 }); // resolves once the exit output is written
    const status = await stateOf(runtime, containerId);
    const expected = c.expect;
    if (expected.length === 0) {
      await t.rejects(readFile(status.logPath), { code: 'ENOENT' }, `${c.name}: no log file`);
    } else {
      const records = await readRecords(status.logPath);
      t.same(
        records.map((r) => ({ stream: r?.stream, line: r?.line, ...(expected.some((e) => 'partial' in e) ? { partial: r?.partial } : {}) })),
        expected,
        c.name,
      );
      t.equal(records[0]?.time, new Date(status.startedAt / 1e6).toISOString().replace('Z', '000000Z'), `${c.name}: stamped with the start time`);
    }
    await runtime.close();
  }
});

t.test('the termination message lands on the termination-log mount', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'k8ts-sim-termination-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const { runtime, clock } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const hostPath = join(root, 'containers', 'app', 'abc');
  const annotations = { 'sim.k8ts.io/termination-message.app': 'database unreachable', 'sim.k8ts.io/run-ms': '100', 'sim.k8ts.io/exit-code': '1' };
  const pod = await createPod(runtime, { annotations }, [
    { name: 'app', mounts: [{ containerPath: '/dev/termination-log', hostPath, readonly: false }] },
    { name: 'other', mounts: [{ containerPath: '/dev/termination-log', hostPath: join(root, 'other'), readonly: false }] },
  ]);
  for (const containerId of pod.ids) await runtime.startContainer({ containerId });
  await clock.advance(100);
  await runtime.stopContainer({ containerId: pod.ids[0]!, timeout: 0 }); // waits for the exit output
  await runtime.stopContainer({ containerId: pod.ids[1]!, timeout: 0 });
  t.equal(await readFile(hostPath, 'utf8'), 'database unreachable');
  await t.rejects(readFile(join(root, 'other')), { code: 'ENOENT' }, 'only the container the annotation names');
});

t.test('reopenContainerLog: after rotation the next write recreates the file', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'k8ts-sim-reopen-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const { runtime, clock } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const pod = await createPod(runtime, { annotations: { 'sim.k8ts.io/logs-on-exit': 'bye', 'sim.k8ts.io/run-ms': '1000' }, logRoot: root }, [{ name: 'app' }]);
  const containerId = pod.ids[0]!;
  await runtime.startContainer({ containerId });
  const { logPath } = await stateOf(runtime, containerId);
  await rename(logPath, `${logPath}.20260101-000000`);
  await runtime.reopenContainerLog({ containerId });
  await clock.advance(1000);
  await runtime.stopContainer({ containerId, timeout: 0 });
  t.same((await readRecords(logPath)).map((r) => r?.line), ['bye']);
  await t.rejects(runtime.reopenContainerLog({ containerId }), { code: 'FailedPrecondition' }, 'not running any more');
});

t.test('file writes in flight are capped, waiters served in order, failures free their slot', async (t) => {
  let inFlight = 0;
  let peak = 0;
  const finished: number[] = [];
  const releases: Array<() => void> = [];
  const writes = Array.from({ length: 200 }, (_, i) =>
    withFileWriteSlot(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => releases.push(resolve));
      inFlight--;
      finished.push(i);
      if (i % 7 === 0) throw new Error(`write ${i} failed`);
    }).catch(() => undefined),
  );
  while (finished.length < 200) {
    await new Promise((resolve) => setImmediate(resolve));
    releases.splice(0).forEach((release) => release());
  }
  await Promise.all(writes);
  t.equal(peak, 64, 'never more than 64 at once');
  t.same(finished, Array.from({ length: 200 }, (_, i) => i), 'first come, first served');
});
