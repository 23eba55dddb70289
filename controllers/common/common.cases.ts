/**
 * The shared controller pieces: expectations (counts, TTL, deletions counted once),
 * claiming (adopt / release / ignore, the owner re-check), pod control (pod from a
 * template, events), conditions and pod predicates, and the fake cluster's server rules.
 */
import t from 'tap';
import type { V1Pod } from '@kubernetes/client-node';
import { FakeClock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { KubeObject } from '../../client/types.js';
import { claimObjects } from './claim-objects.js';
import { setCondition } from './conditions.js';
import { getControllerOf, newControllerRef } from './controller-ref.js';
import { ControllerExpectations, UIDTrackingExpectations } from './expectations.js';
import { PodControl, podFromTemplate } from './pod-control.js';
import { isPodAvailable, isPodActive } from './pod-status.js';
import { FakeCluster } from './testing/fake-cluster.js';
import { testPod } from './testing/objects.js';

t.test('expectations: pending until observed, expire after the TTL', async (t) => {
  const clock = new FakeClock(0);
  const e = new ControllerExpectations(clock, 1000);
  t.ok(e.satisfied('a'), 'unknown keys are satisfied');
  e.expectCreations('a', 2);
  t.notOk(e.satisfied('a'));
  e.creationObserved('a');
  t.notOk(e.satisfied('a'));
  e.creationObserved('a');
  t.ok(e.satisfied('a'));
  e.expectDeletions('b', 1);
  clock.step(1001);
  t.ok(e.satisfied('b'), 'expired');
});

t.test('uid-tracking expectations count a deletion once', async (t) => {
  const e = new UIDTrackingExpectations(new FakeClock(0));
  e.expectDeletionsOf('rs', ['ns/p1', 'ns/p2']);
  e.deletionObservedOf('rs', 'ns/p1');
  e.deletionObservedOf('rs', 'ns/p1');
  t.same(e.pending('rs'), { add: 0, del: 1 });
  e.deletionObservedOf('rs', 'ns/p2');
  t.ok(e.satisfied('rs'));
});

const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'uid-web' } };
const pod = (name: string, labels: Record<string, string>, ownerUid?: string, extra: Partial<V1Pod['metadata']> = {}): KubeObject =>
  testPod(name, {
    labels,
    metadata: {
      ...(ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: ownerUid.slice(4), uid: ownerUid, controller: true }] } : {}),
      ...(extra as object),
    },
  });

t.test('claimObjects adopts, keeps, releases and ignores as kube does', async (t) => {
  const cases = [
    { name: 'owned and matching: claimed, no write', pod: pod('a', { app: 'web' }, 'uid-web'), claimed: ['a'], writes: 0, owners: ['uid-web'] },
    { name: 'orphan matching: adopted', pod: pod('b', { app: 'web' }), claimed: ['b'], writes: 1, owners: ['uid-web'] },
    { name: 'owned, not matching: released', pod: pod('c', { app: 'db' }, 'uid-web'), claimed: [], writes: 1, owners: [] },
    { name: 'owned by another: ignored', pod: pod('d', { app: 'web' }, 'uid-other'), claimed: [], writes: 0, owners: ['uid-other'] },
    { name: 'orphan being deleted: not adopted', pod: pod('e', { app: 'web' }, undefined, { deletionTimestamp: '2026-01-01T00:00:00Z' as unknown as Date }), claimed: [], writes: 0, owners: [] },
    { name: 'orphan in another namespace: not adopted', pod: { ...pod('f', { app: 'web' }), metadata: { ...pod('f', { app: 'web' }).metadata, namespace: 'other' } }, claimed: [], writes: 0, owners: [] },
  ];
  for (const c of cases) {
    const fake = new FakeCluster();
    fake.seed(owner, c.pod);
    const stored = fake.get('v1', 'Pod', c.pod.metadata!.name!, c.pod.metadata!.namespace)!;
    const claimed = await claimObjects({
      owner,
      controllerRef: newControllerRef(owner, 'apps/v1', 'ReplicaSet'),
      matches: (p) => p.metadata?.labels?.app === 'web',
      objects: [stored],
      client: fake.client.resource('v1', 'Pod'),
      recheckOwner: async () => fake.get('apps/v1', 'ReplicaSet', 'web', 'default'),
    });
    t.same(claimed.map((p) => p.metadata?.name), c.claimed, c.name);
    t.equal(fake.writes.length, c.writes, `${c.name}: writes`);
    const after = fake.get('v1', 'Pod', c.pod.metadata!.name!, c.pod.metadata!.namespace)!;
    t.same((after.metadata?.ownerReferences ?? []).map((r) => r.uid), c.owners, `${c.name}: owners`);
  }
});

