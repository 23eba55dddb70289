/**
 * The StatefulSet controller: the pure parts table-driven (ordinals and identity, the
 * sync plan for OrderedReady and Parallel, rolling updates with a partition), then
 * reconcile against the fake cluster (pods, claims and the ControllerRevision it writes,
 * kube's event wording) and a steady state with no writes at all.
 */
import t, { type Test } from 'tap';
import type { KubeObject } from '../../client/types.js';
import { newControllerRef } from '../common/controller-ref.js';
import { formatTime } from '../common/time.js';
import { startFakeController } from '../common/testing/controller-harness.js';
import { editObject } from '../common/testing/edit-object.js';
import { completeRollingUpdate, planStatefulSet, type PodAction } from './stateful-set-plan.js';
import { StatefulSetController } from './stateful-set-controller.js';
import { claimsFor, getOrdinal, identityMatches, newStatefulSetPod, parentNameAndOrdinal, podInOrdinalRange, storageMatches, type Pod, type StatefulSet } from './stateful-set-utils.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const KEY = 'default/web';

interface SetOpts {
  replicas?: number;
  parallel?: boolean;
  partition?: number;
  onDelete?: boolean;
  start?: number;
  image?: string;
  claims?: boolean;
  minReadySeconds?: number;
  status?: Record<string, unknown>;
}

const statefulSet = (o: SetOpts = {}): StatefulSet =>
  ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 1 },
    spec: {
      serviceName: 'nginx',
      replicas: o.replicas ?? 3,
      podManagementPolicy: o.parallel ? 'Parallel' : 'OrderedReady',
      ...(o.start !== undefined ? { ordinals: { start: o.start } } : {}),
      ...(o.minReadySeconds ? { minReadySeconds: o.minReadySeconds } : {}),
      updateStrategy: o.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } },
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: o.image ?? 'nginx:1' }] } },
      ...(o.claims ? { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } : {}),
    },
    ...(o.status ? { status: o.status } : {}),
  }) as StatefulSet;

type PodState = 'ready' | 'pending' | 'unready' | 'failed' | 'terminating';

/** a pod of the set as the server would show it */
function pod(set: StatefulSet, ordinal: number, state: PodState = 'ready', revision = 'rev-a'): Pod {
  const p = newStatefulSetPod(set, ordinal, newControllerRef(set, 'apps/v1', 'StatefulSet'));
  p.apiVersion = 'v1';
  p.kind = 'Pod';
  const meta: KubeObject['metadata'] = { ...p.metadata, uid: `uid-web-${ordinal}`, labels: { ...p.metadata?.labels, 'controller-revision-hash': revision }, creationTimestamp: formatTime(NOW - 600_000) };
  if (state === 'terminating') meta.deletionTimestamp = formatTime(NOW);
  p.metadata = meta as Pod['metadata'];
  const phase = state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running';
  const ready = state === 'ready' || state === 'terminating';
  p.status = { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: formatTime(NOW - 600_000) }] } as unknown as Pod['status'];
  return p;
}

const plan = (set: StatefulSet, pods: Pod[], o: { update?: string; current?: string; claims?: string[] } = {}) =>
  planStatefulSet({
    set,
    currentSet: set,
    updateSet: set,
    currentRevision: o.current ?? 'rev-a',
    updateRevision: o.update ?? 'rev-a',
    collisionCount: 0,
    pods,
    existingClaims: new Set(o.claims ?? []),
    controllerRef: newControllerRef(set, 'apps/v1', 'StatefulSet'),
    now: NOW,
  });

const describe = (actions: PodAction[]) => actions.map((a) => `${a.type}${a.type === 'delete' ? `(${a.why})` : ''} ${a.pod.metadata?.name}`);

