import t from 'tap';
import { apply, LAST_APPLIED_ANNOTATION, type ApplyResult } from './apply.js';
import { FieldSet } from './field-set.js';
import type { JsonObject } from './json-value.js';
import { fieldPath } from './path-element.js';
import { updateManagedFields } from './managed-fields.js';
import type { ManagedFieldsEntry } from './managed-set.js';
import { at, cm, configMaps, deployments, stored } from './test-fixtures.js';

const entries = (o: JsonObject) => ((o.metadata as JsonObject).managedFields ?? []) as ManagedFieldsEntry[];
const owners = (o: JsonObject) => entries(o).map((e) => `${e.manager}/${e.operation}: ${JSON.stringify(e.fieldsV1)}`);

function applied(r: ApplyResult): JsonObject {
  if (r.outcome !== 'applied') throw new Error(`expected success, got ${JSON.stringify(r)}`);
  return r.object;
}

/** server-side apply of a ConfigMap configuration by `manager` onto `live` */
function ssa(live: JsonObject | undefined, manager: string, config: JsonObject, force = false, seconds = 0): ApplyResult {
  const r = apply({ ...configMaps(at(seconds)), live, applied: config, manager, force, kind: 'ConfigMap' });
  return r.outcome === 'applied' ? { ...r, object: live ? r.object : stored(r.object) } : r;
}
const ok = (live: JsonObject | undefined, manager: string, config: JsonObject, force = false, seconds = 0) => applied(ssa(live, manager, config, force, seconds));

/** a non-apply write: the whole object replaced by `next` */
const put = (live: JsonObject, manager: string, next: JsonObject, seconds = 0): JsonObject =>
  updateManagedFields({ ...configMaps(at(seconds)), live, next: { ...next, metadata: { ...(live.metadata as JsonObject), ...(next.metadata as JsonObject) } }, manager });

t.test('create by apply', async (t) => {
  const o = ok(undefined, 'a', cm({ x: '1' }, { labels: { app: 'web' } }));
  t.same(o.data, { x: '1' });
  t.same(entries(o), [
    {
      manager: 'a',
      operation: 'Apply',
      apiVersion: 'v1',
      time: '2026-11-24T08:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:x': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
    },
  ]);
});

t.test('ownership between appliers', async (t) => {
  const base = ok(undefined, 'a', cm({ x: '1', y: '1' }));
  const cases: Array<[string, () => JsonObject, JsonObject, string[]]> = [
    // the object did not change, so b's new entry has no time and sorts first (kube does the same)
    ['same value: shared', () => ok(base, 'b', cm({ x: '1' })), { x: '1', y: '1' }, ['b/Apply: {"f:data":{"f:x":{}}}', 'a/Apply: {"f:data":{"f:x":{},"f:y":{}}}']],
    ['force: ownership moves', () => ok(base, 'b', cm({ x: '2' }), true), { x: '2', y: '1' }, ['a/Apply: {"f:data":{"f:y":{}}}', 'b/Apply: {"f:data":{"f:x":{}}}']],
    ['a field dropped by its only applier is removed', () => ok(base, 'a', cm({ x: '1' })), { x: '1' }, ['a/Apply: {"f:data":{"f:x":{}}}']],
    [
      'a field dropped by one of two owners stays with the other',
      () => ok(ok(base, 'b', cm({ y: '1' })), 'a', cm({ x: '1' })),
      { x: '1', y: '1' },
      ['b/Apply: {"f:data":{"f:y":{}}}', 'a/Apply: {"f:data":{"f:x":{}}}'],
    ],
    [
      'a field an updater changed stays when the applier drops it',
      () => ok(put(base, 'kubectl-edit', cm({ x: '1', y: 'edited' })), 'a', cm({ x: '1' })),
      { x: '1', y: 'edited' },
      ['a/Apply: {"f:data":{"f:x":{}}}', 'kubectl-edit/Update: {"f:data":{"f:y":{}}}'],
    ],
    ['dropping everything removes the fields and the entry', () => ok(base, 'a', cm({})), {}, []],
  ];
  for (const [name, run, data, want] of cases) {
    const o = run();
    t.same(o.data ?? {}, data, `${name}: data`);
    t.same(owners(o), want, `${name}: owners`);
  }
});

