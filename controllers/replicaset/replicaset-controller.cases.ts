/**
 * The ReplicaSet controller against the fake cluster: seeded objects → reconcile(key) →
 * exactly the writes kube's controller would make (creates, deletes, ownership patches,
 * status), and none at all once converged. A gate on the pod watch plays a lagging cache,
 * to show that expectations keep a second sync from creating the same pods again.
 */
import type { V1Pod } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { ApiError } from '../../client/api-error.js';
import { SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeObject } from '../../client/types.js';
import { formatTime } from '../common/time.js';
import { flush, startFakeController } from '../common/testing/controller-harness.js';
import { FakeCluster } from '../common/testing/fake-cluster.js';
import { WatchGate, withGatedWatch } from '../common/testing/gated-watch.js';
import { controllerRefTo, testPod } from '../common/testing/objects.js';
import { ReplicaSetController } from './replicaset-controller.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const KEY = 'default/web';
const RS_UID = 'uid-web';

interface RsOpts {
  replicas?: number;
  minReadySeconds?: number;
  status?: Record<string, unknown>;
  deleting?: boolean;
  owner?: { name: string; uid: string };
}

const replicaSet = (o: RsOpts = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: RS_UID,
    generation: 1,
    ...(o.deleting ? { deletionTimestamp: formatTime(NOW), finalizers: ['foregroundDeletion'] } : {}),
    ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: o.owner.name, uid: o.owner.uid, controller: true }] } : {}),
  },
  spec: {
    replicas: o.replicas ?? 3,
    minReadySeconds: o.minReadySeconds ?? 0,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
  },
  ...(o.status ? { status: o.status } : {}),
});

interface PodOpts {
  owner?: string | null;
  labels?: Record<string, string>;
  phase?: string;
  readyAgo?: number;
  createdAgo?: number;
  node?: string;
}

const pod = (name: string, o: PodOpts = {}): KubeObject =>
  testPod(name, {
    labels: o.labels ?? { app: 'web' },
    metadata: {
      creationTimestamp: formatTime(NOW - (o.createdAgo ?? 600) * 1000),
      ...(o.owner !== null ? { ownerReferences: [controllerRefTo('ReplicaSet', o.owner ?? 'web')] } : {}),
    },
    spec: { nodeName: o.node ?? 'node-1', containers: [{ name: 'app', image: 'nginx' }] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [o.readyAgo !== undefined ? { type: 'Ready', status: 'True', lastTransitionTime: formatTime(NOW - o.readyAgo * 1000) } : { type: 'Ready', status: 'False' }],
    },
  });

const readyPods = (n: number) => Array.from({ length: n }, (_, i) => pod(`web-${i}`, { readyAgo: 600 }));

async function harness(t: Test, objects: KubeObject[], settings = {}) {
  const gate = new WatchGate();
  const h = await startFakeController(t, { now: NOW, objects, informerClient: (c) => withGatedWatch(c, gate) }, (env) => new ReplicaSetController({ client: env.fake.client, informers: env.informers, recorder: env.recorder, clock: env.clock, settings }));
  return { ...h, gate, events: h.recorded };
}

const statusOf = (fake: FakeCluster) => fake.get('apps/v1', 'ReplicaSet', 'web', 'default')?.status as Record<string, any> | undefined;

t.test('creates exactly the missing pods, from the template, owned by the ReplicaSet', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 3 })]);
  await h.controller.reconcile(KEY);
  const creates = h.fake.writes.filter((w) => w.verb === 'create');
  t.equal(creates.length, 3);
  t.match(creates[0]!.body, {
    metadata: { generateName: 'web-', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: RS_UID, controller: true, blockOwnerDeletion: true }] },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
  });
  t.same(
    h.events.map((e) => [e.reason, e.kind]),
    Array(3).fill(['SuccessfulCreate', 'ReplicaSet']),
  );
  t.match(h.events[0]!.message, /^Created pod: web-/);
  t.match(statusOf(h.fake), { replicas: 0, observedGeneration: 1 }, 'status counts what the sync started from');
});