t.test('ordinals, names and identity', async (t) => {
  const cases: Array<[string, { parent: string; ordinal: number }]> = [
    ['web-0', { parent: 'web', ordinal: 0 }],
    ['my-web-12', { parent: 'my-web', ordinal: 12 }],
    ['web', { parent: '', ordinal: -1 }],
    ['web-x', { parent: '', ordinal: -1 }],
  ];
  for (const [name, want] of cases) t.same(parentNameAndOrdinal({ metadata: { name } }), want, name);

  const set = statefulSet({ replicas: 2, start: 5, claims: true });
  t.ok(podInOrdinalRange({ metadata: { name: 'web-5' } }, set), 'start ordinal is in range');
  t.ok(podInOrdinalRange({ metadata: { name: 'web-6' } }, set));
  t.notOk(podInOrdinalRange({ metadata: { name: 'web-4' } }, set), 'below start');
  t.notOk(podInOrdinalRange({ metadata: { name: 'web-7' } }, set), 'above the end');

  const p = newStatefulSetPod(set, 6, newControllerRef(set, 'apps/v1', 'StatefulSet'));
  t.match(p, {
    metadata: { name: 'web-6', namespace: 'default', labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-6', 'apps.kubernetes.io/pod-index': '6' } },
    spec: { hostname: 'web-6', subdomain: 'nginx', volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-6' } }] },
  });
  t.ok(identityMatches(set, p) && storageMatches(set, p), 'a new pod has its identity and storage');
  t.match([...claimsFor(set, 6).values()][0], { metadata: { name: 'data-web-6', labels: { app: 'web' } }, spec: { accessModes: ['ReadWriteOnce'] } });
  const stray = structuredClone(p);
  delete stray.metadata!.labels!['statefulset.kubernetes.io/pod-name'];
  t.notOk(identityMatches(set, stray), 'a lost label breaks identity');
  t.equal(getOrdinal(p), 6);
});

t.test('plan: OrderedReady and Parallel', async (t) => {
  const ordered = statefulSet({ replicas: 3 });
  const parallel = statefulSet({ replicas: 3, parallel: true });
  const cases: Array<{ name: string; set: StatefulSet; pods: (s: StatefulSet) => Pod[]; want: string[] }> = [
    { name: 'ordered: nothing yet → web-0 only', set: ordered, pods: () => [], want: ['create web-0'] },
    { name: 'ordered: web-0 pending → wait', set: ordered, pods: (s) => [pod(s, 0, 'pending')], want: [] },
    { name: 'ordered: web-0 running but not ready → wait', set: ordered, pods: (s) => [pod(s, 0, 'unready')], want: [] },
    { name: 'ordered: web-0 ready → web-1', set: ordered, pods: (s) => [pod(s, 0)], want: ['create web-1'] },
    { name: 'ordered: a gap is filled first', set: ordered, pods: (s) => [pod(s, 0), pod(s, 2)], want: ['create web-1'] },
    { name: 'ordered: failed pod is recreated', set: ordered, pods: (s) => [pod(s, 0, 'failed'), pod(s, 1)], want: ['delete(failed) web-0', 'create web-0'] },
    { name: 'ordered: a terminating pod blocks', set: ordered, pods: (s) => [pod(s, 0, 'terminating'), pod(s, 1)], want: [] },
    { name: 'parallel: all at once', set: parallel, pods: () => [], want: ['create web-0', 'create web-1', 'create web-2'] },
    { name: 'parallel: pending pods do not block', set: parallel, pods: (s) => [pod(s, 0, 'pending')], want: ['create web-1', 'create web-2'] },
    { name: 'converged: nothing', set: ordered, pods: (s) => [pod(s, 0), pod(s, 1), pod(s, 2)], want: [] },
  ];
  for (const c of cases) t.same(describe(plan(c.set, c.pods(c.set)).actions), c.want, c.name);
});

t.test('plan: scale down in reverse order, one at a time when ordered', async (t) => {
  const three = (s: StatefulSet) => [pod(s, 0), pod(s, 1), pod(s, 2)];
  const cases: Array<{ name: string; set: StatefulSet; pods: (s: StatefulSet) => Pod[]; want: string[] }> = [
    { name: 'ordered: highest first', set: statefulSet({ replicas: 1 }), pods: three, want: ['delete(scaleDown) web-2'] },
    { name: 'ordered: wait while it terminates', set: statefulSet({ replicas: 1 }), pods: (s) => [pod(s, 0), pod(s, 1), pod(s, 2, 'terminating')], want: [] },
    { name: 'ordered: not while a lower pod is unhealthy', set: statefulSet({ replicas: 1 }), pods: (s) => [pod(s, 0, 'unready'), pod(s, 1), pod(s, 2)], want: [] },
    { name: 'ordered: the first unhealthy condemned pod may go', set: statefulSet({ replicas: 1 }), pods: (s) => [pod(s, 0), pod(s, 1), pod(s, 2, 'unready')], want: ['delete(scaleDown) web-2'] },
    { name: 'parallel: all condemned at once', set: statefulSet({ replicas: 1, parallel: true }), pods: three, want: ['delete(scaleDown) web-2', 'delete(scaleDown) web-1'] },
    { name: 'ordinals.start moved up: the low ordinal goes', set: statefulSet({ replicas: 2, start: 1 }), pods: three, want: ['delete(scaleDown) web-0'] },
  ];
  for (const c of cases) t.same(describe(plan(c.set, c.pods(c.set)).actions), c.want, c.name);
});

t.test('plan: rolling update from the top down to the partition', async (t) => {
  const atA = (s: StatefulSet) => [pod(s, 0), pod(s, 1), pod(s, 2)];
  const cases: Array<{ name: string; set: StatefulSet; pods: (s: StatefulSet) => Pod[]; want: string[] }> = [
    { name: 'partition 0: the highest old pod first', set: statefulSet(), pods: atA, want: ['delete(update) web-2'] },
    { name: 'partition 2: only web-2', set: statefulSet({ partition: 2 }), pods: atA, want: ['delete(update) web-2'] },
    { name: 'partition 2, web-2 updated: done', set: statefulSet({ partition: 2 }), pods: (s) => [pod(s, 0), pod(s, 1), pod(s, 2, 'ready', 'rev-b')], want: [] },
    { name: 'partition 3: nothing', set: statefulSet({ partition: 3 }), pods: atA, want: [] },
    { name: 'waits for an updated pod to be healthy', set: statefulSet(), pods: (s) => [pod(s, 0), pod(s, 1), pod(s, 2, 'unready', 'rev-b')], want: [] },
    { name: 'next one once it is', set: statefulSet(), pods: (s) => [pod(s, 0), pod(s, 1), pod(s, 2, 'ready', 'rev-b')], want: ['delete(update) web-1'] },
    { name: 'OnDelete: never', set: statefulSet({ onDelete: true }), pods: atA, want: [] },
  ];
  for (const c of cases) t.same(describe(plan(c.set, c.pods(c.set), { update: 'rev-b' }).actions), c.want, c.name);

  // a pod recreated below the partition stays at the current revision
  const set = statefulSet({ partition: 2 });
  const created = plan(set, [pod(set, 0), pod(set, 2, 'ready', 'rev-b')], { update: 'rev-b' }).actions[0];
  t.equal(created?.type, 'create');
  t.equal(created?.pod.metadata?.labels?.['controller-revision-hash'], 'rev-a', 'web-1 is recreated at the current revision');

  const status = plan(set, [pod(set, 0), pod(set, 1), pod(set, 2, 'ready', 'rev-b')], { update: 'rev-b' }).status;
  t.match(status, { replicas: 3, readyReplicas: 3, currentReplicas: 2, updatedReplicas: 1, currentRevision: 'rev-a', updateRevision: 'rev-b' });
  const all = plan(set, [pod(set, 0, 'ready', 'rev-b'), pod(set, 1, 'ready', 'rev-b'), pod(set, 2, 'ready', 'rev-b')], { update: 'rev-b' }).status;
  t.match(completeRollingUpdate(set, all), { currentRevision: 'rev-b', currentReplicas: 3 }, 'a finished rollout makes the update revision current');
});

t.test('plan: a pending pod gets its missing claims', async (t) => {
  const set = statefulSet({ replicas: 1, claims: true });
  t.same(describe(plan(set, [pod(set, 0, 'pending')]).actions), ['createClaims web-0']);
  t.same(describe(plan(set, [pod(set, 0, 'pending')], { claims: ['data-web-0'] }).actions), []);
});

async function harness(t: Test, objects: KubeObject[]) {
  const h = await startFakeController(t, { now: NOW, objects }, (env) => new StatefulSetController({ client: env.fake.client, informers: env.informers, recorder: env.recorder, clock: env.clock }));
  const { fake } = h;
  const flush = async () => {
    // the API server's part: a new pod is Pending
    for (const p of fake.list<Pod>('v1', 'Pod', 'default')) if (!p.status?.phase) fake.set({ ...p, status: { phase: 'Pending' } });
    await h.flush();
  };
  /** the kubelet's part: every pod Running and Ready */
  const runAll = () => {
    for (const p of fake.list<Pod>('v1', 'Pod', 'default')) {
      if (p.status?.phase === 'Running') continue;
      fake.set({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: formatTime(NOW) }] } });
    }
  };
  /** every pod Running and Ready, synced until converged; then only what a further sync writes is recorded */
  const converge = async () => {
    runAll();
    await flush();
    await h.controller.reconcile(KEY);
    await flush();
    fake.clearWrites();
    await h.controller.reconcile(KEY);
  };
  /** a user's edit of the set, seen by the cache; then one sync, whose writes alone are recorded */
  const editAndSync = async (change: (set: StatefulSet) => void) => {
    editObject<StatefulSet>(fake, 'apps/v1', 'StatefulSet', 'web', change);
    await flush();
    fake.clearWrites();
    await h.controller.reconcile(KEY);
  };
  return { ...h, flush, runAll, converge, editAndSync };
}

