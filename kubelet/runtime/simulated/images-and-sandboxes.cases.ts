/**
 * The image service (normalized names, stable ids, missing images, pull delay), sandboxes
 * (pod IPs from the podCIDR: allocation, release, exhaustion; name reservation; stop and
 * remove), list filters, resource updates and synthetic stats.
 */
import t from 'tap';
import { FakeClock } from '../../../client/clock.js';
import { createSimulatedRuntime } from './index.js';
import { normalizeImageReference } from './image-reference.js';
import { PodIpAllocator } from './pod-ip-allocator.js';
import { containerConfig, createPod, sandboxConfig, startTestRuntime, stateOf, TEST_IMAGE } from './test-support.js';

t.test('image references normalize as containerd records them', async (t) => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['nginx', 'docker.io/library/nginx:latest', undefined],
    ['nginx:1.25', 'docker.io/library/nginx:1.25', undefined],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7', undefined],
    ['docker.io/library/nginx:latest', 'docker.io/library/nginx:latest', undefined],
    ['localhost:5000/app', 'localhost:5000/app:latest', undefined],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9', undefined],
    [`ghcr.io/x/y@sha256:${'a'.repeat(64)}`, undefined, `ghcr.io/x/y@sha256:${'a'.repeat(64)}`],
  ];
  for (const [ref, repoTag, repoDigest] of cases) t.match(normalizeImageReference(ref), { repoTag, repoDigest }, ref);
});

t.test('images: pull, status, list, remove, fs info', async (t) => {
  const clock = new FakeClock();
  const runtime = createSimulatedRuntime({ podCIDR: '10.244.0.0/24', clock });
  t.teardown(() => runtime.close());
  const { imageRef } = await runtime.pullImage({ image: { image: 'nginx' } });
  t.match(imageRef, /^sha256:[0-9a-f]{64}$/);
  t.equal((await runtime.pullImage({ image: { image: 'docker.io/library/nginx:latest' } })).imageRef, imageRef, 'same image, same id');
  t.not((await runtime.pullImage({ image: { image: 'nginx:1.25' } })).imageRef, imageRef, 'another tag, another id');

  for (const name of ['nginx', 'nginx:latest', 'docker.io/library/nginx:latest', imageRef]) {
    const { image } = await runtime.imageStatus({ image: { image: name }, verbose: false });
    t.equal(image?.id, imageRef, `imageStatus(${name})`);
  }
  const { image } = await runtime.imageStatus({ image: { image: 'nginx' }, verbose: false });
  t.same(image?.repoTags, ['docker.io/library/nginx:latest']);
  t.match(image?.repoDigests, [/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/]);
  t.ok(image!.size > 1_000_000, 'a plausible size');
  t.same(await runtime.imageStatus({ image: { image: 'redis' }, verbose: false }), { info: {} }, 'absent image: no image');

  t.equal((await runtime.listImages({})).images.length, 2);
  t.same((await runtime.listImages({ filter: { image: { image: 'nginx:1.25' } } })).images.map((i) => i.repoTags[0]), ['docker.io/library/nginx:1.25']);

  const fs = await runtime.imageFsInfo({});
  t.ok(fs.imageFilesystems[0]!.usedBytes!.value > image!.size, 'both images counted');

  await runtime.removeImage({ image: { image: 'nginx' } });
  await runtime.removeImage({ image: { image: 'nginx' } }); // idempotent
  t.equal((await runtime.imageStatus({ image: { image: imageRef }, verbose: false })).image, undefined);
  t.equal((await runtime.listImages({})).images.length, 1);
});

