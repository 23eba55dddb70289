/**
 * The pod workers end to end against the simulated runtime, the real prober and status
 * function, with a FakeClock: a pod runs, init containers run in order, restart policies,
 * CrashLoopBackOff timing, liveness restarts, graceful deletion and image pull failures.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { createProberManager } from '../prober/prober-manager.js';
import { kubeletSettings } from '../settings.js';
import { computePodStatus } from '../status/compute-pod-status.js';
import { createPodManager } from './pod-manager.js';
import { makePod, startHarness, type Harness } from './testing/pod-manager-harness.js';

const harness = (t: Test, settings = {}): Harness => {
  const h = startHarness({ logRoot: t.testdir(), settings });
  t.teardown(() => h.stop());
  return h;
};

t.test('a pod runs: sandbox, image, Created/Started, status Running with the pod IP', async (t) => {
  const h = harness(t);
  const pod = makePod('web');
  await h.submit(pod);
  t.same(h.recorder.lines().filter((l) => !l.startsWith('Pulled') && !l.startsWith('Pulling')), ['Created: Created container: main', 'Started: Started container main']);
  t.match(h.recorder.lines('Pulled')[0] ?? h.recorder.lines('Pulling')[0], /image "busybox:1.36"/);
  const status = h.status('web');
  t.equal(status.phase, 'Running');
  t.match(status.podIP, /^10\.244\.1\.\d+$/);
  t.equal(status.hostIP, '192.168.0.10');
  t.match(status.containerStatuses?.[0], { name: 'main', ready: true, restartCount: 0, state: { running: {} } });
  t.match(status.containerStatuses?.[0]?.containerID, /^sim:\/\//);
  const sandbox = h.calls.find((c) => c.method === 'runPodSandbox')?.req as { config: { metadata: unknown; hostname: string; logDirectory: string } };
  t.same(sandbox.config.metadata, { name: 'web', uid: pod.metadata!.uid, namespace: 'default', attempt: 0 });
  t.equal(sandbox.config.hostname, 'web');
  t.match(sandbox.config.logDirectory, `pods/default_web_${pod.metadata!.uid}`);
  // quiet: nothing more is written while nothing changes
  const patches = h.client.statusPatches.length;
  await h.tick(3000);
  t.equal(h.client.statusPatches.length, patches, 'no status write without a change');
});

const createdNames = (h: Harness): string[] => h.calls.filter((c) => c.method === 'createContainer').map((c) => (c.req as { config: { metadata: { name: string } } }).config.metadata.name);

t.test('init containers run in order, each after the previous exited 0; a sidecar keeps running', async (t) => {
  const h = harness(t);
  const pod = makePod(
    'init',
    {
      initContainers: [
        { name: 'first', image: 'busybox:1.36' },
        { name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always' },
        { name: 'second', image: 'busybox:1.36' },
      ],
    },
    { 'sim.k8ts.io/run-ms.first': '2000' },
  );
  await h.submit(pod);
  t.same(createdNames(h), ['first'], 'only the first init container while it runs');
  t.equal(h.status('init').phase, 'Pending');
  t.match(h.status('init').containerStatuses?.[0]?.state?.waiting, { reason: 'PodInitializing' });
  await h.tick(3000);
  t.same(createdNames(h), ['first', 'proxy', 'second', 'main']);
  const status = h.status('init');
  t.equal(status.phase, 'Running');
  t.match(status.initContainerStatuses, [
    { name: 'first', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    { name: 'proxy', state: { running: {} }, started: true },
    { name: 'second', state: { terminated: { exitCode: 0 } } },
  ]);
  t.same(
    h.recorder.lines('Started'),
    ['Started container first', 'Started container proxy', 'Started container second', 'Started container main'].map((m) => `Started: ${m}`),
  );
});

t.test('restartPolicy Never and exit 1: Failed, no restart, sandbox stopped', async (t) => {
  const h = harness(t);
  await h.submit(makePod('never', { restartPolicy: 'Never' }, { 'sim.k8ts.io/run-ms': '500', 'sim.k8ts.io/exit-code': '1' }));
  t.equal(h.status('never').phase, 'Running');
  await h.tick(5000);
  const status = h.status('never');
  t.equal(status.phase, 'Failed');
  t.match(status.containerStatuses?.[0], { restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } });
  t.same(createdNames(h), ['main']);
  t.ok(h.calls.some((c) => c.method === 'stopPodSandbox'), 'the sandbox of a finished pod is stopped');
  t.equal(status.podIP !== undefined, true, 'the pod IP stays in the status');
});

t.test('restartPolicy Never and a failing init container: Failed, main never starts', async (t) => {
  const h = harness(t);
  await h.submit(makePod('initfail', { restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox:1.36' }] }, { 'sim.k8ts.io/exit-code.setup': '1' }));
  await h.tick(2000);
  t.equal(h.status('initfail').phase, 'Failed');
  t.same(createdNames(h), ['setup']);
});

t.test('restartPolicy OnFailure and exit 0: Succeeded', async (t) => {
  const h = harness(t);
  await h.submit(makePod('job', { restartPolicy: 'OnFailure' }, { 'sim.k8ts.io/run-ms': '500' }));
  await h.tick(3000);
  const status = h.status('job');
  t.equal(status.phase, 'Succeeded');
  t.match(status.containerStatuses?.[0], { restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
  t.same(createdNames(h), ['main']);
});

t.test('exit 1 under Always: CrashLoopBackOff with delays of 10s, 20s, 40s', async (t) => {
  const h = harness(t);
  const pod = makePod('crash', {}, { 'sim.k8ts.io/run-ms': '0', 'sim.k8ts.io/exit-code': '1' });
  const messages = new Set<string>();
  const start = h.clock.now();
  const watch = () => {
    const waiting = h.client.pod('default', 'crash')?.status?.containerStatuses?.[0]?.state?.waiting;
    if (waiting?.reason === 'CrashLoopBackOff') messages.add(waiting.message ?? '');
  };
  await h.submit(pod);
  for (let i = 0; i < 80; i++) {
    await h.tick(1000);
    watch();
  }
  const createdAt = h.calls.filter((c) => c.method === 'createContainer').map((c) => c.at - start);
  t.equal(createdAt.length, 5, 'attempts 0..4 within 80 s');
  // attempt 1 follows the first exit at once (the next relist); then the backoff doubles
  t.same(createdAt.slice(1).map((at, i) => at - createdAt[i]!).slice(1), [10_000, 20_000, 40_000]);
  const uid = pod.metadata!.uid;
  t.same([...messages], ['10s', '20s', '40s', '1m20s'].map((d) => `back-off ${d} restarting failed container=main pod=crash_default(${uid})`));
  t.ok(h.recorder.lines('BackOff').includes(`BackOff: Back-off restarting failed container main in pod crash_default(${uid})`));
  const status = h.status('crash');
  t.equal(status.containerStatuses?.[0]?.restartCount, 4);
  t.match(status.containerStatuses?.[0]?.lastState, { terminated: { exitCode: 1 } });
  t.ok(h.clock.now() - start >= 80_000);
  // only the newest exited instance is kept beside the current one
  const { containers } = await h.runtime.listContainers({});
  t.ok(containers.length <= 2, `kept ${containers.length} instances`);
});

t.test('a failed liveness probe: Killing, stop with the grace period, restart', async (t) => {
  const h = harness(t);
  const pod = makePod(
    'live',
    {
      terminationGracePeriodSeconds: 15,
      containers: [{ name: 'main', image: 'busybox:1.36', livenessProbe: { exec: { command: ['true'] }, periodSeconds: 1, failureThreshold: 2 } }],
    },
    { 'sim.k8ts.io/probe': 'fail-after-ms=3000' },
  );
  await h.submit(pod);
  await h.tick(6000);
  t.ok(h.recorder.lines('Killing').includes('Killing: Container main failed liveness probe, will be restarted'));
  t.ok(h.recorder.lines('Unhealthy').length >= 2, 'the prober recorded Unhealthy events');
  const stop = h.calls.find((c) => c.method === 'stopContainer');
  t.match(stop?.req, { timeout: 15 });
  const status = h.status('live');
  t.equal(status.containerStatuses?.[0]?.restartCount, 1);
  t.match(status.containerStatuses?.[0], { state: { running: {} }, lastState: { terminated: {} } });
});

t.test('deletion with a grace period: Killing, preStop, stop, final status, delete with gracePeriodSeconds 0', async (t) => {
  const h = harness(t);
  const pod = makePod('del', {
    terminationGracePeriodSeconds: 20,
    containers: [{ name: 'main', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['/bin/drain'] } } } }],
  });
  await h.submit(pod);
  t.equal(h.status('del').phase, 'Running');
  const deleting = structuredClone(h.client.pod('default', 'del')!);
  deleting.metadata!.deletionTimestamp = new Date(h.clock.now() + 20_000);
  deleting.metadata!.deletionGracePeriodSeconds = 20;
  h.client.put(deleting);
  h.manager.podUpdated(deleting);
  await h.manager.whenIdle();

  t.ok(h.recorder.lines('Killing').includes('Killing: Stopping container main'));
  const order = h.calls.map((c) => c.method).filter((m) => ['execSync', 'stopContainer', 'stopPodSandbox', 'removePodSandbox'].includes(m));
  t.same(order, ['execSync', 'stopContainer', 'stopPodSandbox', 'removePodSandbox']);
  t.match(h.calls.find((c) => c.method === 'execSync')?.req, { cmd: ['/bin/drain'] });
  t.match(h.calls.find((c) => c.method === 'stopContainer')?.req, { timeout: 20 });
  t.same(h.client.deletes, [{ namespace: 'default', name: 'del', opts: { namespace: 'default', gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid } } }]);
  const lastPatch = h.client.statusPatches.at(-1)?.patch as { status: { containerStatuses: Array<{ state: unknown }> } };
  t.match(lastPatch.status.containerStatuses[0]?.state, { terminated: { exitCode: 143 } }, 'the final status shows the container terminated');

  // the informer's DELETED: the worker goes away, nothing is left in the runtime
  h.manager.podDeleted(deleting);
  await h.manager.whenIdle();
  t.same((await h.runtime.listPodSandbox({})).items, []);
});

t.test('an httpGet preStop hook goes through probeContainer, to a named port', async (t) => {
  const h = harness(t);
  const pod = makePod('hook', {
    terminationGracePeriodSeconds: 5,
    containers: [{ name: 'main', image: 'busybox:1.36', ports: [{ name: 'admin', containerPort: 8080 }], lifecycle: { preStop: { httpGet: { path: '/drain', port: 'admin' } } } }],
  });
  await h.submit(pod);
  const podIP = h.status('hook').podIP;
  const deleting = structuredClone(h.client.pod('default', 'hook')!);
  deleting.metadata!.deletionTimestamp = new Date(h.clock.now());
  deleting.metadata!.deletionGracePeriodSeconds = 5;
  h.client.put(deleting);
  h.manager.podUpdated(deleting);
  await h.manager.whenIdle();
  const hook = h.calls.find((c) => c.method === 'probeContainer')?.req as { probe: { httpGet: { path: string; port: number; host: string } }; timeoutSeconds: number };
  t.match(hook, { probe: { httpGet: { path: '/drain', port: 8080, host: podIP } }, timeoutSeconds: 5 });
  t.equal(h.client.deletes.length, 1);
});

t.test('podDeleted: everything stops at once and the sandbox is removed', async (t) => {
  const h = harness(t);
  const pod = makePod('gone');
  await h.submit(pod);
  h.manager.podDeleted(pod);
  await h.manager.whenIdle();
  t.match(h.calls.find((c) => c.method === 'stopContainer')?.req, { timeout: 0 });
  t.same((await h.runtime.listPodSandbox({})).items, []);
  t.same((await h.runtime.listContainers({})).containers, []);
  t.notOk(existsSync(join(h.logRoot, 'pods', `default_gone_${pod.metadata!.uid}`)), 'the log directory is gone');
  t.notOk(existsSync(join(h.logRoot, 'pod-data', pod.metadata!.uid!)), 'the termination-log files are gone');
});

t.test('a sidecar with a startup probe must have started before the next container starts', async (t) => {
  const h = harness(t);
  const probe = { exec: { command: ['true'] }, initialDelaySeconds: 3, periodSeconds: 1 };
  await h.submit(makePod('gate', { initContainers: [{ name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always', startupProbe: probe }] }));
  await h.tick(2000);
  t.same(createdNames(h), ['proxy'], 'main waits for the startup probe');
  await h.tick(2000);
  t.same(createdNames(h), ['proxy', 'main']);
  t.match(h.status('gate').initContainerStatuses?.[0], { started: true });
});

t.test('a missing image: ErrImagePull, then ImagePullBackOff', async (t) => {
  const h = harness(t);
  const image = 'registry.local/sim-missing:1';
  await h.submit(makePod('pull', { containers: [{ name: 'main', image }] }));
  const reasons = () =>
    h.client.statusPatches.map((p) => (p.patch as { status: { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> } }).status.containerStatuses?.[0]?.state?.waiting?.reason);
  t.same(reasons().slice(0, 2), ['ErrImagePull', 'ImagePullBackOff'], 'the failed pull is reported, then the backoff');
  t.ok(h.recorder.lines('Pulling').includes(`Pulling: Pulling image "${image}"`));
  t.match(h.recorder.lines('Failed')[0], `Failed: Failed to pull image "${image}": `);
  await h.tick(5000);
  t.match(h.status('pull').containerStatuses?.[0]?.state?.waiting, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });
  t.ok(h.recorder.lines('BackOff').includes(`BackOff: Back-off pulling image "${image}"`));
  t.equal(h.calls.filter((c) => c.method === 'pullImage').length, 1, 'no pull while backing off');
  await h.tick(6000);
  t.equal(h.calls.filter((c) => c.method === 'pullImage').length, 2, 'pulled again once the backoff ended');
  t.equal(h.status('pull').phase, 'Pending');
});

t.test('imagePullPolicy Never with an absent image: ErrImageNeverPull', async (t) => {
  const h = harness(t);
  await h.submit(makePod('never-pull', { containers: [{ name: 'main', image: 'local/thing:1', imagePullPolicy: 'Never' }] }));
  t.match(h.status('never-pull').containerStatuses?.[0]?.state?.waiting, { reason: 'ErrImageNeverPull' });
  t.equal(h.calls.filter((c) => c.method === 'pullImage').length, 0);
});

t.test('findContainer: the current instance, and --previous after a restart', async (t) => {
  const h = harness(t);
  await h.submit(makePod('logs', {}, { 'sim.k8ts.io/run-ms': '1500', 'sim.k8ts.io/exit-code': '1' }));
  const first = await h.manager.findContainer('default', 'logs', 'main', false);
  t.match(first, { running: true, logPath: /main\/0\.log$/ });
  t.equal(await h.manager.findContainer('default', 'logs', 'main', true), undefined, 'no previous instance yet');
  await h.tick(3000);
  const current = await h.manager.findContainer('default', 'logs', 'main', false);
  const previous = await h.manager.findContainer('default', 'logs', 'main', true);
  t.match(current, { running: true, logPath: /main\/1\.log$/ });
  t.match(previous, { running: false, containerId: first!.containerId, logPath: /main\/0\.log$/ });
  t.equal(await h.manager.findContainer('default', 'logs', 'nope', false), undefined);
});

t.test('sidecars: restarted whenever they exit (even under Never), stopped once the main containers are done', async (t) => {
  const h = harness(t);
  const sidecarPod = makePod('side', { restartPolicy: 'Never', initContainers: [{ name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always' }] }, { 'sim.k8ts.io/run-ms.proxy': '1000', 'sim.k8ts.io/exit-code.proxy': '1' });
  await h.submit(sidecarPod);
  await h.tick(2500);
  const status = h.status('side');
  t.equal(status.phase, 'Running');
  t.ok((status.initContainerStatuses?.[0]?.restartCount ?? 0) >= 1, 'the sidecar was restarted');

  const jobPod = makePod('job-side', { restartPolicy: 'OnFailure', initContainers: [{ name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always' }] }, { 'sim.k8ts.io/run-ms.main': '1000' });
  await h.submit(jobPod);
  await h.tick(3000);
  t.equal(h.status('job-side').phase, 'Succeeded');
  t.ok(h.recorder.events.some((e) => e.podName === 'job-side' && e.reason === 'Killing' && e.message === 'Stopping container proxy'), 'the sidecar was stopped');
});

t.test('the termination message written by the container reaches the status', async (t) => {
  const h = harness(t);
  await h.submit(makePod('msg', { restartPolicy: 'Never' }, { 'sim.k8ts.io/run-ms': '500', 'sim.k8ts.io/termination-message': 'all done' }));
  await h.tick(2000);
  t.match(h.status('msg').containerStatuses?.[0]?.state?.terminated, { exitCode: 0, message: 'all done' });
});

t.test('a restarted kubelet adopts the running sandbox and containers by pod uid label', async (t) => {
  const h = harness(t);
  const pod = makePod('adopt');
  await h.submit(pod);
  const before = h.status('adopt');
  await h.manager.stop();
  t.equal((await h.runtime.listContainers({ filter: { state: { state: 'CONTAINER_RUNNING' } } })).containers.length, 1, 'stop() leaves containers running');

  const created = h.calls.filter((c) => c.method === 'createContainer' || c.method === 'runPodSandbox').length;
  const second = createPodManager({
    nodeName: 'node-1',
    client: h.client,
    runtime: h.runtime,
    runtimeName: 'sim',
    recorder: h.recorder,
    clock: h.clock,
    settings: kubeletSettings(),
    logRoot: h.logRoot,
    hostIP: '192.168.0.10',
    createProber: createProberManager,
    computeStatus: computePodStatus,
    logger: pino({ level: 'silent' }),
  });
  t.teardown(() => second.stop());
  second.podUpdated(structuredClone(h.client.pod('default', 'adopt')!));
  await second.whenIdle();
  t.equal(h.calls.filter((c) => c.method === 'createContainer' || c.method === 'runPodSandbox').length, created, 'nothing new was created');
  const after = h.status('adopt');
  t.equal(after.phase, 'Running');
  t.equal(after.podIP, before.podIP);
  t.equal(after.containerStatuses?.[0]?.containerID, before.containerStatuses?.[0]?.containerID);
});

t.test('many pods sync concurrently', async (t) => {
  const h = harness(t);
  const pods = Array.from({ length: 40 }, (_, i) => makePod(`many-${i}`));
  for (const pod of pods) {
    h.client.put(pod);
    h.manager.podUpdated(structuredClone(pod));
  }
  await h.manager.whenIdle();
  t.ok(pods.every((p) => h.status(p.metadata!.name!).phase === 'Running'));
  t.equal(new Set(pods.map((p) => h.status(p.metadata!.name!).podIP)).size, 40, 'every pod has its own IP');
});

t.test('a changed image restarts the container, even under restartPolicy Never', async (t) => {
  const h = harness(t);
  const pod = makePod('img', { restartPolicy: 'Never' });
  await h.submit(pod);
  const updated = structuredClone(h.client.pod('default', 'img')!);
  updated.spec!.containers[0]!.image = 'busybox:1.37';
  await h.submit(updated);
  t.ok(h.recorder.lines('Killing').includes('Killing: Container main definition changed, will be restarted'));
  const status = h.status('img');
  t.equal(status.phase, 'Running');
  t.match(status.containerStatuses?.[0], { restartCount: 1, state: { running: {} } });
  t.match(status.containerStatuses?.[0]?.image, /busybox:1\.37/);
});
