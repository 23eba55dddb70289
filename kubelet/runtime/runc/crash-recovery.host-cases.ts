/**
 * A runc runtime that dies without closing (the process was killed) leaves running
 * containers, overlay mounts, a pinned netns, a veth on its bridge and cgroups behind. The
 * next runtime of the same node (same cluster id, node name and state dir) must remove all
 * of it before it serves, and touch nothing of another node's runtime running beside it.
 *
 * The image is put straight into the content store (no registry needed). Needs root, runc,
 * conmon, the CNI plugins and busybox-static; skipped with the reason otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import type { Runtime } from '../../cri/api.js';
import { ContentStore } from '../../images/content-store.js';
import { buildBusyboxImage } from '../../images/testing/busybox-images.js';
import { hostPlatform } from '../../images/platform.js';
import { hostNames } from './host-names.js';
import { createRuncRuntime } from './index.js';
import { assertNoTrace, describeTrace, snapshotHostTrace } from './testing/host-trace.js';
import { onePodConfigs } from './testing/pod-configs.js';

const missing = [
  process.getuid?.() !== 0 && 'root',
  !existsSync('/usr/sbin/runc') && !existsSync('/usr/bin/runc') && 'runc',
  !existsSync('/usr/bin/conmon') && 'conmon',
  !existsSync('/usr/lib/cni/bridge') && 'the CNI plugins',
  !existsSync('/usr/bin/busybox') && 'busybox-static',
].filter(Boolean);

t.test('a restarted runc runtime removes what a crashed one left, and only that', { skip: missing.length > 0 && `needs ${missing.join(', ')}` }, async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'k8ts-runc-crash-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const image = 'docker.io/library/busybox:crash-test';
  const imageDir = join(work, 'images');
  await buildBusyboxImage(await ContentStore.open(imageDir), { tag: image, arch: hostPlatform().architecture });
  const logger = pino({ level: 'silent' });
  const clusterId = `crash-${process.pid}`;
  const base = 100 + (process.pid % 100);
  const node = (name: string, subnet: number) => ({
    clusterId,
    nodeName: name,
    stateDir: join(work, name, 'runtime'),
    imageDir,
    podCIDR: `10.249.${subnet}.0/24`,
    settings: { exitPollMs: 10 },
    logger,
  });

  async function runPod(runtime: Runtime, name: string): Promise<void> {
    const { sandboxConfig, config } = onePodConfigs({ namespace: 'crash', name, uid: `uid-${name}`, image, command: ['sleep', '3600'], logRoot: join(work, 'logs') });
    const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig, runtimeHandler: '' });
    const { containerId } = await runtime.createContainer({ podSandboxId, config, sandboxConfig });
    await runtime.startContainer({ containerId });
  }

  const a = node('node-a', base);
  const b = node('node-b', base + 1);
  const namesA = hostNames(a.stateDir, clusterId, a.nodeName);
  const namesB = hostNames(b.stateDir, clusterId, b.nodeName);

  const crashed = await createRuncRuntime(a);
  const neighbour = await createRuncRuntime(b);
  await runPod(crashed, 'left-behind');
  await runPod(neighbour, 'neighbour');
  const before = describeTrace(await snapshotHostTrace(namesA, a.stateDir, { podCIDR: a.podCIDR }));
  t.ok(before.length > 0, `the crashed runtime's pod is on the host (${before.length} resources)`);

  // no close(): as if the process had been killed. A new runtime for the same node starts.
  const restarted = await createRuncRuntime(a);
  assertNoTrace(t, await snapshotHostTrace(namesA, a.stateDir, { podCIDR: a.podCIDR }), 'nothing of the crashed run is left once the new runtime serves');
  t.same((await restarted.listPodSandbox({})).items, [], 'the new runtime starts empty (the kubelet recreates pods)');
  const neighbourPods = (await neighbour.listContainers({ filter: { state: { state: 'CONTAINER_RUNNING' } } })).containers;
  t.equal(neighbourPods.length, 1, "the other node's container still runs");

  await restarted.close();
  await neighbour.close();
  assertNoTrace(t, await snapshotHostTrace(namesB, b.stateDir, { podCIDR: b.podCIDR }), 'the other node cleans up after itself too');
});
