/**
 * Stopping (SIGTERM grace vs SIGKILL at the timeout, natural exits during the grace,
 * idempotence, removal) and probes (pass, fail, fail-after-ms, messages per probe kind).
 */
import t from 'tap';
import type { ProbeAction } from '../../cri/api.js';
import { containerConfig, createPod, startTestRuntime, stateOf } from './test-support.js';

const stopCases: Array<{ name: string; annotations: Record<string, string>; timeout: number; exitAfterMs: number; exitCode: number; reason: string }> = [
  { name: 'exits on SIGTERM at once by default', annotations: {}, timeout: 30, exitAfterMs: 0, exitCode: 143, reason: 'Error' },
  { name: 'termination-ms shorter than the timeout: 143', annotations: { 'sim.k8ts.io/termination-ms': '2000' }, timeout: 5, exitAfterMs: 2000, exitCode: 143, reason: 'Error' },
  { name: 'termination-ms equal to the timeout: 143', annotations: { 'sim.k8ts.io/termination-ms': '5000' }, timeout: 5, exitAfterMs: 5000, exitCode: 143, reason: 'Error' },
  { name: 'termination-ms longer than the timeout: SIGKILL, 137', annotations: { 'sim.k8ts.io/termination-ms': '60000' }, timeout: 5, exitAfterMs: 5000, exitCode: 137, reason: 'Error' },
  { name: 'timeout 0: SIGKILL at once', annotations: {}, timeout: 0, exitAfterMs: 0, exitCode: 137, reason: 'Error' },
  { name: 'a natural exit during the grace period wins', annotations: { 'sim.k8ts.io/run-ms': '1500', 'sim.k8ts.io/exit-code': '2', 'sim.k8ts.io/termination-ms': '10000' }, timeout: 30, exitAfterMs: 1500, exitCode: 2, reason: 'Error' },
];

for (const c of stopCases) {
  t.test(`stop: ${c.name}`, async (t) => {
    const { runtime, clock } = await startTestRuntime();
    t.teardown(() => runtime.close());
    const pod = await createPod(runtime, { annotations: c.annotations }, [{ name: 'app' }]);
    const containerId = pod.ids[0]!;
    await runtime.startContainer({ containerId });
    const t0 = clock.now();
    let stopped = false;
    const stop = runtime.stopContainer({ containerId, timeout: c.timeout }).then(() => (stopped = true));
    if (c.exitAfterMs > 0) {
      await clock.advance(c.exitAfterMs - 1);
      t.notOk(stopped, 'still stopping');
      t.equal((await stateOf(runtime, containerId)).state, 'CONTAINER_RUNNING');
      await clock.advance(1);
    } else {
      await clock.advance(0);
    }
    await stop;
    const status = await stateOf(runtime, containerId);
    t.equal(status.state, 'CONTAINER_EXITED');
    t.equal(status.exitCode, c.exitCode);
    t.equal(status.reason, c.reason);
    t.equal(status.finishedAt, (t0 + c.exitAfterMs) * 1e6);
    t.equal(clock.pending, 0, 'no timer left behind');
    await runtime.stopContainer({ containerId, timeout: 10 });
    t.equal((await stateOf(runtime, containerId)).exitCode, c.exitCode, 'stopping again changes nothing');
  });
}

t.test('stop: a second stop with a shorter timeout brings the SIGKILL closer', async (t) => {
  const { runtime, clock } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const pod = await createPod(runtime, { annotations: { 'sim.k8ts.io/termination-ms': '60000' } }, [{ name: 'app' }]);
  const containerId = pod.ids[0]!;
  await runtime.startContainer({ containerId });
  const first = runtime.stopContainer({ containerId, timeout: 30 });
  await clock.advance(1000);
  const second = runtime.stopContainer({ containerId, timeout: 2 });
  await clock.advance(2000);
  await Promise.all([first, second]);
  const status = await stateOf(runtime, containerId);
  t.equal(status.exitCode, 137);
  t.equal(status.finishedAt - status.startedAt, 3000 * 1e6);
});

t.test('stop: while starting, and before starting', async (t) => {
  const { runtime, clock } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const pod = await createPod(runtime, { annotations: { 'sim.k8ts.io/start-ms': '1000' } }, [{ name: 'a' }, { name: 'b' }]);
  const [a, b] = pod.ids as [string, string];
  const start = runtime.startContainer({ containerId: a });
  await clock.advance(10);
  await runtime.stopContainer({ containerId: a, timeout: 10 });
  await t.rejects(start, { code: 'Unknown' }, 'the pending start fails');
  t.match(await stateOf(runtime, a), { state: 'CONTAINER_EXITED', exitCode: 137, startedAt: 0 });
  await runtime.stopContainer({ containerId: b, timeout: 10 });
  t.equal((await stateOf(runtime, b)).state, 'CONTAINER_CREATED', 'a created container has nothing to stop');
  await t.rejects(runtime.stopContainer({ containerId: 'nope', timeout: 1 }), { code: 'NotFound' });
});

