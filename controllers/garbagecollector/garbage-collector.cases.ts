/**
 * The garbage collector: its pure parts in tables (the plan for a dependent, the patches,
 * which kinds are watched, how graph events turn into work), then the whole collector
 * running against the fake cluster — seeded objects → the writes kube's collector makes
 * (deletes with a uid precondition, reference and finalizer patches), and none at all
 * once the cluster is converged.
 */
import t, { type Test } from 'tap';
import { ApiError } from '../../client/api-error.js';
import { realClock } from '../../client/clock.js';
import { serverResources } from '../../client/discovery/rest-mapper.js';
import type { EventRecorder } from '../../client/events/types.js';
import { SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { silentLogger } from '../../client/workqueue/silent-logger.js';
import { FakeCluster, type RecordedWrite } from '../common/testing/fake-cluster.js';
import { formatTime } from '../common/time.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { deletableResources, type DiscoveredResource } from './deletable-resources.js';
import { DependencyGraph, referencesDiff } from './dependency-graph.js';
import { classifyOwner, planForDependent, removeFinalizerPatch, removeOwnerReferencesPatch, unblockOwnerReferencesPatch, type ClassifiedOwner } from './dependent-plan.js';
import { GarbageCollector } from './garbage-collector.js';
import { identityOf, type OwnerReference } from './object-identity.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

const ref = (kind: string, name: string, o: { uid?: string; block?: boolean; apiVersion?: string } = {}): OwnerReference => ({
  apiVersion: o.apiVersion ?? (kind === 'ReplicaSet' || kind === 'Deployment' ? 'apps/v1' : 'v1'),
  kind,
  name,
  uid: o.uid ?? `uid-${name}`,
  controller: true,
  ...(o.block !== undefined ? { blockOwnerDeletion: o.block } : {}),
});

interface ObjOpts {
  owners?: OwnerReference[];
  deleting?: string[];
  finalizers?: string[];
  uid?: string;
}

const object = (apiVersion: string, kind: string, name: string, o: ObjOpts = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: {
    name,
    namespace: 'default',
    uid: o.uid ?? `uid-${name}`,
    ...(o.owners ? { ownerReferences: o.owners } : {}),
    ...(o.deleting ? { deletionTimestamp: formatTime(NOW), finalizers: o.deleting } : {}),
    ...(o.finalizers ? { finalizers: o.finalizers } : {}),
  },
});
const deployment = (name: string, o?: ObjOpts) => object('apps/v1', 'Deployment', name, o);
const replicaSet = (name: string, o?: ObjOpts) => object('apps/v1', 'ReplicaSet', name, o);
const pod = (name: string, o?: ObjOpts) => object('v1', 'Pod', name, o);

// ---- pure parts ----

t.test('classifyOwner: absent, another uid, foreground-deleting, existing', async (t) => {
  const r = ref('ReplicaSet', 'web');
  t.equal(classifyOwner(r, undefined), 'dangling');
  t.equal(classifyOwner(r, replicaSet('web', { uid: 'uid-other' })), 'dangling', 'same name, recreated: another uid');
  t.equal(classifyOwner(r, replicaSet('web', { deleting: ['foregroundDeletion'] })), 'waiting');
  t.equal(classifyOwner(r, replicaSet('web', { deleting: ['orphan'] })), 'solid', 'orphaning owner: not waiting for its dependents');
  t.equal(classifyOwner(r, replicaSet('web')), 'solid');
});