t.test('expectations: no second round of creates while the cache lags', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 3 })]);
  h.gate.closed = true;
  await h.controller.reconcile(KEY);
  t.equal(h.fake.writes.filter((w) => w.verb === 'create').length, 3);
  await flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  t.same(h.writes(), [], 'the cache shows no pods yet, but the creates are expected: nothing written');

  h.gate.open();
  await flush();
  t.ok(h.controller.expectations.satisfied(KEY), 'the three creations were observed');
  await h.controller.reconcile(KEY);
  t.same(h.writes(), ['updateStatus ReplicaSet/status web'], 'only the status, now counting 3');
  t.match(statusOf(h.fake), { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0 });
  h.fake.clearWrites();
  await flush();
  await h.controller.reconcile(KEY);
  t.same(h.writes(), [], 'steady state: no writes');
});

t.test('scale down deletes the cheapest pods first, each deletion expected once', async (t) => {
  const pods = [
    pod('ready-old', { readyAgo: 3000, createdAgo: 4000 }),
    pod('pending', { phase: 'Pending', readyAgo: undefined }),
    pod('ready-new', { readyAgo: 2, createdAgo: 4 }),
    pod('unready', { createdAgo: 3000 }),
    pod('unscheduled', { node: '', phase: 'Pending' }),
  ];
  const h = await harness(t, [replicaSet({ replicas: 2 }), ...pods]);
  h.gate.closed = true;
  await h.controller.reconcile(KEY);
  t.same(
    h.fake.writes.filter((w) => w.verb === 'delete').map((w) => w.name),
    ['unscheduled', 'pending', 'unready'],
  );
  t.same(
    h.events.map((e) => `${e.reason} ${e.message}`),
    ['SuccessfulDelete Deleted pod: unscheduled', 'SuccessfulDelete Deleted pod: pending', 'SuccessfulDelete Deleted pod: unready'],
  );
  t.notOk(h.controller.expectations.satisfied(KEY), 'waiting to see the deletions');
  h.fake.clearWrites();
  await flush();
  await h.controller.reconcile(KEY);
  t.same(
    h.writes().filter((w) => w.startsWith('delete')),
    [],
    'no second round of deletes while the cache still shows the pods',
  );
  h.gate.open();
  await flush();
  t.ok(h.controller.expectations.satisfied(KEY));
  await h.controller.reconcile(KEY);
  t.same(h.fake.list('v1', 'Pod', 'default').map((p) => p.metadata?.name).sort(), ['ready-new', 'ready-old']);
  t.match(statusOf(h.fake), { replicas: 2, readyReplicas: 2, availableReplicas: 2 });
});

t.test('a graceful deletion counts once: deletionTimestamp, then gone', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 1 }), pod('a', { readyAgo: 10 }), pod('b', { readyAgo: 20 })]);
  h.controller.expectations.expectDeletionsOf(KEY, ['default/a']);
  const a = h.fake.get('v1', 'Pod', 'a', 'default')!;
  h.fake.set({ ...a, metadata: { ...a.metadata, deletionTimestamp: formatTime(NOW) } });
  await flush();
  t.ok(h.controller.expectations.satisfied(KEY));
  h.fake.remove('v1', 'Pod', 'a', 'default');
  await flush();
  t.same(h.controller.expectations.pending(KEY), { add: 0, del: 0 }, 'not lowered twice');
});

t.test('adopts matching orphans instead of creating pods', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 2 }), pod('orphan-1', { owner: null }), pod('orphan-2', { owner: null }), pod('other', { owner: null, labels: { app: 'db' } })]);
  await h.controller.reconcile(KEY);
  t.same(h.writes(), ['patch Pod orphan-1', 'patch Pod orphan-2', 'updateStatus ReplicaSet/status web']);
  t.match(h.fake.get('v1', 'Pod', 'orphan-1', 'default')?.metadata?.ownerReferences, [{ kind: 'ReplicaSet', name: 'web', uid: RS_UID, controller: true }]);
  t.notOk(h.fake.get('v1', 'Pod', 'other', 'default')?.metadata?.ownerReferences, 'a pod the selector does not match is left alone');
  t.match(statusOf(h.fake), { replicas: 2 });
});

