/**
 * Container lifecycles scripted by sim.k8ts.io/* annotations, checked on a FakeClock at
 * chosen instants: start delay, run time, exit code and reason, per-container overrides,
 * the init/sidecar defaults, and malformed values falling back to defaults.
 */
import t from 'tap';
import type { ContainerType } from '../../cri/labels.js';
import { createPod, startTestRuntime, stateOf } from './test-support.js';

interface Checkpoint {
  atMs: number;
  container: string;
  state: string;
  exitCode?: number;
  reason?: string;
  startedAtMs?: number;
  finishedAtMs?: number;
}

const cases: Array<{ name: string; annotations: Record<string, string>; containers: Array<{ name: string; type?: ContainerType }>; expect: Checkpoint[] }> = [
  {
    name: 'a regular container runs until stopped',
    annotations: {},
    containers: [{ name: 'app' }],
    expect: [
      { atMs: 0, container: 'app', state: 'CONTAINER_RUNNING', startedAtMs: 0 },
      { atMs: 3_600_000, container: 'app', state: 'CONTAINER_RUNNING' },
    ],
  },
  {
    name: 'start-ms delays RUNNING',
    annotations: { 'sim.k8ts.io/start-ms': '100' },
    containers: [{ name: 'app' }],
    expect: [
      { atMs: 99, container: 'app', state: 'CONTAINER_CREATED' },
      { atMs: 100, container: 'app', state: 'CONTAINER_RUNNING', startedAtMs: 100 },
    ],
  },
  {
    name: 'run-ms then exit 0 is Completed',
    annotations: { 'sim.k8ts.io/run-ms': '500' },
    containers: [{ name: 'job' }],
    expect: [
      { atMs: 499, container: 'job', state: 'CONTAINER_RUNNING' },
      { atMs: 500, container: 'job', state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed', finishedAtMs: 500 },
    ],
  },
  {
    name: 'exit-code is reported with reason Error',
    annotations: { 'sim.k8ts.io/start-ms': '10', 'sim.k8ts.io/run-ms': '50', 'sim.k8ts.io/exit-code': '3' },
    containers: [{ name: 'job' }],
    expect: [{ atMs: 60, container: 'job', state: 'CONTAINER_EXITED', exitCode: 3, reason: 'Error', startedAtMs: 10, finishedAtMs: 60 }],
  },
  {
    name: 'a per-container key overrides the pod-wide one',
    annotations: { 'sim.k8ts.io/run-ms': '1000', 'sim.k8ts.io/run-ms.b': '200', 'sim.k8ts.io/exit-code.b': '1' },
    containers: [{ name: 'a' }, { name: 'b' }],
    expect: [
      { atMs: 200, container: 'b', state: 'CONTAINER_EXITED', exitCode: 1, reason: 'Error' },
      { atMs: 200, container: 'a', state: 'CONTAINER_RUNNING' },
      { atMs: 1000, container: 'a', state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' },
    ],
  },
  {
    name: 'an init container finishes at once by default',
    annotations: {},
    containers: [{ name: 'init', type: 'init' }],
    expect: [{ atMs: 0, container: 'init', state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed', startedAtMs: 0, finishedAtMs: 0 }],
  },
  {
    name: 'an init container honours run-ms',
    annotations: { 'sim.k8ts.io/run-ms.init': '300' },
    containers: [{ name: 'init', type: 'init' }],
    expect: [
      { atMs: 299, container: 'init', state: 'CONTAINER_RUNNING' },
      { atMs: 300, container: 'init', state: 'CONTAINER_EXITED', exitCode: 0 },
    ],
  },
  {
    name: 'a sidecar runs on like a regular container',
    annotations: {},
    containers: [{ name: 'proxy', type: 'sidecar' }],
    expect: [{ atMs: 60_000, container: 'proxy', state: 'CONTAINER_RUNNING' }],
  },
  {
    name: 'malformed values fall back to the defaults',
    annotations: { 'sim.k8ts.io/start-ms': 'soon', 'sim.k8ts.io/run-ms': '-5', 'sim.k8ts.io/exit-code': '300' },
    containers: [{ name: 'app' }],
    expect: [{ atMs: 10_000, container: 'app', state: 'CONTAINER_RUNNING', startedAtMs: 0 }],
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const { runtime, clock } = await startTestRuntime();
    t.teardown(() => runtime.close());
    const t0 = clock.now();
    const pod = await createPod(runtime, { annotations: c.annotations }, c.containers);
    const starts = pod.ids.map((containerId) => runtime.startContainer({ containerId }));
    const idOf = (name: string) => pod.ids[c.containers.findIndex((x) => x.name === name)]!;
    for (const point of c.expect) {
      await clock.advance(t0 + point.atMs - clock.now());
      const status = await stateOf(runtime, idOf(point.container));
      const where = `${point.container} at ${point.atMs} ms`;
      t.equal(status.state, point.state, `${where}: state`);
      if (point.exitCode !== undefined) t.equal(status.exitCode, point.exitCode, `${where}: exit code`);
      if (point.reason !== undefined) t.equal(status.reason, point.reason, `${where}: reason`);
      if (point.startedAtMs !== undefined) t.equal(status.startedAt, (t0 + point.startedAtMs) * 1e6, `${where}: startedAt`);
      if (point.finishedAtMs !== undefined) t.equal(status.finishedAt, (t0 + point.finishedAtMs) * 1e6, `${where}: finishedAt`);
    }
    await Promise.all(starts);
  });
}

t.test('startContainer resolves only once the container is running', async (t) => {
  const { runtime, clock } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const pod = await createPod(runtime, { annotations: { 'sim.k8ts.io/start-ms': '1000' } }, [{ name: 'app' }]);
  let started = false;
  const start = runtime.startContainer({ containerId: pod.ids[0]! }).then(() => (started = true));
  await clock.advance(999);
  t.notOk(started, 'still starting');
  await t.rejects(runtime.startContainer({ containerId: pod.ids[0]! }), { code: 'FailedPrecondition' }, 'a second start is refused');
  await clock.advance(1);
  await start;
  t.ok(started);
  t.equal((await stateOf(runtime, pod.ids[0]!)).state, 'CONTAINER_RUNNING');
  await t.rejects(runtime.startContainer({ containerId: pod.ids[0]! }), { code: 'FailedPrecondition' }, 'a running container cannot start again');
});

t.test('status reports what the container was created with', async (t) => {
  const { runtime } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const pod = await createPod(runtime, { logRoot: '/var/log/k8ts' }, [{ name: 'app' }]);
  const status = await stateOf(runtime, pod.ids[0]!);
  t.equal(status.state, 'CONTAINER_CREATED');
  t.same(status.metadata, { name: 'app', attempt: 0 });
  t.equal(status.startedAt, 0);
  t.equal(status.finishedAt, 0);
  t.match(status.imageRef, /^sha256:[0-9a-f]{64}$/);
  t.equal(status.logPath, '/var/log/k8ts/pods/default_web_uid-web/app/0.log');
  t.equal(status.labels['io.kubernetes.container.name'], 'app');
  t.equal(status.annotations['k8ts.io/container-type'], 'regular');
});

t.test('version, status, exec, close', async (t) => {
  const { runtime, clock } = await startTestRuntime();
  t.same(await runtime.version({ version: 'v1' }), { version: '0.1.0', runtimeName: 'k8ts-simulated', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' });
  const { status } = await runtime.status({ verbose: false });
  t.same(
    status.conditions.map((c) => [c.type, c.status]),
    [
      ['RuntimeReady', true],
      ['NetworkReady', true],
    ],
  );
  const pod = await createPod(runtime, { annotations: { 'sim.k8ts.io/start-ms': '100', 'sim.k8ts.io/pull-ms': '100' } }, [{ name: 'app' }]);
  await t.rejects(runtime.execSync({ containerId: pod.ids[0]!, cmd: ['ls'], timeout: 0 }), { code: 'Unimplemented', message: 'exec is not supported by the simulated runtime' });
  const start = runtime.startContainer({ containerId: pod.ids[0]! });
  const pull = runtime.pullImage({ image: { image: 'nginx' }, sandboxConfig: pod.config });
  t.equal(clock.pending, 2, 'one start timer, one pull timer');
  await runtime.close();
  t.equal(clock.pending, 0, 'close cancels every timer');
  await t.rejects(start, { code: 'Unavailable' }, 'a pending start fails');
  await t.rejects(pull, { code: 'Unavailable' }, 'a pending pull fails');
  await t.rejects(runtime.version({ version: 'v1' }), { code: 'Unavailable' });
});