t.test('images: missing image, pull delay, creating from an unpulled image', async (t) => {
  const { runtime, clock } = await startTestRuntime();
  t.teardown(() => runtime.close());
  await t.rejects(runtime.pullImage({ image: { image: 'example/sim-missing:1' } }), {
    code: 'NotFound',
    message: 'failed to pull and unpack image "docker.io/example/sim-missing:1": not found',
  });
  await t.rejects(runtime.pullImage({ image: { image: ' ' } }), { code: 'InvalidArgument' });

  const config = sandboxConfig({ annotations: { 'sim.k8ts.io/pull-ms': '3000' } });
  let pulled = false;
  const pull = runtime.pullImage({ image: { image: 'redis:7' }, sandboxConfig: config }).then(() => (pulled = true));
  await clock.advance(2999);
  t.notOk(pulled, 'still pulling');
  await clock.advance(1);
  await pull;
  t.ok(pulled);

  const { podSandboxId } = await runtime.runPodSandbox({ config, runtimeHandler: '' });
  await t.rejects(runtime.createContainer({ podSandboxId, config: containerConfig(config, 'app', { image: 'postgres' }), sandboxConfig: config }), {
    code: 'NotFound',
    message: /image "postgres"/,
  });
  const { containerId } = await runtime.createContainer({ podSandboxId, config: containerConfig(config, 'app', { image: 'docker.io/library/redis:7' }), sandboxConfig: config });
  const status = await stateOf(runtime, containerId);
  t.equal(status.imageRef, (await runtime.imageStatus({ image: { image: 'redis:7' }, verbose: false })).image?.id);
  t.equal(status.image.image, 'docker.io/library/redis:7', 'the image as the kubelet named it');
});

t.test('pod IPs: allocation, release, exhaustion (/30 holds one pod)', async (t) => {
  const { runtime } = await startTestRuntime('10.9.8.4/30');
  t.teardown(() => runtime.close());
  const first = await runtime.runPodSandbox({ config: sandboxConfig({ name: 'a' }), runtimeHandler: '' });
  const { status } = await runtime.podSandboxStatus({ podSandboxId: first.podSandboxId, verbose: false });
  t.same(status.network, { ip: '10.9.8.6', additionalIps: [] }, 'neither the network (.4), the gateway (.5) nor the broadcast (.7)');
  await t.rejects(runtime.runPodSandbox({ config: sandboxConfig({ name: 'b' }), runtimeHandler: '' }), {
    code: 'Unavailable',
    message: /no IP addresses available in range set/,
  });
  await runtime.stopPodSandbox({ podSandboxId: first.podSandboxId });
  const stopped = await runtime.podSandboxStatus({ podSandboxId: first.podSandboxId, verbose: false });
  t.equal(stopped.status.state, 'SANDBOX_NOTREADY');
  t.equal(stopped.status.network, undefined, 'a stopped sandbox has given its IP back');
  const second = await runtime.runPodSandbox({ config: sandboxConfig({ name: 'b' }), runtimeHandler: '' });
  t.equal((await runtime.podSandboxStatus({ podSandboxId: second.podSandboxId, verbose: false })).status.network?.ip, '10.9.8.6');
  await runtime.removePodSandbox({ podSandboxId: first.podSandboxId });
  await runtime.removePodSandbox({ podSandboxId: first.podSandboxId }); // idempotent
  await runtime.removePodSandbox({ podSandboxId: second.podSandboxId });
  await runtime.runPodSandbox({ config: sandboxConfig({ name: 'c' }), runtimeHandler: '' });
});

t.test('pod IP allocator: rotation and bad CIDRs', async (t) => {
  const ips = new PodIpAllocator('10.244.1.0/29');
  t.equal(ips.capacity, 5);
  const given = [ips.allocate(), ips.allocate(), ips.allocate()];
  t.same(given, ['10.244.1.2', '10.244.1.3', '10.244.1.4']);
  ips.release('10.244.1.2');
  t.equal(ips.allocate(), '10.244.1.5', 'a released IP is not reused at once');
  t.equal(ips.allocate(), '10.244.1.6');
  t.equal(ips.allocate(), '10.244.1.2', 'wraps around to the free one');
  t.throws(() => ips.allocate(), { code: 'Unavailable' });
  for (const bad of ['10.244.1.0', '10.244.1.0/33', '300.1.1.1/24', 'fd00::/64', '']) {
    t.throws(() => createSimulatedRuntime({ podCIDR: bad }), /invalid podCIDR/, JSON.stringify(bad));
  }
});

