import t from 'tap';
import type { JsonObject } from './json-value.js';
import { updateManagedFields } from './managed-fields.js';
import type { ManagedFieldsEntry } from './managed-set.js';
import { at, cm, configMaps, deployments, stored } from './test-fixtures.js';

const entries = (o: JsonObject) => ((o.metadata as JsonObject).managedFields ?? []) as ManagedFieldsEntry[];
const owners = (o: JsonObject) => entries(o).map((e) => [e.manager, JSON.stringify(e.fieldsV1)]);

/** create, then a chain of updates: [manager, next object, seconds later] */
function write(first: [string, JsonObject], ...updates: Array<[string, JsonObject, number?]>): JsonObject {
  let live = stored(updateManagedFields({ ...configMaps(), live: undefined, next: first[1], manager: first[0] }));
  for (const [manager, next, seconds] of updates) {
    const metadata: JsonObject = { ...(live.metadata as JsonObject), ...(next.metadata as JsonObject) };
    delete metadata.managedFields;
    const withMeta: JsonObject = { ...next, metadata };
    live = updateManagedFields({ ...configMaps(at(seconds ?? 60)), live, next: withMeta, manager });
  }
  return live;
}

t.test('create: the creator owns what it wrote, not the server-set metadata', async (t) => {
  const o = updateManagedFields({ ...configMaps(), live: undefined, next: stored(cm({ a: '1' }, { labels: { app: 'web' } })), manager: 'kubectl-create' });
  t.same(entries(o), [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2026-11-24T08:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
    },
  ]);
  t.equal(JSON.stringify(entries(o)[0]!.fieldsV1), '{"f:data":{".":{},"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}');
});

t.test('create of a Deployment: value structs and null fields of the Go zero value get no "."', async (t) => {
  const dep: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }] },
      },
    },
  };
  const o = updateManagedFields({ ...deployments(), live: undefined, next: dep, manager: 'kubectl-create' });
  t.equal(
    JSON.stringify(entries(o)[0]!.fieldsV1),
    '{"f:spec":{"f:replicas":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},' +
      '"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},' +
      '"f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},"f:resources":{}}}}}}}',
  );
});

t.test('updates move changed fields to the writer', async (t) => {
  const cases: Array<[string, JsonObject, Array<[string | undefined, string]>]> = [
    [
      'edit takes the changed key; the creator keeps the rest',
      write(['kubectl-create', cm({ a: '1', b: '2' })], ['kubectl-edit', cm({ a: 'x', b: '2' })]),
      [
        ['kubectl-create', '{"f:data":{".":{},"f:b":{}}}'],
        ['kubectl-edit', '{"f:data":{"f:a":{}}}'],
      ],
    ],
    [
      'a removed key leaves every set',
      write(['kubectl-create', cm({ a: '1', b: '2' })], ['kubectl-edit', cm({ a: '1' })]),
      [['kubectl-create', '{"f:data":{".":{},"f:a":{}}}']],
    ],
    [
      'a manager left with nothing is dropped',
      write(['kubectl-create', cm({ a: '1' })], ['m1', cm({ a: '1', b: '1' })], ['m2', cm({ a: '1', b: '2' }), 120]),
      [
        ['kubectl-create', '{"f:data":{".":{},"f:a":{}}}'],
        ['m2', '{"f:data":{"f:b":{}}}'],
      ],
    ],
    [
      'a writer keeps its older fields and adds the new ones',
      write(['kubectl-create', cm({ a: '1' })], ['kubectl-label', cm({ a: '1' }, { labels: { x: '1' } })], ['kubectl-label', cm({ a: '1' }, { labels: { x: '1', y: '2' } }), 120]),
      [
        ['kubectl-create', '{"f:data":{".":{},"f:a":{}}}'],
        ['kubectl-label', '{"f:metadata":{"f:labels":{".":{},"f:x":{},"f:y":{}}}}'],
      ],
    ],
    [
      'no fieldManager: "unknown"; an empty map created is owned as a member',
      write(['kubectl-create', cm({})], ['', cm({ a: '1' })]),
      [
        ['kubectl-create', '{"f:data":{}}'],
        ['unknown', '{"f:data":{"f:a":{}}}'],
      ],
    ],
  ];
  for (const [name, o, want] of cases) t.same(owners(o), want, name);
});

t.test('times and order', async (t) => {
  const o = write(['kubectl-create', cm({ a: '1' })], ['kubectl-edit', cm({ a: '2' }), 30], ['kubectl-create', cm({ a: '2' }), 90]);
  t.same(
    entries(o).map((e) => [e.manager, e.time]),
    [
      ['kubectl-create', '2026-11-24T08:00:00Z'],
      ['kubectl-edit', '2026-11-24T08:00:30Z'],
    ],
    'a write that changes nothing adds no entry and keeps the times',
  );
});

t.test('which entries a write starts from', async (t) => {
  const live = write(['kubectl-create', cm({ a: '1' })]);
  const liveEntries = entries(live);
  const next = (managedFields: unknown) => ({ ...cm({ a: '2' }), metadata: { ...(live.metadata as JsonObject), managedFields } }) as JsonObject;
  const run = (managedFields: unknown, subresource?: string) =>
    owners(updateManagedFields({ ...configMaps(at(60)), ...(subresource ? { subresource } : {}), live, next: next(managedFields), manager: 'm' }));
  t.same(run(undefined), [['kubectl-create', '{"f:data":{}}'], ['m', '{"f:data":{"f:a":{}}}']], 'none sent: the stored ones');
  // a reset leaves an existing object untracked until its next apply
  t.same(run([]), [], '[] resets');
  t.same(run([{}]), [], '[{}] resets');
  const custom = [{ manager: 'hand', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
  t.same(run(custom), [['m', '{"f:data":{"f:a":{}}}']], 'sent entries are used (hand loses data.a)');
  t.same(run([{ operation: 'Bogus' }]), [['kubectl-create', '{"f:data":{}}'], ['m', '{"f:data":{"f:a":{}}}']], 'invalid sent entries: the stored ones');
  const status = updateManagedFields({ ...configMaps(at(60)), subresource: 'status', live, next: next(custom), manager: 'm' });
  t.same(entries(status).map((e) => [e.manager, e.subresource]), [['kubectl-create', undefined], ['m', 'status']], 'a subresource write keeps the stored entries');
  t.same(liveEntries.length, 1);
});

t.test('an existing object without managedFields stays untracked', async (t) => {
  const live = stored(cm({ a: '1' }));
  const o = updateManagedFields({ ...configMaps(), live, next: { ...live, data: { a: '2' } }, manager: 'kubectl-edit' });
  t.equal((o.metadata as JsonObject).managedFields, undefined);
});

t.test('more than 10 updaters: the oldest merge into ancient-changes', async (t) => {
  const chain: Array<[string, JsonObject, number]> = [];
  const data: Record<string, string> = {};
  for (let i = 1; i <= 11; i++) {
    data[`k${i}`] = 'v';
    chain.push([`m${String(i).padStart(2, '0')}`, cm({ ...data }), i * 10]);
  }
  const o = write(['kubectl-create', cm({})], ...chain);
  const list = entries(o);
  t.equal(list.length, 10);
  t.same(list[0], {
    manager: 'ancient-changes',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-24T08:00:20Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:data': { '.': {}, 'f:k1': {}, 'f:k2': {} } },
  });
  // 12 updaters (the creator and m01…m11): the three oldest share the bucket and its newest time
  t.same(list.slice(1).map((e) => e.manager), ['m03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10', 'm11']);
});
