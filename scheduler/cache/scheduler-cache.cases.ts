import type { V1Node, V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { SchedulerCache } from './scheduler-cache.js';

const node = (name: string, zone?: string, images: string[] = []): V1Node => ({
  metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, images: images.map((n) => ({ names: [n], sizeBytes: 1000 })) },
});
const pod = (name: string, nodeName: string, cpu = '1', antiAffinity = false): V1Pod => ({
  metadata: { name, namespace: 'default', uid: name, labels: { app: name } },
  spec: {
    nodeName,
    containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }],
    ...(antiAffinity && {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: name } } }] } },
    }),
  },
});

t.test('assumed pods count at once, are confirmed by the informer, and can be forgotten', async (t) => {
  const c = new SchedulerCache();
  c.addNode(node('a'));
  c.assumePod(pod('p', 'a', '2'), 'a');
  t.equal(c.get('a')?.requested.milliCPU, 2000);
  t.ok(c.isAssumed(pod('p', 'a')));
  c.addPod(pod('p', 'a', '2'));
  t.notOk(c.isAssumed(pod('p', 'a')), 'confirmed');
  t.equal(c.get('a')?.requested.milliCPU, 2000, 'counted once');
  c.assumePod(pod('q', 'a', '1'), 'a');
  c.forgetPod(pod('q', 'a'));
  t.equal(c.get('a')?.requested.milliCPU, 2000);
  c.removePod(pod('p', 'a'));
  t.equal(c.get('a')?.requested.milliCPU, 0);
  t.equal(c.get('a')?.requested.allowedPodNumber, 0);
});

t.test('a pod before its node, and a node deleted under its pods', async (t) => {
  const c = new SchedulerCache();
  c.addPod(pod('early', 'late-node'));
  t.equal(c.list().length, 0, 'no node yet, nothing listed');
  c.addNode(node('late-node'));
  t.equal(c.get('late-node')?.pods.size, 1, 'the early pod is on it');
  c.removeNode(node('late-node'));
  t.equal(c.list().length, 0);
  c.removePod(pod('early', 'late-node'));
  t.same(c.dump(), { nodes: 0, pods: 0, assumed: 0 });
});

t.test('nodes are listed zone by zone, interleaved', async (t) => {
  const c = new SchedulerCache();
  for (const [n, z] of [['a1', 'a'], ['a2', 'a'], ['a3', 'a'], ['b1', 'b'], ['c1', 'c'], ['c2', 'c']] as const) c.addNode(node(n, z));
  t.same(c.list().map((n) => n.name), ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
});

t.test('affinity lists and image counts follow changes', async (t) => {
  const c = new SchedulerCache();
  c.addNode(node('a', undefined, ['nginx:1']));
  c.addNode(node('b', undefined, ['nginx:1', 'redis:7']));
  t.equal(c.imageNodeCount('nginx:1'), 2);
  t.equal(c.imageNodeCount('redis:7'), 1);
  c.updateNode(node('b', undefined, []));
  t.equal(c.imageNodeCount('nginx:1'), 1);
  t.equal(c.imageNodeCount('redis:7'), 0);
  t.equal(c.havePodsWithRequiredAntiAffinityList().length, 0);
  c.addPod(pod('x', 'a', '1', true));
  t.same(c.havePodsWithRequiredAntiAffinityList().map((n) => n.name), ['a']);
  t.same(c.havePodsWithAffinityList().map((n) => n.name), ['a']);
  c.removePod(pod('x', 'a'));
  t.equal(c.havePodsWithRequiredAntiAffinityList().length, 0);
});