t.test('planForDependent: kube attemptToDeleteItem decisions', async (t) => {
  const a = ref('ReplicaSet', 'a');
  const b = ref('ReplicaSet', 'b');
  const noDeps = { hasDependents: false, aDependentIsDeletingDependents: false };
  const cases: Array<[string, KubeObject, ClassifiedOwner[], typeof noDeps, unknown]> = [
    ['no owners: nothing', pod('p'), [], noDeps, { action: 'none' }],
    ['owner exists: nothing (steady state)', pod('p'), [{ ref: a, state: 'solid' }], noDeps, { action: 'none' }],
    ['one owner gone of two: drop just its reference', pod('p'), [{ ref: a, state: 'solid' }, { ref: b, state: 'dangling' }], noDeps, { action: 'removeOwnerReferences', uids: ['uid-b'] }],
    ['a solid owner and a waiting one: drop the waiting reference', pod('p'), [{ ref: a, state: 'waiting' }, { ref: b, state: 'solid' }], noDeps, { action: 'removeOwnerReferences', uids: ['uid-a'] }],
    ['all owners gone: background delete', pod('p'), [{ ref: a, state: 'dangling' }], noDeps, { action: 'delete', policy: 'Background' }],
    ['waiting owner, no dependents of its own: background', pod('p'), [{ ref: a, state: 'waiting' }], noDeps, { action: 'delete', policy: 'Background' }],
    [
      'waiting owner, has dependents: foreground',
      replicaSet('r'),
      [{ ref: a, state: 'waiting' }],
      { hasDependents: true, aDependentIsDeletingDependents: false },
      { action: 'delete', policy: 'Foreground' },
    ],
    [
      'waiting owner, a dependent is itself deleting dependents: unblock first',
      replicaSet('r'),
      [{ ref: a, state: 'waiting' }],
      { hasDependents: true, aDependentIsDeletingDependents: true },
      { action: 'delete', policy: 'Foreground', unblockOwnerReferences: true },
    ],
    ['its own orphan finalizer is honoured', pod('p', { finalizers: ['orphan'] }), [{ ref: a, state: 'dangling' }], noDeps, { action: 'delete', policy: 'Orphan' }],
    ['its own foreground finalizer is honoured', pod('p', { finalizers: ['foregroundDeletion'] }), [{ ref: a, state: 'dangling' }], noDeps, { action: 'delete', policy: 'Foreground' }],
  ];
  for (const [name, dependent, owners, graph, want] of cases) t.same(planForDependent(dependent, owners, graph), want, name);
});

t.test('patches carry the resourceVersion they were computed from', async (t) => {
  const p = pod('p', { owners: [ref('ReplicaSet', 'a', { block: true }), ref('ReplicaSet', 'b')] });
  p.metadata!.resourceVersion = '7';
  t.same(removeOwnerReferencesPatch(p, ['uid-a']), { metadata: { resourceVersion: '7', ownerReferences: [ref('ReplicaSet', 'b')] } });
  t.same(removeOwnerReferencesPatch(p, ['uid-a', 'uid-b']), { metadata: { resourceVersion: '7', ownerReferences: null } }, 'the last one: null removes the field');
  t.same(unblockOwnerReferencesPatch(p), { metadata: { resourceVersion: '7', ownerReferences: [ref('ReplicaSet', 'a', { block: false }), ref('ReplicaSet', 'b')] } });
  t.equal(unblockOwnerReferencesPatch(pod('q', { owners: [ref('ReplicaSet', 'b')] })), undefined);
  const owner = replicaSet('r', { deleting: ['foregroundDeletion', 'example.com/x'] });
  owner.metadata!.resourceVersion = '9';
  t.same(removeFinalizerPatch(owner, 'foregroundDeletion'), { metadata: { resourceVersion: '9', finalizers: ['example.com/x'] } });
  t.same(removeFinalizerPatch(replicaSet('r', { deleting: ['orphan'] }), 'orphan'), { metadata: { finalizers: null } });
  t.equal(removeFinalizerPatch(replicaSet('r'), 'orphan'), undefined);
});

t.test('deletableResources: list+watch+delete, no events, one version per kind', async (t) => {
  const r = (group: string, version: string, kind: string, resource: string, verbs: string[]): DiscoveredResource => ({ group, version, kind, resource, namespaced: true, verbs });
  const all = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
  const got = deletableResources([
    r('', 'v1', 'Pod', 'pods', all),
    r('', 'v1', 'Event', 'events', all),
    r('events.k8s.io', 'v1', 'Event', 'events', all),
    r('', 'v1', 'Binding', 'bindings', ['create']),
    r('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', ['create']),
    r('apps', 'v1', 'ReplicaSet', 'replicasets', all),
    r('apps', 'v1beta1', 'ReplicaSet', 'replicasets', all),
    r('', 'v1', 'ComponentStatus', 'componentstatuses', ['get', 'list']),
  ]);
  t.same(
    got.map((x) => `${x.group}/${x.version}/${x.kind}`),
    ['/v1/Pod', 'apps/v1/ReplicaSet'],
  );
});

