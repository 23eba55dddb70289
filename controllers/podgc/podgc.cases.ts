/**
 * The pod garbage collector: which pods one pass removes (tables), and passes against the
 * fake cluster — the threshold, orphans after the quarantine and a live node check (marked
 * Failed with DisruptionTarget, deleted with grace 0), unscheduled terminating pods, and
 * no writes when nothing qualifies.
 */
import t, { type Test } from 'tap';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeObject } from '../../client/types.js';
import { startFakeController } from '../common/testing/controller-harness.js';
import { markFailedPatch, orphanCondition, terminatedPodsToDelete, terminatingPodsOnOutOfServiceNodes, unscheduledTerminatingPods } from './pod-gc-plan.js';
import { PodGCController } from './pod-gc-controller.js';

const NOW = Date.UTC(2026, 0, 1);

const pod = (name: string, o: { phase?: string; reason?: string; created?: number; node?: string; deleting?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'ns',
    uid: `uid-${name}`,
    creationTimestamp: new Date(NOW + (o.created ?? 0) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['example.com/kept-for-test'] } : {}),
  },
  spec: { ...(o.node ? { nodeName: o.node } : {}), containers: [{ name: 'c', image: 'x' }] },
  status: { phase: o.phase ?? 'Running', ...(o.reason ? { reason: o.reason } : {}) },
});
const node = (name: string, o: { ready?: boolean; outOfService?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: o.outOfService ? { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] } : {},
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const names = (pods: V1Pod[]) => pods.map((p) => p.metadata?.name);

t.test('plan: terminated beyond the threshold, evicted then oldest first', async (t) => {
  const pods = [pod('new', { phase: 'Succeeded', created: 30 }), pod('old', { phase: 'Failed', created: 10 }), pod('evicted', { phase: 'Failed', reason: 'Evicted', created: 50 }), pod('b', { phase: 'Succeeded', created: 20 }), pod('a', { phase: 'Succeeded', created: 20 }), pod('running')] as unknown as V1Pod[];
  const cases: Array<[number, string[]]> = [
    [10, []],
    [5, []],
    [4, ['evicted']],
    [2, ['evicted', 'old', 'a']],
    [0, []],
  ];
  for (const [threshold, want] of cases) t.same(names(terminatedPodsToDelete(pods, threshold)), want, `threshold ${threshold}`);
});

t.test('plan: terminating pods on out-of-service nodes; unscheduled terminating pods', async (t) => {
  const nodes = new Map([
    ['ok', node('ok')],
    ['down', node('down', { ready: false })],
    ['oos', node('oos', { ready: false, outOfService: true })],
    ['oos-ready', node('oos-ready', { outOfService: true })],
  ]) as unknown as Map<string, V1Node>;
  const pods = [pod('p1', { node: 'oos', deleting: true }), pod('p2', { node: 'oos' }), pod('p3', { node: 'down', deleting: true }), pod('p4', { node: 'oos-ready', deleting: true }), pod('p5', { deleting: true }), pod('p6')] as unknown as V1Pod[];
  t.same(names(terminatingPodsOnOutOfServiceNodes(pods, (n) => nodes.get(n))), ['p1']);
  t.same(names(unscheduledTerminatingPods(pods)), ['p5']);
  t.same(markFailedPatch(pod('x', { phase: 'Succeeded' }) as unknown as V1Pod), undefined, 'terminal pods are not patched');
  t.same(markFailedPatch(pod('x') as unknown as V1Pod, orphanCondition('T')), {
    metadata: { uid: 'uid-x' },
    status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: 'T' }] },
  });
});

async function harness(t: Test, objects: KubeObject[], settings = {}) {
  return startFakeController(t, { now: NOW, objects, informerClock: true }, (env) => new PodGCController({ client: env.fake.client, informers: env.informers, clock: env.clock, settings }));
}

t.test('gc: orphans wait out the quarantine, then a live GET condemns them', async (t) => {
  const h = await harness(t, [node('n1'), pod('home', { node: 'n1' }), pod('orphan', { node: 'gone' }), pod('done', { node: 'gone', phase: 'Succeeded' })], { quarantineMs: 40_000 });
  await h.controller.gc();
  t.same(h.writes(), [], 'first sighting: quarantined');
  h.clock.step(39_000);
  await h.controller.gc();
  t.same(h.writes(), [], 'still in quarantine');
  h.clock.step(2_000);
  await h.controller.gc();
  t.same(h.writes().sort(), ['delete Pod done', 'delete Pod orphan', 'patch Pod/status orphan'].sort());
  const patch = h.fake.writes.find((w) => w.verb === 'patch')!;
  t.match(patch.body, { metadata: { uid: 'uid-orphan' }, status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', reason: 'DeletionByPodGC' }] } });
  t.match(h.fake.writes.find((w) => w.verb === 'delete')!.body, { gracePeriodSeconds: 0 });
  t.ok(h.fake.get('v1', 'Pod', 'home', 'ns'), 'pods on live nodes stay');
});

t.test('gc: a node that reappears before the check keeps its pods', async (t) => {
  const h = await harness(t, [pod('p', { node: 'late' })], { quarantineMs: 1000 });
  await h.controller.gc();
  h.fake.seed(node('late'));
  await new Promise((r) => setImmediate(r));
  h.clock.step(2000);
  await h.controller.gc();
  t.same(h.writes(), []);
});

t.test('gc: terminated threshold and unscheduled terminating pods; steady state writes nothing', async (t) => {
  const h = await harness(t, [pod('t1', { phase: 'Succeeded', created: 1 }), pod('t2', { phase: 'Failed', created: 2 }), pod('t3', { phase: 'Succeeded', created: 3 }), pod('stuck', { deleting: true })], { terminatedPodThreshold: 2 });
  await h.controller.gc();
  t.same(h.writes().sort(), ['delete Pod t1', 'patch Pod/status stuck', 'delete Pod stuck'].sort());
  await new Promise((r) => setImmediate(r));
  // the fake keeps `stuck` (its test finalizer); a real server removes a grace-0 pod at once
  h.fake.remove('v1', 'Pod', 'stuck', 'ns');
  await new Promise((r) => setImmediate(r));
  h.fake.clearWrites();
  await h.controller.gc();
  await h.controller.gc();
  t.same(h.writes(), [], 'nothing left to collect');
});
