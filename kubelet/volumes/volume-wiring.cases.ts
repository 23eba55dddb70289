/**
 * The volume manager inside the pod manager (simulated runtime, FakeClock): a missing
 * configMap holds the pod in ContainerCreating with kube's FailedMount event and no
 * sandbox; once the configMap exists the next retry mounts it and the sandbox starts; a
 * later refresh failure no longer holds the pod back; deleting the pod removes its
 * volumes.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { createPodManager } from '../pods/pod-manager.js';
import { FakeApiError, FakePodClient } from '../pods/testing/fake-pod-client.js';
import { makePod } from '../pods/testing/pod-manager-harness.js';
import { RecordingEventRecorder } from '../pods/testing/recording-event-recorder.js';
import { createProberManager } from '../prober/prober-manager.js';
import { createSimulatedRuntime } from '../runtime/simulated/index.js';
import { kubeletSettings } from '../settings.js';
import { computePodStatus } from '../status/compute-pod-status.js';
import { volumeDirectory } from './volume-paths.js';

t.test('FailedMount until the configMap exists, then the pod starts; deletion removes the volumes', async (t) => {
  const base = t.testdir();
  const volumeRoot = join(base, 'pods');
  const clock = new FakeClock();
  const logger = pino({ level: 'silent' });
  const runtime = createSimulatedRuntime({ podCIDR: '10.244.1.0/24', clock, logger });
  const pods = new FakePodClient();
  const configMaps = new Map<string, KubeObject>();
  const client = {
    userAgent: 'test',
    close() {},
    mapping: pods.mapping.bind(pods),
    resource(apiVersion: string, kind: string) {
      if (kind === 'ConfigMap') {
        return {
          get: async (name: string, opts?: { namespace?: string }) => {
            const cm = configMaps.get(`${opts?.namespace}/${name}`);
            if (!cm) throw new FakeApiError(404, `configmaps "${name}" not found`);
            return structuredClone(cm);
          },
        };
      }
      if (kind === 'Service') return { list: async () => ({ metadata: {}, items: [] }) };
      return pods.resource(apiVersion, kind);
    },
  } as unknown as KubeClient;
  const recorder = new RecordingEventRecorder();
  const manager = createPodManager({
    nodeName: 'node-1',
    client,
    runtime,
    runtimeName: 'sim',
    recorder,
    clock,
    settings: kubeletSettings(),
    logRoot: join(base, 'logs'),
    hostIP: '192.168.0.10',
    createProber: createProberManager,
    computeStatus: computePodStatus,
    logger,
    volumeRoot,
  });
  pods.onStatusWritten = (pod) => manager.podUpdated(pod);
  t.teardown(async () => {
    await manager.stop();
    await runtime.close();
  });
  const submit = async (pod: V1Pod) => {
    pods.put(pod);
    manager.podUpdated(structuredClone(pod));
    await manager.whenIdle();
  };
  const tick = async (ms: number) => {
    for (let done = 0; done < ms; done += 1000) {
      await clock.advance(1000);
      await manager.whenIdle();
    }
  };

  const pod = makePod('web', { volumes: [{ name: 'config', configMap: { name: 'app' } }] });
  const uid = pod.metadata!.uid!;
  await submit(pod);
  // every sync that fails records the event again (the real recorder aggregates repeats)
  const failed = recorder.lines('FailedMount');
  t.ok(failed.length >= 1);
  t.same(new Set(failed), new Set(['FailedMount: MountVolume.SetUp failed for volume "config" : configmap "app" not found']));
  t.equal((await runtime.listPodSandbox({})).items.length, 0, 'no sandbox while a volume is missing');
  const status = pods.pod('default', 'web')!.status!;
  t.equal(status.phase, 'Pending');
  t.same(status.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });

  configMaps.set('default/app', { metadata: { name: 'app', namespace: 'default' }, data: { key: 'v1' } });
  await tick(10_000);
  t.equal(await readFile(join(volumeDirectory(volumeRoot, uid, 'configmap', 'config'), 'key'), 'utf8'), 'v1');
  t.equal((await runtime.listPodSandbox({})).items.length, 1, 'the retry mounted the volume and started the sandbox');

  // the configMap goes away under a running pod: reported, but the pod is not held back
  configMaps.clear();
  const failedBefore = recorder.lines('FailedMount').length;
  manager.podUpdated(structuredClone(pods.pod('default', 'web')!));
  await manager.whenIdle();
  t.ok(recorder.lines('FailedMount').length > failedBefore, 'the refresh failure is reported');
  t.equal((await runtime.listPodSandbox({})).items.filter((s) => s.state === 'SANDBOX_READY').length, 1, 'the sandbox stays');

  manager.podDeleted(pods.pod('default', 'web')!);
  await manager.whenIdle();
  t.notOk(existsSync(join(volumeRoot, uid)), "the pod's volumes are gone");
});
