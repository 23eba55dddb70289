/**
 * The DaemonSet controller: placement predicates (selectors, affinity, taints against
 * the default daemon tolerations), the manage decisions per node, the rolling-update
 * step, status counts — table-driven — then reconcile against the fake cluster: one pod
 * per eligible node pinned by affinity, expectations holding back a second round, and
 * no writes once converged.
 */
import type { V1Taint } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { FakeClock } from '../../client/clock.js';
import type { KubeObject } from '../../client/types.js';
import { formatTime } from '../common/time.js';
import { startFakeController } from '../common/testing/controller-harness.js';
import { editObject } from '../common/testing/edit-object.js';
import { WatchGate, withGatedWatch } from '../common/testing/gated-watch.js';
import { testPod } from '../common/testing/objects.js';
import { nodeShouldRunDaemonPod, targetNodeName, type DaemonSet, type Node, type Pod } from './daemon-pod-predicates.js';
import { DaemonSetController } from './daemonset-controller.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';
import { podsByNode, podsShouldBeOnNode } from './daemonset-pods.js';
import { rollingUpdateStep } from './daemonset-rolling-update.js';
import { computeDaemonSetCounts } from './daemonset-status.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const KEY = 'default/agent';

interface DsOpts {
  nodeSelector?: Record<string, string>;
  affinity?: unknown;
  tolerations?: unknown[];
  hostNetwork?: boolean;
  maxUnavailable?: number | string;
  maxSurge?: number | string;
  generation?: number;
  onDelete?: boolean;
}

const daemonSet = (o: DsOpts = {}): DaemonSet =>
  ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default', uid: 'uid-agent', generation: o.generation ?? 1 },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: o.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: o.maxUnavailable ?? 1, maxSurge: o.maxSurge ?? 0 } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          containers: [{ name: 'agent', image: 'busybox' }],
          ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
          ...(o.affinity ? { affinity: o.affinity } : {}),
          ...(o.tolerations ? { tolerations: o.tolerations } : {}),
          ...(o.hostNetwork ? { hostNetwork: true } : {}),
        },
      },
    },
  }) as DaemonSet;

const node = (name: string, o: { labels?: Record<string, string>; taints?: V1Taint[] } = {}): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } }, spec: { ...(o.taints ? { taints: o.taints } : {}) } }) as Node;

type State = 'ready' | 'unready' | 'failed' | 'succeeded' | 'deleting';
const daemonPod = (name: string, nodeName: string, o: { hash?: string; state?: State; createdAgo?: number } = {}): Pod =>
  testPod<Pod>(name, {
    labels: { app: 'agent', 'controller-revision-hash': o.hash ?? 'new' },
    metadata: {
      creationTimestamp: formatTime(NOW - (o.createdAgo ?? 600) * 1000),
      ...(o.state === 'deleting' ? { deletionTimestamp: formatTime(NOW) } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'uid-agent', controller: true }],
    },
    spec: { nodeName, containers: [{ name: 'agent', image: 'busybox' }] },
    status: {
      phase: o.state === 'failed' ? 'Failed' : o.state === 'succeeded' ? 'Succeeded' : 'Running',
      conditions: [{ type: 'Ready', status: o.state === 'unready' || o.state === 'failed' ? 'False' : 'True', lastTransitionTime: formatTime(NOW - 600_000) }],
    },
  });