t.test('reconcile: a revision, then pods one by one with claims, then steady state', async (t) => {
  const h = await harness(t, [statefulSet({ replicas: 2, claims: true })]);
  await h.controller.reconcile(KEY);
  const revision = h.fake.list('apps/v1', 'ControllerRevision', 'default')[0] as Record<string, any>;
  t.match(revision, { revision: 1, metadata: { labels: { app: 'web' }, ownerReferences: [{ kind: 'StatefulSet', name: 'web', controller: true }] } }, 'revision 1, owned');
  t.match(revision.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/, 'named <set>-<hash>');
  t.same(revision.data.spec.template.$patch, 'replace', 'data replaces the template');
  t.same(h.writes(), ['create ControllerRevision ' + revision.metadata.name, 'create PersistentVolumeClaim data-web-0', 'create Pod web-0', 'updateStatus StatefulSet/status web']);
  t.same(h.events, ['Normal SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success', 'Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful']);
  t.match(h.fake.get('apps/v1', 'StatefulSet', 'web', 'default')?.status, { currentRevision: revision.metadata.name, updateRevision: revision.metadata.name, observedGeneration: 1, replicas: 0 });

  await h.flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  t.same(h.writes(), ['updateStatus StatefulSet/status web'], 'web-0 not ready yet: only the status (replicas 1)');

  h.runAll();
  await h.flush();
  h.fake.clearWrites();
  await h.controller.reconcile(KEY);
  t.same(h.writes(), ['create PersistentVolumeClaim data-web-1', 'create Pod web-1', 'updateStatus StatefulSet/status web'], 'web-1 after web-0 is ready');

  await h.converge();
  t.same(h.writes(), [], 'steady state: no writes');
  t.match(h.fake.get('apps/v1', 'StatefulSet', 'web', 'default')?.status, { replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2 });
});