t.test('conflicts', async (t) => {
  const base = ok(undefined, 'a', cm({ x: '1', y: '1' }));
  const cases: Array<[string, () => ApplyResult, string, Array<[string, string]>]> = [
    ['another applier', () => ssa(base, 'b', cm({ x: '2' })), 'Apply failed with 1 conflict: conflict with "a": .data.x', [['conflict with "a"', '.data.x']]],
    [
      'an updater is named with its version',
      () => ssa(put(base, 'kubectl-edit', cm({ x: '1', y: '2' })), 'a', cm({ x: '1', y: '3' })),
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.y',
      [['conflict with "kubectl-edit" using v1', '.data.y']],
    ],
    [
      'several fields and owners, grouped by owner',
      () => ssa(ok(base, 'b', cm({ z: '1' })), 'c', cm({ x: '2', y: '2', z: '2' })),
      'Apply failed with 3 conflicts: conflicts with "a":\n- .data.x\n- .data.y\nconflicts with "b":\n- .data.z',
      [
        ['conflict with "a"', '.data.x'],
        ['conflict with "a"', '.data.y'],
        ['conflict with "b"', '.data.z'],
      ],
    ],
  ];
  for (const [name, run, message, causes] of cases) {
    const r = run();
    if (r.outcome !== 'conflict') {
      t.fail(`${name}: expected a conflict, got ${r.outcome}`);
      continue;
    }
    t.equal(r.message, message, name);
    t.same(
      r.causes,
      causes.map(([m, field]) => ({ type: 'FieldManagerConflict', message: m, field })),
      `${name}: causes`,
    );
  }
});

t.test('a conflict with a subresource writer', async (t) => {
  const ctx = deployments();
  const dep = (replicas: number): JsonObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  });
  const created = stored(applied(apply({ ...ctx, live: undefined, applied: dep(1), manager: 'kubectl', force: false, kind: 'Deployment' })));
  const scaled = updateManagedFields({ ...deployments(at(60), 'scale'), live: created, next: { ...created, spec: { ...(created.spec as JsonObject), replicas: 5 } }, manager: 'kubectl-scale' });
  t.same(entries(scaled).map((e) => [e.manager, e.operation, e.subresource, JSON.stringify(e.fieldsV1)]), [
    ['kubectl', 'Apply', undefined, '{"f:spec":{"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}'],
    ['kubectl-scale', 'Update', 'scale', '{"f:spec":{"f:replicas":{}}}'],
  ]);
  const r = apply({ ...ctx, live: scaled, applied: dep(2), manager: 'kubectl', force: false, kind: 'Deployment' });
  t.match(r, { outcome: 'conflict', message: 'Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas' });
  t.match(apply({ ...ctx, live: scaled, applied: dep(5), manager: 'kubectl', force: false, kind: 'Deployment' }), { outcome: 'applied' }, 'the same value is no conflict');
});

t.test('lists', async (t) => {
  const ctx = deployments();
  const dep = (containers: JsonObject[], finalizers?: string[]): JsonObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...(finalizers ? { finalizers } : {}) },
    spec: { template: { spec: { containers } } },
  });
  const run = (live: JsonObject | undefined, manager: string, config: JsonObject, force = false) => apply({ ...ctx, live, applied: config, manager, force, kind: 'Deployment' });
  const spec = (o: JsonObject) => ((o.spec as JsonObject).template as JsonObject).spec as JsonObject;

  const a1 = applied(run(undefined, 'a', dep([{ name: 'app', image: 'v1', args: ['-x', '-y'], ports: [{ containerPort: 80 }] }], ['a.io/f'])));
  const b1 = applied(run(a1, 'b', dep([{ name: 'side', image: 's1', ports: [] }, { name: 'app', ports: [{ containerPort: 9090, name: 'metrics' }] }], ['b.io/f'])));
  t.same((b1.metadata as JsonObject).finalizers, ['a.io/f', 'b.io/f'], 'sets merge by value');
  t.same(
    spec(b1).containers,
    [
      { name: 'side', image: 's1', ports: [] },
      { name: 'app', image: 'v1', args: ['-x', '-y'], ports: [{ containerPort: 80 }, { containerPort: 9090, name: 'metrics' }] },
    ],
    'map lists merge by key (containers by name, ports by containerPort+protocol), in the configuration\'s order',
  );
  const a2 = applied(run(b1, 'a', dep([{ name: 'app', image: 'v2', args: ['-z'], ports: [{ containerPort: 80 }] }])));
  t.same((a2.metadata as JsonObject).finalizers, ['b.io/f'], 'a set item dropped by its applier goes');
  t.same(spec(a2).containers, [
    { name: 'side', image: 's1', ports: [] },
    { name: 'app', image: 'v2', args: ['-z'], ports: [{ containerPort: 80 }, { containerPort: 9090, name: 'metrics' }] },
  ], 'atomic lists (args) are replaced whole');
  const r = run(a2, 'b', dep([{ name: 'app', image: 'v3' }]));
  t.match(r, { outcome: 'conflict', causes: [{ field: '.spec.template.spec.containers[name="app"].image', message: 'conflict with "a"' }] });
  const b2 = applied(run(a2, 'b', dep([{ name: 'app', ports: [{ containerPort: 9090, name: 'metrics' }] }])));
  t.same(spec(b2).containers, [{ name: 'app', image: 'v2', args: ['-z'], ports: [{ containerPort: 80 }, { containerPort: 9090, name: 'metrics' }] }], 'a keyed item dropped by its only applier goes');
  t.match(run(undefined, 'a', dep([{ image: 'x' }])), { outcome: 'invalid', message: /omits key field "name"/ });
});