t.test('serverResources (client/discovery): preferred or all versions, no subresources', async (t) => {
  const docs: Record<string, unknown> = {
    '/api': { kind: 'APIVersions', versions: ['v1'] },
    '/apis': {
      kind: 'APIGroupList',
      groups: [
        { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
        {
          name: 'example.com',
          versions: [
            { groupVersion: 'example.com/v2', version: 'v2' },
            { groupVersion: 'example.com/v1', version: 'v1' },
          ],
          preferredVersion: { groupVersion: 'example.com/v2', version: 'v2' },
        },
      ],
    },
    '/api/v1': {
      resources: [
        { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['list', 'watch', 'delete'] },
        { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get'] },
        { name: 'nodes', kind: 'Node', namespaced: false, verbs: ['list'] },
      ],
    },
    '/apis/apps/v1': { resources: [{ name: 'replicasets', kind: 'ReplicaSet', namespaced: true, verbs: ['list'] }] },
    '/apis/example.com/v2': { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true, verbs: ['list'] }] },
  };
  const fetch = async (path: string) => {
    if (path in docs) return docs[path];
    throw new ApiError({ code: 404, reason: 'NotFound', message: `${path} not found` });
  };
  const preferred = await serverResources(fetch);
  t.same(
    preferred.map((r) => `${r.group}/${r.version}/${r.resource}`),
    ['/v1/pods', '/v1/nodes', 'apps/v1/replicasets', 'example.com/v2/widgets'],
  );
  t.same(preferred[0], { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, verbs: ['list', 'watch', 'delete'] });
  const all = await serverResources(fetch, { allVersions: true });
  t.same(all.map((r) => `${r.group}/${r.version}/${r.resource}`).slice(-1), ['example.com/v2/widgets'], 'example.com/v1 answered 404: nothing from it');
});

t.test('referencesDiff', async (t) => {
  const a = ref('ReplicaSet', 'a', { block: true });
  const b = ref('ReplicaSet', 'b');
  const c = ref('ReplicaSet', 'c');
  t.same(referencesDiff([a, b], [{ ...a, blockOwnerDeletion: false }, c]), { added: [c], removed: [b], unblocked: [{ ...a, blockOwnerDeletion: false }] });
});

t.test('the graph: virtual owners, deletes, transitions', async (t) => {
  const graph = new DependencyGraph(new AbsentOwnerCache());
  const observe = (o: KubeObject, old?: KubeObject) => graph.apply({ type: 'observed', identity: identityOf(o, o.apiVersion!, o.kind!), object: o, ...(old ? { old } : {}) });
  const p1 = pod('p1', { owners: [ref('ReplicaSet', 'rs', { block: true })] });
  t.same(observe(p1), { attemptToDelete: ['uid-rs'], attemptToOrphan: [] }, 'an unseen owner becomes a virtual node to verify');
  t.equal(graph.get('uid-rs')?.virtual, true);
  t.same(observe(replicaSet('rs')), { attemptToDelete: [], attemptToOrphan: [] }, 'the owner observed: nothing to do');
  t.equal(graph.get('uid-rs')?.virtual, false);
  const p2 = pod('p2', { owners: [ref('ReplicaSet', 'rs', { block: false })] });
  t.same(observe(p2), { attemptToDelete: [], attemptToOrphan: [] });
  t.same(observe(p2, p2), { attemptToDelete: [], attemptToOrphan: [] }, 'a resync: nothing to do');

  const deleting = replicaSet('rs', { deleting: ['foregroundDeletion'] });
  t.same(observe(deleting, replicaSet('rs')), { attemptToDelete: ['uid-p1', 'uid-p2', 'uid-rs'], attemptToOrphan: [] }, 'foreground: the dependents and the owner');
  t.equal(graph.get('uid-rs')?.deletingDependents, true);
  t.same(observe(deleting, deleting), { attemptToDelete: [], attemptToOrphan: [] }, 'no second transition');
  t.same(graph.apply({ type: 'deleted', identity: identityOf(p2, 'v1', 'Pod') }), { attemptToDelete: ['uid-rs'], attemptToOrphan: [] }, 'a dependent gone: the foreground owner looks again');

  const orphaning = replicaSet('o', { deleting: ['orphan'] });
  t.same(observe(orphaning), { attemptToDelete: [], attemptToOrphan: ['uid-o'] }, 'first seen already orphaning (a restart): orphan');

  t.same(graph.apply({ type: 'deleted', identity: identityOf(deleting, 'apps/v1', 'ReplicaSet') }), { attemptToDelete: ['uid-p1'], attemptToOrphan: [] }, 'owner gone: its dependents');
  t.same(observe(pod('p3', { owners: [ref('ReplicaSet', 'gone')] })), { attemptToDelete: ['uid-gone'], attemptToOrphan: [] });
  t.same(graph.apply({ type: 'virtualDeleted', identity: { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'default', name: 'gone', uid: 'uid-gone' } }), {
    attemptToDelete: ['uid-p3'],
    attemptToOrphan: [],
  });
  t.equal(graph.get('uid-gone'), undefined);
});