t.test('sandboxes: name reservation, status, stop kills, remove removes', async (t) => {
  const { runtime } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const pod = await createPod(runtime, { name: 'web', labels: { app: 'web' }, annotations: { 'sim.k8ts.io/termination-ms': '60000' } }, [{ name: 'a' }, { name: 'b' }]);
  await t.rejects(runtime.runPodSandbox({ config: sandboxConfig({ name: 'web' }), runtimeHandler: '' }), { code: 'AlreadyExists' });
  await t.rejects(runtime.createContainer({ podSandboxId: pod.podSandboxId, config: containerConfig(pod.config, 'a'), sandboxConfig: pod.config }), { code: 'AlreadyExists' });
  await runtime.createContainer({ podSandboxId: pod.podSandboxId, config: containerConfig(pod.config, 'a', { attempt: 1 }), sandboxConfig: pod.config });
  const { status } = await runtime.podSandboxStatus({ podSandboxId: pod.podSandboxId, verbose: false });
  t.match(status, { state: 'SANDBOX_READY', metadata: { name: 'web', namespace: 'default', uid: 'uid-web', attempt: 0 }, labels: { app: 'web' }, annotations: { 'sim.k8ts.io/termination-ms': '60000' } });

  await runtime.startContainer({ containerId: pod.ids[0]! });
  await runtime.stopPodSandbox({ podSandboxId: pod.podSandboxId }); // no grace: resolves at once on the fake clock
  t.match(await stateOf(runtime, pod.ids[0]!), { state: 'CONTAINER_EXITED', exitCode: 137 });
  t.equal((await stateOf(runtime, pod.ids[1]!)).state, 'CONTAINER_CREATED');
  await t.rejects(runtime.startContainer({ containerId: pod.ids[1]! }), { code: 'FailedPrecondition' }, 'not in a stopped sandbox');
  await t.rejects(runtime.createContainer({ podSandboxId: pod.podSandboxId, config: containerConfig(pod.config, 'c'), sandboxConfig: pod.config }), { code: 'FailedPrecondition' });
  await runtime.stopPodSandbox({ podSandboxId: pod.podSandboxId }); // idempotent
  await t.rejects(runtime.stopPodSandbox({ podSandboxId: 'nope' }), { code: 'NotFound' });
  await t.rejects(runtime.podSandboxStatus({ podSandboxId: 'nope', verbose: false }), { code: 'NotFound' });
  await t.rejects(runtime.createContainer({ podSandboxId: 'nope', config: containerConfig(pod.config, 'c'), sandboxConfig: pod.config }), { code: 'NotFound' });

  await runtime.removePodSandbox({ podSandboxId: pod.podSandboxId });
  t.same((await runtime.listContainers({})).containers, [], 'its containers are gone');
  t.same((await runtime.listPodSandbox({})).items, []);
  await runtime.runPodSandbox({ config: sandboxConfig({ name: 'web' }), runtimeHandler: '' }); // the name is free again
});