t.test('upgrading from client-side apply', async (t) => {
  const annotation = (data: Record<string, string>) =>
    `{"apiVersion":"v1","data":${JSON.stringify(data)},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cfg","namespace":"default"}}\n`;
  const csa = (data: Record<string, string>, lastApplied: Record<string, string>) =>
    stored(updateManagedFields({ ...configMaps(), live: undefined, next: cm(data, { annotations: { [LAST_APPLIED_ANNOTATION]: annotation(lastApplied) } }), manager: 'kubectl-client-side-apply' }));

  const o = ok(csa({ a: '1', b: '1' }, { a: '1', b: '1' }), 'kubectl', cm({ a: '2', b: '1' }), false, 60);
  t.same(o.data, { a: '2', b: '1' }, 'kubectl takes the fields client-side apply set');
  t.same(owners(o), [
    'kubectl/Apply: {"f:data":{"f:a":{},"f:b":{}}}',
    `kubectl-client-side-apply/Update: {"f:data":{".":{},"f:b":{}},"f:metadata":{"f:annotations":{".":{},"f:${LAST_APPLIED_ANNOTATION}":{}}}}`,
  ]);
  t.equal(
    ((o.metadata as JsonObject).annotations as JsonObject)[LAST_APPLIED_ANNOTATION],
    '{"apiVersion":"v1","data":{"a":"2","b":"1"},"kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"}}\n',
    'the annotation follows the new configuration',
  );
  t.match(ssa(csa({ a: '1' }, { a: '1' }), 'me', cm({ a: '2' })), { outcome: 'conflict', message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a' }, 'only for manager "kubectl"');
  t.match(ssa(csa({ a: '1' }, { a: '0' }), 'kubectl', cm({ a: '2' })), { outcome: 'conflict' }, 'not for fields changed since the last client-side apply');
});

t.test('objects not tracked yet', async (t) => {
  const live = stored(cm({ a: '1', b: '1' }));
  t.match(ssa(live, 'a', cm({ a: '2' })), { outcome: 'conflict', message: 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a' });
  const o = ok(live, 'a', cm({ a: '1' }));
  t.same(owners(o), ['a/Apply: {"f:data":{"f:a":{}}}', 'before-first-apply/Update: {"f:data":{".":{},"f:a":{},"f:b":{}}}']);
});

t.test('no-op applies keep the time', async (t) => {
  const first = ok(undefined, 'a', cm({ x: '1' }));
  const again = ssa(first, 'a', cm({ x: '1' }), false, 300);
  t.match(again, { outcome: 'applied', changed: false });
  t.same(entries(applied(again)).map((e) => e.time), ['2026-11-24T08:00:00Z']);
  const changed = applied(ssa(first, 'a', cm({ x: '2' }), false, 300));
  t.same(entries(changed).map((e) => e.time), ['2026-11-24T08:05:00Z']);
});

t.test('bad configurations', async (t) => {
  const cases: Array<[string, JsonObject, string]> = [
    ['wrong version', { ...cm({}), apiVersion: 'v2' }, 'invalid object type: /v2, Kind=ConfigMap'],
    ['wrong kind', { ...cm({}), kind: 'Secret' }, 'invalid object type: /v1, Kind=Secret'],
    ['managedFields set', cm({}, { managedFields: [] }), 'metadata.managedFields must be nil'],
  ];
  for (const [name, config, message] of cases) t.same(ssa(undefined, 'a', config), { outcome: 'badRequest', message }, name);
  const bad = { ...stored(cm({})), metadata: { name: 'cfg', managedFields: [{ manager: 'x', operation: 'Bogus' }] } };
  t.same(ssa(bad, 'a', cm({})), { outcome: 'internal', message: 'failed to decode managed fields: operation must be `Apply` or `Update`' });
});

t.test('fields the endpoint resets are owned by nobody', async (t) => {
  const status = FieldSet.of(fieldPath('status'));
  const ctx = { ...deployments(), ignored: status };
  const config: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1 },
    status: { replicas: 7 },
  };
  const o = applied(apply({ ...ctx, live: undefined, applied: config, manager: 'a', force: false, kind: 'Deployment' }));
  t.same(owners(o), ['a/Apply: {"f:spec":{"f:replicas":{}}}']);
  const statusWrite = updateManagedFields({ ...deployments(at(60), 'status'), ignored: FieldSet.of(fieldPath('spec')), live: stored(o), next: { ...stored(o), spec: { replicas: 9 }, status: { replicas: 1 } }, manager: 'kube-controller-manager' });
  t.same(owners(statusWrite), ['a/Apply: {"f:spec":{"f:replicas":{}}}', 'kube-controller-manager/Update: {"f:status":{"f:replicas":{}}}'], 'a status writer does not take spec');
});