// ---- the collector against the fake cluster ----

const RESOURCES: DiscoveredResource[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, verbs: ['delete', 'get', 'list', 'patch', 'watch'] },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', namespaced: true, verbs: ['delete', 'get', 'list', 'patch', 'watch'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true, verbs: ['delete', 'get', 'list', 'patch', 'watch'] },
  { group: '', version: 'v1', kind: 'Event', resource: 'events', namespaced: true, verbs: ['delete', 'get', 'list', 'patch', 'watch'] },
  { group: '', version: 'v1', kind: 'PersistentVolume', resource: 'persistentvolumes', namespaced: false, verbs: ['delete', 'get', 'list', 'patch', 'watch'] },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(done: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

async function harness(t: Test, objects: KubeObject[]) {
  const fake = new FakeCluster();
  fake.now = () => NOW;
  fake.seed(...objects);
  const client: KubeClient = { ...fake.client, serverResources: async () => RESOURCES };
  const informers = new SharedInformerFactory(client);
  const events: string[] = [];
  const recorder: EventRecorder = { event: (_obj, type, reason, message) => events.push(`${type} ${reason} ${message}`) };
  const gc = new GarbageCollector({ client, informers, clock: realClock, logger: silentLogger, recorder, settings: { workers: 4, rediscoveryPeriodMs: 0 } });
  const abort = new AbortController();
  const running = gc.run(abort.signal);
  t.teardown(async () => {
    abort.abort();
    await running;
    await informers.shutdown();
  });
  const exists = (apiVersion: string, kind: string, name: string) => fake.get(apiVersion, kind, name, 'default') !== undefined;
  const writes = () => fake.writes.map((w: RecordedWrite) => `${w.verb} ${w.kind} ${w.name}`);
  /** wait until the queues are empty and stay so: the collector is done */
  const settled = async () => {
    let quiet = 0;
    while (quiet < 10) {
      await sleep(10);
      quiet = [gc.attemptToDelete, gc.attemptToOrphan].every((q) => q.len() === 0 && q.waitingLen() === 0) ? quiet + 1 : 0;
    }
  };
  return { fake, gc, events, exists, writes, settled };
}

t.test('background: a chain whose root is gone is deleted link by link', async (t) => {
  const h = await harness(t, [
    replicaSet('web', { owners: [ref('Deployment', 'web', { block: true })] }),
    pod('web-1', { owners: [ref('ReplicaSet', 'web', { block: true })] }),
    pod('web-2', { owners: [ref('ReplicaSet', 'web', { block: true })] }),
    pod('other', { owners: [ref('ReplicaSet', 'other')] }),
    replicaSet('other'),
  ]);
  t.ok(await until(() => !h.exists('v1', 'Pod', 'web-1') && !h.exists('v1', 'Pod', 'web-2') && !h.exists('apps/v1', 'ReplicaSet', 'web')));
  await h.settled();
  t.same(h.writes().sort(), ['delete Pod web-1', 'delete Pod web-2', 'delete ReplicaSet web'].sort());
  const rsDelete = h.fake.writes.find((w) => w.kind === 'ReplicaSet')!;
  t.match(rsDelete.body, { propagationPolicy: 'Background', preconditions: { uid: 'uid-web' } });
  t.ok(h.exists('v1', 'Pod', 'other'), 'a dependent whose owner exists stays');
});

t.test('background: the owner deleted while running', async (t) => {
  const h = await harness(t, [deployment('d'), replicaSet('r', { owners: [ref('Deployment', 'd')] }), pod('p', { owners: [ref('ReplicaSet', 'r')] })]);
  await h.settled();
  t.same(h.writes(), [], 'converged: no writes');
  h.fake.remove('apps/v1', 'Deployment', 'd', 'default');
  t.ok(await until(() => !h.exists('v1', 'Pod', 'p') && !h.exists('apps/v1', 'ReplicaSet', 'r')));
  t.same(h.writes(), ['delete ReplicaSet r', 'delete Pod p']);
});

t.test('two owners, one gone: only its reference is removed', async (t) => {
  const h = await harness(t, [replicaSet('a'), pod('p', { owners: [ref('ReplicaSet', 'a'), ref('ReplicaSet', 'b')] })]);
  t.ok(await until(() => (h.fake.get('v1', 'Pod', 'p', 'default')?.metadata?.ownerReferences?.length ?? 0) === 1));
  await h.settled();
  t.same(h.writes(), ['patch Pod p']);
  t.same(h.fake.get('v1', 'Pod', 'p', 'default')?.metadata?.ownerReferences, [ref('ReplicaSet', 'a')]);
});

t.test('owner recreated under the same name (another uid): the dependent is deleted', async (t) => {
  const h = await harness(t, [replicaSet('web', { uid: 'uid-new' }), pod('p', { owners: [ref('ReplicaSet', 'web', { uid: 'uid-old' })] })]);
  t.ok(await until(() => !h.exists('v1', 'Pod', 'p')));
  await h.settled();
  t.same(h.writes(), ['delete Pod p']);
  t.ok(h.exists('apps/v1', 'ReplicaSet', 'web'));
});

t.test('foreground: dependents deleted; the finalizer goes only when no blocker is left', async (t) => {
  const h = await harness(t, [
    replicaSet('rs', { deleting: ['foregroundDeletion'] }),
    // a blocker that takes its time going away (a finalizer someone else removes)
    pod('slow', { owners: [ref('ReplicaSet', 'rs', { block: true })], finalizers: ['example.com/hold'] }),
    pod('fast', { owners: [ref('ReplicaSet', 'rs', { block: false })] }),
  ]);
  t.ok(await until(() => !h.exists('v1', 'Pod', 'fast') && Boolean(h.fake.get('v1', 'Pod', 'slow', 'default')?.metadata?.deletionTimestamp)));
  await h.settled();
  t.same(h.writes().sort(), ['delete Pod fast', 'delete Pod slow']);
  t.same(h.fake.get('apps/v1', 'ReplicaSet', 'rs', 'default')?.metadata?.finalizers, ['foregroundDeletion'], 'still blocked by slow');
  h.fake.remove('v1', 'Pod', 'slow', 'default');
  t.ok(await until(() => !h.exists('apps/v1', 'ReplicaSet', 'rs')), 'the owner goes once the blocker is gone');
  t.same(h.writes().slice(2), ['patch ReplicaSet rs']);
  t.match(h.fake.writes[2]!.body, { metadata: { finalizers: null } });
});

t.test('foreground: an owner without blocking dependents finishes at once', async (t) => {
  const h = await harness(t, [replicaSet('rs', { deleting: ['foregroundDeletion'] })]);
  t.ok(await until(() => !h.exists('apps/v1', 'ReplicaSet', 'rs')));
  t.same(h.writes(), ['patch ReplicaSet rs']);
});

t.test('foreground through a chain: the middle link is deleted in the foreground', async (t) => {
  const h = await harness(t, [
    deployment('d', { deleting: ['foregroundDeletion'] }),
    replicaSet('rs', { owners: [ref('Deployment', 'd', { block: true })] }),
    pod('p', { owners: [ref('ReplicaSet', 'rs', { block: true })] }),
  ]);
  t.ok(await until(() => !h.exists('apps/v1', 'Deployment', 'd') && !h.exists('apps/v1', 'ReplicaSet', 'rs') && !h.exists('v1', 'Pod', 'p')));
  const rsDelete = h.fake.writes.find((w) => w.verb === 'delete' && w.kind === 'ReplicaSet');
  t.match(rsDelete?.body, { propagationPolicy: 'Foreground' });
});

t.test('orphan: references removed from every dependent, then the finalizer', async (t) => {
  const h = await harness(t, [
    replicaSet('rs', { deleting: ['orphan'] }),
    pod('p1', { owners: [ref('ReplicaSet', 'rs', { block: true })] }),
    pod('p2', { owners: [ref('ReplicaSet', 'rs', { block: true }), ref('ReplicaSet', 'keep')] }),
    replicaSet('keep'),
  ]);
  t.ok(await until(() => !h.exists('apps/v1', 'ReplicaSet', 'rs')));
  await h.settled();
  t.same(h.writes().sort(), ['patch Pod p1', 'patch Pod p2', 'patch ReplicaSet rs']);
  t.equal(h.fake.get('v1', 'Pod', 'p1', 'default')?.metadata?.ownerReferences, undefined);
  t.same(h.fake.get('v1', 'Pod', 'p2', 'default')?.metadata?.ownerReferences, [ref('ReplicaSet', 'keep')]);
});

t.test('a conflict is retried', async (t) => {
  const h = await harness(t, []);
  h.fake.failNext('delete', 'Pod', new ApiError({ code: 409, reason: 'Conflict', message: 'the object has been modified' }));
  h.fake.set(pod('p', { owners: [ref('ReplicaSet', 'gone')] }));
  t.ok(await until(() => !h.exists('v1', 'Pod', 'p')));
  t.ok(h.writes().filter((w) => w === 'delete Pod p').length >= 2);
});

t.test('steady state: owners all present, no writes', async (t) => {
  const h = await harness(t, [
    deployment('d'),
    replicaSet('rs', { owners: [ref('Deployment', 'd', { block: true })] }),
    pod('p1', { owners: [ref('ReplicaSet', 'rs', { block: true })] }),
    pod('p2', { owners: [ref('ReplicaSet', 'rs', { block: true }), ref('Deployment', 'd')] }),
    pod('free'),
  ]);
  await h.settled();
  await sleep(100);
  t.same(h.writes(), []);
  t.equal(h.gc.graph.size, 5);
});

t.test('a cluster-scoped dependent naming a namespaced owner: a warning event, no writes', async (t) => {
  const pv: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv', uid: 'uid-pv', ownerReferences: [ref('ReplicaSet', 'nowhere')] } };
  const h = await harness(t, [pv]);
  t.ok(await until(() => h.events.length > 0));
  await h.settled();
  t.same(h.writes(), []);
  t.same(h.events, ['Warning OwnerRefInvalidNamespace ownerRef [apps/v1/ReplicaSet, namespace: , name: nowhere, uid: uid-nowhere] does not exist in namespace ""']);
  t.ok(h.fake.get('v1', 'PersistentVolume', 'pv'));
});

t.test('an owner of a kind not watched exists: checked again later, never written to', async (t) => {
  const h = await harness(t, [object('v1', 'Secret', 'owner'), pod('p', { owners: [ref('Secret', 'owner')] })]);
  await sleep(200);
  t.same(h.writes(), []);
  t.equal(h.gc.graph.get('uid-owner')?.virtual, true, 'still virtual: no informer shows it');
  t.equal(h.gc.attemptToDelete.waitingLen(), 1, 'a re-check is scheduled with backoff');
});