t.test('claimObjects does not adopt for an owner that is gone or recreated', async (t) => {
  const fake = new FakeCluster();
  fake.seed(pod('b', { app: 'web' }));
  await t.rejects(
    claimObjects({
      owner,
      controllerRef: newControllerRef(owner, 'apps/v1', 'ReplicaSet'),
      matches: () => true,
      objects: fake.list('v1', 'Pod'),
      client: fake.client.resource('v1', 'Pod'),
      recheckOwner: async () => ({ ...owner, metadata: { ...owner.metadata, uid: 'uid-new' } }),
    }),
    /is gone/,
  );
  t.equal(fake.writes.length, 0);
});

t.test('claimObjects: a stale resourceVersion is a conflict, not a clobber', async (t) => {
  const fake = new FakeCluster();
  fake.seed(owner, pod('b', { app: 'web' }));
  const stale = fake.get('v1', 'Pod', 'b', 'default')!;
  fake.set({ ...stale, metadata: { ...stale.metadata, annotations: { changed: 'yes' } } });
  await t.rejects(
    claimObjects({ owner, controllerRef: newControllerRef(owner, 'apps/v1', 'ReplicaSet'), matches: () => true, objects: [stale], client: fake.client.resource('v1', 'Pod'), recheckOwner: async () => owner }),
    { code: 409 },
  );
});

t.test('pod control: a pod from the template, events on the owner', async (t) => {
  const events: string[] = [];
  const recorder: EventRecorder = { event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`) };
  const fake = new FakeCluster();
  const control = new PodControl(fake.client, recorder);
  const template = { metadata: { labels: { app: 'web' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  const ref = newControllerRef(owner, 'apps/v1', 'ReplicaSet');
  const made = podFromTemplate('default', template, ref);
  t.equal(made.metadata?.generateName, 'web-');
  t.same(getControllerOf(made as KubeObject)?.uid, 'uid-web');
  const created = await control.createPod('default', template, owner, ref);
  t.match(created.metadata?.name, /^web-/);
  t.ok(await control.deletePod('default', created.metadata!.name!, owner));
  t.notOk(await control.deletePod('default', 'gone', owner), 'already gone: false, no error');
  t.same(events, [`Normal SuccessfulCreate Created pod: ${created.metadata?.name}`, `Normal SuccessfulDelete Deleted pod: ${created.metadata?.name}`]);
  await t.rejects(control.createPod('default', { spec: { containers: [] } }, owner, ref), /no labels/);
});

t.test('conditions keep lastTransitionTime while the status holds', async (t) => {
  const one = setCondition([], { type: 'Available', status: 'True', reason: 'A', lastTransitionTime: 't1' });
  const two = setCondition(one, { type: 'Available', status: 'True', reason: 'B', lastTransitionTime: 't2' });
  t.same(two, [{ type: 'Available', status: 'True', reason: 'B', lastTransitionTime: 't1' }]);
  const three = setCondition(two, { type: 'Available', status: 'False', reason: 'C', lastTransitionTime: 't3' });
  t.equal(three[0]!.lastTransitionTime, 't3');
});

t.test('pod predicates', async (t) => {
  const ready = (since: string): V1Pod => ({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since as unknown as Date }] } });
  const now = Date.parse('2026-01-01T00:00:10Z');
  t.ok(isPodAvailable(ready('2026-01-01T00:00:00Z'), 10, now));
  t.notOk(isPodAvailable(ready('2026-01-01T00:00:01Z'), 10, now));
  t.ok(isPodAvailable(ready('2026-01-01T00:00:09Z'), 0, now));
  t.notOk(isPodActive({ status: { phase: 'Succeeded' } }));
  t.notOk(isPodActive({ metadata: { deletionTimestamp: 'x' as unknown as Date } }));
  t.ok(isPodActive({ status: { phase: 'Pending' } }));
});

t.test('fake cluster: finalizers hold a delete until removed', async (t) => {
  const fake = new FakeCluster();
  fake.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default', finalizers: ['example.com/f'] } });
  const cms = fake.client.resource('v1', 'ConfigMap');
  await cms.delete('x', { namespace: 'default' });
  t.ok(fake.get('v1', 'ConfigMap', 'x', 'default')?.metadata?.deletionTimestamp);
  await cms.patch('x', 'merge', { metadata: { finalizers: null } }, { namespace: 'default' });
  t.equal(fake.get('v1', 'ConfigMap', 'x', 'default'), undefined);
});
