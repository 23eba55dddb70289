/**
 * The pod workers against a real API server (startCluster, memory store) through the real
 * REST client: the status lands through pods/status, and a graceful deletion ends with
 * the kubelet's delete (gracePeriodSeconds 0, uid precondition) removing the object.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { pino } from 'pino';
import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import { startTestCluster } from '../../client/rest/test-cluster.js';
import type { KubeObject } from '../../client/types.js';
import { createProberManager } from '../prober/prober-manager.js';
import { createSimulatedRuntime } from '../runtime/simulated/index.js';
import { kubeletSettings } from '../settings.js';
import { computePodStatus } from '../status/compute-pod-status.js';
import { createPodManager } from './pod-manager.js';
import { RecordingEventRecorder } from './testing/recording-event-recorder.js';

t.test('status through pods/status, then graceful deletion through the API', async (t) => {
  const { client } = await startTestCluster(t);
  const clock = new FakeClock(Date.now());
  const logger = pino({ level: 'silent' });
  const runtime = createSimulatedRuntime({ podCIDR: '10.244.7.0/24', clock, logger });
  const manager = createPodManager({
    nodeName: 'k8ts-node-1',
    client,
    runtime,
    runtimeName: 'sim',
    recorder: new RecordingEventRecorder(),
    clock,
    settings: kubeletSettings(),
    logRoot: t.testdir(),
    hostIP: '127.0.0.1',
    createProber: createProberManager,
    computeStatus: computePodStatus,
    logger,
  });
  t.teardown(async () => {
    await manager.stop();
    await runtime.close();
  });
  const pods = client.resource('v1', 'Pod');
  const get = async () => (await pods.get('web', { namespace: 'default' })) as unknown as V1Pod;

  await pods.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'k8ts-node-1', containers: [{ name: 'main', image: 'nginx:1.27' }] },
  } as KubeObject);
  manager.podUpdated(await get());
  await manager.whenIdle();
  const running = await get();
  t.equal(running.status?.phase, 'Running');
  t.match(running.status?.podIP, /^10\.244\.7\./);
  t.match(running.status?.containerStatuses?.[0], { name: 'main', ready: true, state: { running: {} } });

  await pods.delete('web', { namespace: 'default', gracePeriodSeconds: 30 });
  const deleting = await get();
  t.ok(deleting.metadata?.deletionTimestamp, 'graceful deletion started');
  manager.podUpdated(deleting);
  await manager.whenIdle();
  await t.rejects(get(), { code: 404 }, 'the kubelet finished the deletion');
  t.same((await runtime.listPodSandbox({})).items, [], 'the sandbox is removed');
});