t.test('should run / should continue running', async (t) => {
  const taint = (key: string, effect: string, value?: string): V1Taint => ({ key, effect, ...(value ? { value } : {}) }) as V1Taint;
  const cases: Array<[string, DaemonSet, Node, [boolean, boolean]]> = [
    ['a plain node', daemonSet(), node('n1'), [true, true]],
    ['nodeSelector matches', daemonSet({ nodeSelector: { disk: 'ssd' } }), node('n1', { labels: { disk: 'ssd' } }), [true, true]],
    ['nodeSelector does not match', daemonSet({ nodeSelector: { disk: 'ssd' } }), node('n1'), [false, false]],
    [
      'required affinity does not match',
      daemonSet({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } }),
      node('n1', { labels: { zone: 'b' } }),
      [false, false],
    ],
    ['untolerated NoSchedule: no new pod, the old may stay', daemonSet(), node('n1', { taints: [taint('dedicated', 'NoSchedule', 'db')] }), [false, true]],
    ['untolerated NoExecute: none', daemonSet(), node('n1', { taints: [taint('dedicated', 'NoExecute', 'db')] }), [false, false]],
    ['PreferNoSchedule does not matter', daemonSet(), node('n1', { taints: [taint('dedicated', 'PreferNoSchedule', 'db')] }), [true, true]],
    ['tolerated', daemonSet({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }), node('n1', { taints: [taint('dedicated', 'NoSchedule', 'db')] }), [true, true]],
    ['default: not-ready NoExecute tolerated', daemonSet(), node('n1', { taints: [taint('node.kubernetes.io/not-ready', 'NoExecute')] }), [true, true]],
    ['default: unreachable NoExecute tolerated', daemonSet(), node('n1', { taints: [taint('node.kubernetes.io/unreachable', 'NoExecute')] }), [true, true]],
    ['default: unschedulable tolerated (cordoned nodes run daemons)', daemonSet(), node('n1', { taints: [taint('node.kubernetes.io/unschedulable', 'NoSchedule')] }), [true, true]],
    ['default: memory-pressure tolerated', daemonSet(), node('n1', { taints: [taint('node.kubernetes.io/memory-pressure', 'NoSchedule')] }), [true, true]],
    ['network-unavailable: only with hostNetwork', daemonSet(), node('n1', { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }), [false, true]],
    ['network-unavailable with hostNetwork', daemonSet({ hostNetwork: true }), node('n1', { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }), [true, true]],
  ];
  for (const [name, ds, n, [shouldRun, shouldContinueRunning]] of cases) t.same(nodeShouldRunDaemonPod(n, ds), { shouldRun, shouldContinueRunning }, name);
  t.equal(targetNodeName({ spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] } } } } }), 'n7', 'an unbound pod is on the node its affinity pins');
});

t.test('manage decisions per node', async (t) => {
  const ds = daemonSet();
  const surge = daemonSet({ maxUnavailable: 0, maxSurge: 1 });
  const cases: Array<[string, DaemonSet, Node, Pod[], { needsPod: boolean; podsToDelete: string[]; failed: string[] }]> = [
    ['no pod → create', ds, node('n1'), [], { needsPod: true, podsToDelete: [], failed: [] }],
    ['one pod → nothing', ds, node('n1'), [daemonPod('a', 'n1')], { needsPod: false, podsToDelete: [], failed: [] }],
    ['two pods → the newer goes', ds, node('n1'), [daemonPod('a', 'n1', { createdAgo: 10 }), daemonPod('b', 'n1', { createdAgo: 100 })], { needsPod: false, podsToDelete: ['a'], failed: [] }],
    ['failed → the caller decides (backoff)', ds, node('n1'), [daemonPod('a', 'n1', { state: 'failed' })], { needsPod: false, podsToDelete: [], failed: ['a'] }],
    ['succeeded → delete', ds, node('n1'), [daemonPod('a', 'n1', { state: 'succeeded' })], { needsPod: false, podsToDelete: ['a'], failed: [] }],
    ['unwanted node → delete', daemonSet({ nodeSelector: { x: 'y' } }), node('n1'), [daemonPod('a', 'n1')], { needsPod: false, podsToDelete: ['a'], failed: [] }],
    ['surge: old ready + new not yet available → keep both', surge, node('n1'), [daemonPod('old', 'n1', { hash: 'old' }), daemonPod('new', 'n1', { state: 'unready' })], { needsPod: false, podsToDelete: [], failed: [] }],
    ['surge: new available → the old goes', surge, node('n1'), [daemonPod('old', 'n1', { hash: 'old' }), daemonPod('new', 'n1')], { needsPod: false, podsToDelete: ['old'], failed: [] }],
  ];
  for (const [name, d, n, pods, want] of cases) {
    const got = podsShouldBeOnNode(n, d, pods, 'new', NOW);
    t.same({ needsPod: got.needsPod, podsToDelete: got.podsToDelete, failed: got.failedPods.map((p) => p.metadata?.name) }, want, name);
  }
});