t.test('reconcile: a template change makes revision 2; rolling back renumbers revision 1 as 3', async (t) => {
  const set = statefulSet({ replicas: 1 });
  const h = await harness(t, [set]);
  await h.controller.reconcile(KEY);
  h.runAll();
  await h.flush();
  await h.controller.reconcile(KEY);
  await h.flush();
  const first = h.fake.list('apps/v1', 'ControllerRevision', 'default')[0]!.metadata!.name!;

  await h.editAndSync((set) => {
    set.spec!.template.spec!.containers[0]!.image = 'nginx:2';
  });
  const revisions = h.fake.list<Record<string, any> & KubeObject>('apps/v1', 'ControllerRevision', 'default');
  t.same(revisions.map((r) => r.revision).sort(), [1, 2], 'two revisions');
  t.same(h.writes().slice(0, 2), [`create ControllerRevision ${revisions.find((r) => r.revision === 2)!.metadata!.name}`, 'delete Pod web-0'], 'the old pod goes for the update');
  t.match(h.events.at(-1), /^Normal SuccessfulDelete delete Pod web-0 in StatefulSet web successful$/);

  await h.editAndSync((set) => {
    set.spec!.template.spec!.containers[0]!.image = 'nginx:1';
  });
  t.equal(h.writes()[0], `update ControllerRevision ${first}`, 'the old revision is renumbered, not duplicated');
  t.equal((h.fake.get('apps/v1', 'ControllerRevision', first, 'default') as Record<string, any>).revision, 3);
});

t.test('reconcile: Parallel creates every pod at once; whenDeleted=Delete makes the set own its claims', async (t) => {
  const set = statefulSet({ replicas: 3, parallel: true, claims: true });
  set.spec!.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
  const h = await harness(t, [set]);
  await h.controller.reconcile(KEY);
  t.same(
    h.writes().filter((w) => w.startsWith('create Pod')),
    ['create Pod web-0', 'create Pod web-1', 'create Pod web-2'],
  );
  const claim = h.fake.get('v1', 'PersistentVolumeClaim', 'data-web-1', 'default');
  t.match(claim?.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web' }], 'owned by the set');
  await h.flush();
  await h.converge();
  t.same(h.writes(), [], 'steady state: no writes');
});

t.test('reconcile: an orphan pod with a matching name is adopted', async (t) => {
  const set = statefulSet({ replicas: 1 });
  const orphan = pod(set, 0);
  delete orphan.metadata!.ownerReferences;
  const h = await harness(t, [set, orphan]);
  await h.controller.reconcile(KEY);
  // its revision label is not the set's revision: once adopted, the rolling update replaces it
  t.same(h.writes().filter((w) => !w.startsWith('create ControllerRevision') && !w.startsWith('updateStatus')), ['patch Pod web-0', 'delete Pod web-0'], 'adopted, then updated');
  t.match(h.fake.writes.find((w) => w.verb === 'patch')?.body, { metadata: { ownerReferences: [{ kind: 'StatefulSet', uid: 'uid-web', controller: true }] } }, 'adopted by an ownerReferences patch');
});