t.test('removeContainer kills a running container and is idempotent', async (t) => {
  const { runtime } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const pod = await createPod(runtime, { annotations: { 'sim.k8ts.io/termination-ms': '60000' } }, [{ name: 'app' }]);
  const containerId = pod.ids[0]!;
  await runtime.startContainer({ containerId });
  await runtime.removeContainer({ containerId });
  await t.rejects(runtime.containerStatus({ containerId, verbose: false }), { code: 'NotFound' });
  await runtime.removeContainer({ containerId });
  t.same((await runtime.listContainers({})).containers, []);
  // The name is free again.
  await runtime.createContainer({ podSandboxId: pod.podSandboxId, config: containerConfig(pod.config, 'app'), sandboxConfig: pod.config });
  t.equal((await runtime.listContainers({})).containers.length, 1);
});

const httpGet: ProbeAction = { httpGet: { host: '', port: 8080, path: '/healthz', scheme: 'HTTP', httpHeaders: [] } };
const tcpSocket: ProbeAction = { tcpSocket: { host: '', port: 5432 } };
const exec: ProbeAction = { exec: { command: ['cat', '/tmp/healthy'] } };

const probeCases: Array<{ name: string; probe?: string; atMs: number; action: ProbeAction; result: 'SUCCESS' | 'FAILURE'; message: string | RegExp }> = [
  { name: 'pass by default (httpGet)', atMs: 0, action: httpGet, result: 'SUCCESS', message: '' },
  { name: 'pass by default (exec)', atMs: 0, action: exec, result: 'SUCCESS', message: '' },
  { name: 'fail: httpGet', probe: 'fail', atMs: 0, action: httpGet, result: 'FAILURE', message: 'HTTP probe failed with statuscode: 500' },
  { name: 'fail: tcpSocket dials the pod IP', probe: 'fail', atMs: 0, action: tcpSocket, result: 'FAILURE', message: /^dial tcp 10\.244\.1\.\d+:5432: connect: connection refused$/ },
  { name: 'fail: exec', probe: 'fail', atMs: 0, action: exec, result: 'FAILURE', message: 'command "cat /tmp/healthy" exited with 1' },
  { name: 'fail-after-ms: before', probe: 'fail-after-ms=5000', atMs: 4999, action: httpGet, result: 'SUCCESS', message: '' },
  { name: 'fail-after-ms: after', probe: 'fail-after-ms=5000', atMs: 5000, action: httpGet, result: 'FAILURE', message: 'HTTP probe failed with statuscode: 500' },
  { name: 'unknown value: pass', probe: 'flaky', atMs: 0, action: exec, result: 'SUCCESS', message: '' },
];

for (const c of probeCases) {
  t.test(`probe: ${c.name}`, async (t) => {
    const { runtime, clock } = await startTestRuntime();
    t.teardown(() => runtime.close());
    const annotations: Record<string, string> = { 'sim.k8ts.io/start-ms': '100' };
    if (c.probe) annotations['sim.k8ts.io/probe.app'] = c.probe;
    const pod = await createPod(runtime, { annotations }, [{ name: 'app' }]);
    const containerId = pod.ids[0]!;
    const start = runtime.startContainer({ containerId });
    await clock.advance(100 + c.atMs);
    await start;
    const answer = await runtime.probeContainer({ containerId, probe: c.action, timeoutSeconds: 1 });
    t.equal(answer.result, c.result);
    if (typeof c.message === 'string') t.equal(answer.message, c.message);
    else t.match(answer.message, c.message);
  });
}

t.test('probe: a container that is not running cannot be probed', async (t) => {
  const { runtime } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const pod = await createPod(runtime, {}, [{ name: 'app' }]);
  const containerId = pod.ids[0]!;
  await t.rejects(runtime.probeContainer({ containerId, probe: httpGet, timeoutSeconds: 1 }), { code: 'FailedPrecondition' }, 'created');
  await runtime.startContainer({ containerId });
  await t.rejects(runtime.probeContainer({ containerId, probe: {}, timeoutSeconds: 1 }), { code: 'InvalidArgument' }, 'no action');
  await runtime.stopContainer({ containerId, timeout: 0 });
  await t.rejects(runtime.probeContainer({ containerId, probe: httpGet, timeoutSeconds: 1 }), { code: 'FailedPrecondition' }, 'exited');
  await t.rejects(runtime.probeContainer({ containerId: 'nope', probe: httpGet, timeoutSeconds: 1 }), { code: 'NotFound' });
});