t.test('list filters', async (t) => {
  const { runtime } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const web = await createPod(runtime, { name: 'web', labels: { app: 'web', tier: 'front' } }, [{ name: 'nginx' }, { name: 'sidecar' }]);
  const db = await createPod(runtime, { name: 'db', labels: { app: 'db' } }, [{ name: 'postgres' }]);
  await runtime.startContainer({ containerId: web.ids[0]! });
  await runtime.stopPodSandbox({ podSandboxId: db.podSandboxId });

  const sandboxes = async (filter: object) => (await runtime.listPodSandbox({ filter })).items.map((s) => s.metadata.name).sort();
  const sandboxCases: Array<[string, object, string[]]> = [
    ['no filter', {}, ['db', 'web']],
    ['id', { id: web.podSandboxId }, ['web']],
    ['id prefix', { id: web.podSandboxId.slice(0, 12) }, ['web']],
    ['state', { state: { state: 'SANDBOX_NOTREADY' } }, ['db']],
    ['labels, all must match', { labelSelector: { app: 'web', tier: 'front' } }, ['web']],
    ['labels, one mismatch', { labelSelector: { app: 'web', tier: 'back' } }, []],
  ];
  for (const [name, filter, want] of sandboxCases) t.same(await sandboxes(filter), want, `listPodSandbox: ${name}`);

  const containers = async (filter: object) => (await runtime.listContainers({ filter })).containers.map((c) => c.metadata.name).sort();
  const containerCases: Array<[string, object, string[]]> = [
    ['no filter', {}, ['nginx', 'postgres', 'sidecar']],
    ['id', { id: web.ids[1] }, ['sidecar']],
    ['sandbox', { podSandboxId: web.podSandboxId }, ['nginx', 'sidecar']],
    ['unknown sandbox', { podSandboxId: 'nope' }, []],
    ['state', { state: { state: 'CONTAINER_RUNNING' } }, ['nginx']],
    ['sandbox and state', { podSandboxId: web.podSandboxId, state: { state: 'CONTAINER_CREATED' } }, ['sidecar']],
    ['labels', { labelSelector: { 'io.kubernetes.pod.name': 'db' } }, ['postgres']],
  ];
  for (const [name, filter, want] of containerCases) t.same(await containers(filter), want, `listContainers: ${name}`);

  const [listed] = (await runtime.listContainers({ filter: { id: web.ids[0] } })).containers;
  t.match(listed, { podSandboxId: web.podSandboxId, state: 'CONTAINER_RUNNING', image: { image: TEST_IMAGE }, imageRef: /^sha256:/ });
  t.same((await runtime.listContainerStats({ filter: { podSandboxId: web.podSandboxId } })).stats.map((s) => s.attributes.metadata.name).sort(), ['nginx', 'sidecar']);
});

t.test('stats grow with run time; resources can be updated', async (t) => {
  const { runtime, clock } = await startTestRuntime();
  t.teardown(() => runtime.close());
  const config = sandboxConfig();
  const { podSandboxId } = await runtime.runPodSandbox({ config, runtimeHandler: '' });
  const { containerId } = await runtime.createContainer({ podSandboxId, config: containerConfig(config, 'app', { memoryLimit: 256 * 1024 * 1024 }), sandboxConfig: config });
  await runtime.startContainer({ containerId });
  await clock.advance(10_000);
  const early = (await runtime.containerStats({ containerId })).stats;
  await clock.advance(10_000);
  const later = (await runtime.containerStats({ containerId })).stats;
  t.ok(later.cpu!.usageCoreNanoSeconds!.value > early.cpu!.usageCoreNanoSeconds!.value, 'cpu counter grows');
  t.equal(later.memory!.workingSetBytes!.value, 64 * 1024 * 1024, 'a quarter of the limit');

  await runtime.updateContainerResources({ containerId, linux: { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512, memoryLimitInBytes: 1024 * 1024 * 1024, oomScoreAdj: 0, cpusetCpus: '', cpusetMems: '' } });
  t.equal((await runtime.containerStats({ containerId })).stats.memory!.workingSetBytes!.value, 256 * 1024 * 1024, 'follows the updated limit');
  await runtime.stopContainer({ containerId, timeout: 0 });
  await t.rejects(runtime.updateContainerResources({ containerId, linux: undefined }), { code: 'FailedPrecondition' });
  await t.rejects(runtime.containerStats({ containerId: 'nope' }), { code: 'NotFound' });
});