t.test('rolling update picks', async (t) => {
  const nodes = [node('n1'), node('n2'), node('n3')];
  const old = (n: string, state: State = 'ready') => daemonPod(`old-${n}`, n, { hash: 'old', state });
  const fresh = (n: string, state: State = 'ready') => daemonPod(`new-${n}`, n, { state });
  const cases: Array<[string, DaemonSet, Pod[], { podsToDelete: string[]; nodesNeedingPods: string[] }]> = [
    ['all old, maxUnavailable 1 → one', daemonSet(), [old('n1'), old('n2'), old('n3')], { podsToDelete: ['old-n1'], nodesNeedingPods: [] }],
    ['maxUnavailable 2 → two', daemonSet({ maxUnavailable: 2 }), [old('n1'), old('n2'), old('n3')], { podsToDelete: ['old-n1', 'old-n2'], nodesNeedingPods: [] }],
    ['maxUnavailable 100% → all', daemonSet({ maxUnavailable: '100%' }), [old('n1'), old('n2'), old('n3')], { podsToDelete: ['old-n1', 'old-n2', 'old-n3'], nodesNeedingPods: [] }],
    ['a new pod not ready yet uses up the budget', daemonSet(), [fresh('n1', 'unready'), old('n2'), old('n3')], { podsToDelete: [], nodesNeedingPods: [] }],
    ['a node without a pod counts as unavailable', daemonSet(), [old('n2'), old('n3')], { podsToDelete: [], nodesNeedingPods: [] }],
    ['an unavailable old pod is replaced anyway', daemonSet(), [fresh('n1', 'unready'), old('n2', 'unready'), old('n3')], { podsToDelete: ['old-n2'], nodesNeedingPods: [] }],
    ['next once the new one is available', daemonSet(), [fresh('n1'), old('n2'), old('n3')], { podsToDelete: ['old-n2'], nodesNeedingPods: [] }],
    ['surge 1: a new pod beside one old', daemonSet({ maxUnavailable: 0, maxSurge: 1 }), [old('n1'), old('n2'), old('n3')], { podsToDelete: [], nodesNeedingPods: ['n1'] }],
    ['surge: new available → retire the old', daemonSet({ maxUnavailable: 0, maxSurge: 1 }), [old('n1'), fresh('n1'), old('n2'), old('n3')], { podsToDelete: ['old-n1'], nodesNeedingPods: ['n2'] }],
    ['surge: wait while the new one is not available', daemonSet({ maxUnavailable: 0, maxSurge: 1 }), [old('n1'), fresh('n1', 'unready'), old('n2'), old('n3')], { podsToDelete: [], nodesNeedingPods: [] }],
  ];
  for (const [name, ds, pods, want] of cases) t.same(rollingUpdateStep({ ds, nodes, byNode: podsByNode(pods), hash: 'new', now: NOW }), want, name);
});

t.test('status counts', async (t) => {
  const nodes = [node('n1'), node('n2'), node('n3', { labels: { role: 'db' } })];
  const ds = daemonSet({ nodeSelector: { 'kubernetes.io/hostname': 'n1' } });
  const pods = [daemonPod('a', 'n1', { hash: 'old' }), daemonPod('b', 'n3')];
  t.same(computeDaemonSetCounts(ds, nodes, podsByNode(pods), 'new', NOW), {
    desiredNumberScheduled: 1,
    currentNumberScheduled: 1,
    numberMisscheduled: 1,
    numberReady: 1,
    updatedNumberScheduled: 0,
    numberAvailable: 1,
    numberUnavailable: 0,
  });
});

async function harness(t: Test, objects: KubeObject[]) {
  const gate = new WatchGate();
  const h = await startFakeController(t, { now: NOW, objects, informerClient: (c) => withGatedWatch(c, gate) }, (env) => new DaemonSetController({ client: env.fake.client, informers: env.informers, recorder: env.recorder, clock: env.clock }));
  const { fake } = h;
  /** the scheduler's and kubelet's part: bind each pod where its affinity pins it, Running and Ready */
  const runAll = () => {
    for (const p of fake.list<Pod>('v1', 'Pod', 'default')) {
      if (p.status?.phase === 'Running') continue;
      fake.set({ ...p, spec: { ...p.spec!, nodeName: targetNodeName(p)! }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(NOW) }] } } as KubeObject);
    }
  };
  return { ...h, runAll, gate };
}

t.test('reconcile: a pod per eligible node, expectations, then steady state', async (t) => {
  const h = await harness(t, [daemonSet({ nodeSelector: { role: 'worker' } }), node('n1', { labels: { role: 'worker' } }), node('n2', { labels: { role: 'worker' } }), node('n3')]);
  await h.controller.reconcile(KEY);
  const creates = h.fake.writes.filter((w) => w.verb === 'create' && w.kind === 'Pod');
  t.equal(creates.length, 2, 'two eligible nodes');
  t.same(
    creates.map((w) => (w.body as Pod).spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0]).sort(),
    ['n1', 'n2'],
    'pinned to their nodes by affinity',
  );
  const revision = h.fake.list('apps/v1', 'ControllerRevision', 'default')[0]!;
  const hash = revision.metadata?.labels?.['controller-revision-hash'];
  t.match(revision.metadata?.name, `agent-${hash}`, 'the revision is named by the template hash');
  t.match((creates[0]!.body as Pod).metadata, { generateName: 'agent-', labels: { app: 'agent', 'controller-revision-hash': hash, 'pod-template-generation': '1' } });
  t.ok((creates[0]!.body as Pod).spec?.tolerations?.some((tol) => tol.key === 'node.kubernetes.io/not-ready' && tol.effect === 'NoExecute' && tol.tolerationSeconds === undefined), 'default tolerations');
  t.match(h.events, [/^Normal SuccessfulCreate Created pod: agent-/, /^Normal SuccessfulCreate Created pod: agent-/]);
  t.match(h.fake.get('apps/v1', 'DaemonSet', 'agent', 'default')?.status, { desiredNumberScheduled: 2, currentNumberScheduled: 0, observedGeneration: 1 });

  await h.flush();
  h.runAll();
  await h.flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  t.same(h.writes(), ['updateStatus DaemonSet/status agent'], 'only the status');
  t.match(h.fake.get('apps/v1', 'DaemonSet', 'agent', 'default')?.status, { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, numberUnavailable: 0 });
  await h.flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  t.same(h.writes(), [], 'steady state: no writes');

  // a node leaves the selector: its pod goes
  h.fake.set(node('n2'));
  await h.flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  t.same(h.writes().filter((w) => w.startsWith('delete')).length, 1, 'the pod on n2 is deleted');
});

