import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { namespaces } from './namespaces.js';
import { cells, create, minutesAgo, stored, update } from './strategy-harness.js';

const ns = (extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, ...extra });

t.test('shape', async (t) => {
  t.equal(namespaces.namespaced, false);
  t.same(namespaces.shortNames, ['ns']);
  t.equal(namespaces.nameRule, 'dns1123-label');
  t.notOk(namespaces.verbs.includes('deletecollection'));
  t.same(namespaces.subresources.map((s) => s.name), ['status', 'finalize']);
});

t.test('create: Active, kubernetes finalizer, metadata.name label', async (t) => {
  const { obj, errors } = create(namespaces, ns({ status: { phase: 'Terminating' } }), '');
  t.same(errors, []);
  t.same(obj.status, { phase: 'Active' });
  t.same(obj.spec, { finalizers: ['kubernetes'] });
  t.same(obj.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
});

t.test('invalid finalizers', async (t) => {
  t.same(create(namespaces, ns({ spec: { finalizers: ['cleanup'] } }), '').errors, [
    'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  t.same(create(namespaces, ns({ spec: { finalizers: ['example.com/x'] } }), '').errors, []);
});

t.test('update: main resource keeps status and finalizers; /finalize changes finalizers; /status changes status', async (t) => {
  const old = stored(namespaces, ns());
  const next = structuredClone(old) as any;
  next.spec.finalizers = [];
  next.status.phase = 'Terminating';
  const main = update(namespaces, next, old);
  t.same(main.obj.spec, { finalizers: ['kubernetes'] });
  t.same(main.obj.status, { phase: 'Active' });
  t.same(main.errors, []);

  const fin = update(namespaces, next, old, 'finalize');
  t.same(fin.obj.spec, { finalizers: [] });
  t.same(fin.obj.status, { phase: 'Active' });

  const st = update(namespaces, next, old, 'status');
  t.same(st.obj.spec, { finalizers: ['kubernetes'] });
  t.same(st.errors, ["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"]);

  const deleting = { ...structuredClone(next), metadata: { ...next.metadata, deletionTimestamp: minutesAgo(1) } };
  t.same(update(namespaces, deleting, old, 'status').errors, []);
});

t.test('cells and field selector', async (t) => {
  const obj = stored(namespaces, { ...ns(), metadata: { name: 'team-a', creationTimestamp: minutesAgo(3) } });
  t.same(cells(namespaces, obj), ['team-a', 'Active', '3m']);
  t.equal(namespaces.selectableFields!['status.phase']!(obj), 'Active');
});

t.test('delete: Terminating while spec.finalizers hold it', async (t) => {
  const obj = stored(namespaces, ns());
  t.equal(namespaces.strategy.prepareForDelete!(obj, undefined as never), true);
  t.same(obj.status, { phase: 'Terminating' });
  t.equal(namespaces.strategy.deletionBlocked!(obj), true);
  (obj.spec as any).finalizers = [];
  t.equal(namespaces.strategy.deletionBlocked!(obj), false);
  const bare = { ...ns(), spec: { finalizers: [] } };
  t.equal(namespaces.strategy.prepareForDelete!(bare, undefined as never), false);
});