t.test('an orphan pod wakes the ReplicaSets that select it', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 1 }), pod('web-0', { readyAgo: 60 })]);
  while (h.controller.queue.len() > 0) {
    const { item } = await h.controller.queue.get();
    h.controller.queue.done(item!);
  }
  h.fake.set(pod('stray', { owner: null }));
  await flush();
  t.equal(h.controller.queue.len(), 1, 'queued for adoption');
});

t.test('releases owned pods that no longer match, and replaces them', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 1 }), pod('relabelled', { labels: { app: 'debug' }, readyAgo: 60 })]);
  await h.controller.reconcile(KEY);
  t.same(h.writes(), ['patch Pod relabelled', 'create Pod web-xxxx1', 'updateStatus ReplicaSet/status web'].map((w) => w.replace('web-xxxx1', h.fake.writes[1]!.name)));
  t.notOk(h.fake.get('v1', 'Pod', 'relabelled', 'default')?.metadata?.ownerReferences, 'our controllerRef removed');
});

t.test('steady state: nothing written', async (t) => {
  const status = { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 };
  const h = await harness(t, [replicaSet({ replicas: 3, status }), ...readyPods(3)]);
  await h.controller.reconcile(KEY);
  await h.controller.reconcile(KEY);
  t.same(h.writes(), []);
  t.same(h.events, []);
});

t.test('a failed create: slow start stops, ReplicaFailure set, then cleared', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 5 })]);
  const quota = new ApiError({ code: 403, reason: 'Forbidden', message: 'pods "web-abcde" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=0, limited: pods=0' });
  h.fake.failNext('create', 'Pod', quota);
  await t.rejects(h.controller.reconcile(KEY), quota, 'thrown: rate-limited retry');
  t.equal(h.fake.writes.filter((w) => w.verb === 'create').length, 1, 'the first batch (1 pod) failed: no more tried');
  t.same(h.events.map((e) => `${e.type} ${e.reason}`), ['Warning FailedCreate']);
  t.match(h.events[0]!.message, /^Error creating: pods "web-abcde" is forbidden: exceeded quota/);
  t.match(statusOf(h.fake)?.conditions, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: quota.message }]);
  t.ok(h.controller.expectations.satisfied(KEY), 'the failed and skipped creates are not waited for');

  await flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  t.equal(h.fake.writes.filter((w) => w.verb === 'create').length, 5, 'the retry creates all five (batches 1, 2, 2)');
  t.notOk(statusOf(h.fake)?.conditions, 'condition cleared');
});

t.test('burstReplicas caps one sync', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 10 })], { burstReplicas: 4 });
  await h.controller.reconcile(KEY);
  t.equal(h.fake.writes.filter((w) => w.verb === 'create').length, 4);
});

t.test('a pod being deleted is replaced at once, not when it is finally gone', async (t) => {
  const terminating = pod('web-1', { readyAgo: 60 });
  terminating.metadata = { ...terminating.metadata, deletionTimestamp: formatTime(NOW), finalizers: ['example.com/hold'] };
  const h = await harness(t, [replicaSet({ replicas: 2 }), pod('web-0', { readyAgo: 60 }), terminating]);
  await h.controller.reconcile(KEY);
  t.equal(h.fake.writes.filter((w) => w.verb === 'create').length, 1, 'one replacement');
  t.match(statusOf(h.fake), { replicas: 1 }, 'a terminating pod is not counted');
});

t.test('a ReplicaSet gone from the cache: its expectations are dropped, nothing written', async (t) => {
  const h = await harness(t, []);
  h.controller.expectations.expectCreations(KEY, 3);
  t.same(await h.controller.reconcile(KEY), undefined);
  t.same(h.controller.expectations.pending(KEY), undefined);
  t.same(h.writes(), []);
});