t.test('reconcile: a failed daemon pod is deleted, then held back by the backoff', async (t) => {
  const h = await harness(t, [daemonSet(), node('n1'), daemonPod('agent-x', 'n1', { state: 'failed' })]);
  await h.controller.reconcile(KEY);
  t.ok(h.writes().includes('delete Pod agent-x'), 'deleted');
  t.match(h.events, [/^Warning FailedDaemonPod Found failed daemon pod default\/agent-x on node n1, will try to kill it$/]);
});

t.test('reconcile: expectations hold back a second round while the cache lags', async (t) => {
  const h = await harness(t, [daemonSet(), node('n1'), node('n2')]);
  h.gate.closed = true;
  await h.controller.reconcile(KEY);
  t.equal(h.writes().filter((w) => w.startsWith('create Pod')).length, 2);
  t.notOk(h.controller.expectations.satisfied(KEY), 'two creations in flight');
  // before the informer delivers the pods, a second sync must not create them again
  h.fake.clearWrites();
  const lagging = h.controller.reconcile(KEY);
  await lagging;
  t.same(h.writes().filter((w) => w.startsWith('create Pod')), [], 'no duplicate creates');
  h.gate.open();
  await h.flush();
  t.ok(h.controller.expectations.satisfied(KEY), 'both creations observed');
});

t.test('reconcile: a template change rolls one node at a time (maxUnavailable 1)', async (t) => {
  const h = await harness(t, [daemonSet(), node('n1'), node('n2')]);
  await h.controller.reconcile(KEY);
  await h.flush();
  h.runAll();
  await h.flush();
  await h.controller.reconcile(KEY);
  await h.flush();
  const oldHash = h.fake.list<Pod>('v1', 'Pod', 'default')[0]!.metadata?.labels?.['controller-revision-hash'];

  editObject<DaemonSet>(h.fake, 'apps/v1', 'DaemonSet', 'agent', (ds) => {
    ds.spec!.template.spec!.containers[0]!.image = 'busybox:2';
  });
  await h.flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  const revisions = h.fake.list<Record<string, any> & KubeObject>('apps/v1', 'ControllerRevision', 'default');
  t.same(revisions.map((r) => r.revision).sort(), [1, 2], 'a second revision');
  const deletes = h.writes().filter((w) => w.startsWith('delete Pod'));
  t.equal(deletes.length, 1, 'one old pod at a time');

  // the manage loop replaces it with a pod of the new hash
  await h.flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  const created = h.fake.writes.filter((w) => w.verb === 'create' && w.kind === 'Pod');
  t.equal(created.length, 1, 'a replacement');
  const newHash = (created[0]!.body as Pod).metadata?.labels?.['controller-revision-hash'];
  t.not(newHash, oldHash, 'at the new revision');
  t.equal((created[0]!.body as Pod).metadata?.labels?.['pod-template-generation'], '2');
});

t.test('failed-pod backoff: 1 s doubling to the max, per key', async (t) => {
  const clock = new FakeClock(NOW);
  const b = new FailedPodsBackoff(clock, 1000, 4000);
  t.notOk(b.inBackoff('k'), 'nothing yet');
  const steps: Array<[number, number]> = [];
  for (let i = 0; i < 4; i++) {
    b.next('k');
    steps.push([b.delay('k'), Number(b.inBackoff('k'))]);
    clock.step(b.delay('k'));
  }
  t.same(steps, [[1000, 1], [2000, 1], [4000, 1], [4000, 1]], 'doubles, capped');
  t.notOk(b.inBackoff('k'), 'free once the delay has passed');
  t.notOk(b.inBackoff('other'), 'keys are independent');
  clock.step(9000);
  b.next('k');
  t.equal(b.delay('k'), 1000, 'unused for twice the max: starts over');
});