t.test('a ReplicaSet being deleted gets only its status', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 3, deleting: true }), pod('web-0', { readyAgo: 60 })]);
  await h.controller.reconcile(KEY);
  t.same(h.writes(), ['updateStatus ReplicaSet/status web']);
  t.match(statusOf(h.fake), { replicas: 1, readyReplicas: 1 });
});

t.test('minReadySeconds: counted available later, with a timed requeue', async (t) => {
  const pods = [pod('web-0', { readyAgo: 60 }), pod('web-1', { readyAgo: 4 })];
  const h = await harness(t, [replicaSet({ replicas: 2, minReadySeconds: 10 }), ...pods]);
  const result = await h.controller.reconcile(KEY);
  t.same(result, { requeueAfter: 6000 }, 'when web-1 has been ready 10 s');
  t.match(statusOf(h.fake), { readyReplicas: 2, availableReplicas: 1 });
  h.clock.step(6000);
  await flush();
  t.same(await h.controller.reconcile(KEY), undefined);
  t.match(statusOf(h.fake), { availableReplicas: 2 });
});

t.test('status write: a conflict is retried once on a fresh read', async (t) => {
  const h = await harness(t, [replicaSet({ replicas: 1 }), pod('web-0', { readyAgo: 60 })]);
  h.fake.failNext('updateStatus', 'ReplicaSet', new ApiError({ code: 409, reason: 'Conflict', message: 'the object has been modified' }));
  await h.controller.reconcile(KEY);
  t.same(h.writes(), ['updateStatus ReplicaSet/status web', 'updateStatus ReplicaSet/status web']);
  t.match(statusOf(h.fake), { replicas: 1, observedGeneration: 1 });
});

t.test('a scale-down of a Deployment-owned ReplicaSet prefers nodes crowded by its sibling ReplicaSets', async (t) => {
  const deployment = { name: 'web-deploy', uid: 'uid-deploy' };
  const sibling = { ...replicaSet({ replicas: 2, owner: deployment }), metadata: { ...replicaSet({ owner: deployment }).metadata, name: 'web-old', uid: 'uid-web-old' } };
  (sibling as any).spec.selector = { matchLabels: { app: 'web', v: 'old' } };
  const h = await harness(t, [
    replicaSet({ replicas: 1, owner: deployment }),
    sibling,
    pod('mine-a', { node: 'n1', readyAgo: 60 }),
    pod('mine-b', { node: 'n2', readyAgo: 60 }),
    pod('old-1', { node: 'n2', owner: 'web-old', labels: { app: 'web', v: 'old' }, readyAgo: 60 }),
  ]);
  // old-1 also matches web's selector but belongs to web-old: ignored by web, counted as related
  await h.controller.reconcile(KEY);
  t.same(
    h.fake.writes.filter((w) => w.verb === 'delete').map((w) => w.name),
    ['mine-b'],
  );
});

t.test('run(): converges from the informers and then stays quiet', async (t) => {
  const fake = new FakeCluster();
  fake.seed(replicaSet({ replicas: 2 }));
  const informers = new SharedInformerFactory(fake.client);
  const controller = new ReplicaSetController({ client: fake.client, informers, recorder: { event() {} }, settings: { workers: 2 } });
  const abort = new AbortController();
  informers.start(abort.signal);
  const running = controller.run(abort.signal);
  const deadline = Date.now() + 5000;
  while (fake.list('v1', 'Pod', 'default').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  // the kubelet's part: mark the pods ready
  for (const p of fake.list<V1Pod & KubeObject>('v1', 'Pod', 'default')) {
    fake.set({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(Date.now()) as unknown as Date }] } });
  }
  while ((statusOf(fake)?.readyReplicas ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  t.match(statusOf(fake), { replicas: 2, readyReplicas: 2, availableReplicas: 2 });
  await new Promise((r) => setTimeout(r, 50));
  fake.clearWrites();
  await new Promise((r) => setTimeout(r, 200));
  t.same(fake.writes, [], 'no writes once converged');
  abort.abort();
  await running;
});
