import t from 'tap';
import type { KubeObject, PrinterColumn, ResourceDef } from '../catalogue/resource-def.js';
import { asPartialObjectMetadataList } from './partial-object-metadata.js';
import {
  AGE_COLUMN,
  buildObjectTable,
  buildTable,
  buildWatchEventTable,
  columnDefinitions,
  NAME_COLUMN,
  parseIncludeObject,
  type IncludeObject,
} from './table.js';

type RowDef = Pick<ResourceDef, 'printerColumns' | 'group' | 'version' | 'kind'>;

const now = new Date('2026-01-10T12:00:00Z');

const statusColumn: PrinterColumn = {
  name: 'Status',
  type: 'string',
  description: 'The phase.',
  priority: 0,
  cell: (o) => (o.status as { phase?: string } | undefined)?.phase ?? null,
};
const ipColumn: PrinterColumn = { name: 'IP', type: 'string', description: 'Pod IP.', priority: 1, cell: (o) => (o.status as { podIP?: string }).podIP ?? '<none>' };
const restartsColumn: PrinterColumn = { name: 'Restarts', type: 'integer', description: 'Restarts.', priority: 0, cell: () => 0 };

const pods: RowDef = { group: '', version: 'v1', kind: 'Pod', printerColumns: [NAME_COLUMN, statusColumn, restartsColumn, AGE_COLUMN, ipColumn] };
const widgets: RowDef = { group: 'example.com', version: 'v1', kind: 'Widget' };

const pod: KubeObject = {
  metadata: {
    name: 'web-1',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '104',
    creationTimestamp: '2026-01-10T11:55:00Z',
    labels: { app: 'web' },
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: {},
  status: { phase: 'Running', podIP: '10.1.0.5' },
};

t.test('column definitions come from the printer columns, or Name and Age', async (t) => {
  t.same(
    columnDefinitions(pods).map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'integer', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
    ],
  );
  const defaults = columnDefinitions(widgets);
  t.same(
    defaults.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Age', 'string', '', 0],
    ],
  );
  t.match(defaults[0]!.description, /^Name must be unique within a namespace/);
  t.match(defaults[1]!.description, /^CreationTimestamp is a timestamp/);
  t.same(columnDefinitions({ printerColumns: [] }).length, 2, 'an empty list also gets the defaults');
  for (const c of columnDefinitions(pods)) t.same(Object.keys(c), ['name', 'type', 'format', 'description', 'priority']);
});

t.test('list table: cells, row objects per includeObject, list metadata', async (t) => {
  const cases: Array<[IncludeObject | undefined, unknown]> = [
    [undefined, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata }],
    ['Metadata', { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata }],
    ['Object', { apiVersion: 'v1', kind: 'Pod', ...pod }],
    ['None', undefined],
  ];
  for (const [includeObject, object] of cases) {
    const table = buildTable(pods, [pod], {
      now,
      ...(includeObject ? { includeObject } : {}),
      listMeta: { resourceVersion: '111', continue: 'tok', remainingItemCount: 3 },
    });
    t.equal(table.kind, 'Table');
    t.equal(table.apiVersion, 'meta.k8s.io/v1');
    t.same(table.metadata, { resourceVersion: '111', continue: 'tok', remainingItemCount: 3 });
    t.equal(table.rows.length, 1);
    t.same(table.rows[0]!.cells, ['web-1', 'Running', 0, '5m', '10.1.0.5'], String(includeObject));
    t.same(table.rows[0]!.object, object, String(includeObject));
    t.equal('object' in table.rows[0]!, object !== undefined, `object key present: ${includeObject}`);
  }
});

t.test('full objects keep their own kind/apiVersion, and they come first', async (t) => {
  const row = buildTable(widgets, [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { a: 1 } }], { now, includeObject: 'Object' }).rows[0]!;
  t.same(Object.keys(row.object!), ['apiVersion', 'kind', 'metadata', 'spec']);
  const bare = buildTable(widgets, [{ metadata: { name: 'w' }, spec: {} }], { now, includeObject: 'Object' }).rows[0]!;
  t.same(bare.object, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} });
});

t.test('default columns: name and age, <unknown> without a timestamp', async (t) => {
  const table = buildTable(widgets, [{ metadata: { name: 'a', creationTimestamp: '2026-01-08T09:00:00Z' } }, { metadata: { name: 'b' } }], { now });
  t.same(
    table.rows.map((r) => r.cells),
    [
      ['a', '2d3h'],
      ['b', '<unknown>'],
    ],
  );
});

t.test('empty list metadata is omitted; empty rows stay an array', async (t) => {
  const table = buildTable(pods, [], { now, listMeta: { resourceVersion: '7', continue: '' } });
  t.same(table.metadata, { resourceVersion: '7' });
  t.same(table.rows, []);
  t.same(buildTable(pods, [], { now }).metadata, {});
});

t.test('v1beta1 tables carry v1beta1 PartialObjectMetadata rows', async (t) => {
  const table = buildTable(pods, [pod], { now, version: 'v1beta1' });
  t.equal(table.apiVersion, 'meta.k8s.io/v1beta1');
  t.equal(table.rows[0]!.object!.apiVersion, 'meta.k8s.io/v1beta1');
});

t.test('single-object and watch-event tables', async (t) => {
  const single = buildObjectTable(pods, pod, { now });
  t.same(single.metadata, { resourceVersion: '104' });
  t.equal(single.rows.length, 1);
  t.equal(single.columnDefinitions.length, 5);

  const first = buildWatchEventTable(pods, pod, { now, includeColumnDefinitions: true });
  t.equal(first.columnDefinitions.length, 5);
  t.same(first.metadata, { resourceVersion: '104' });
  const later = buildWatchEventTable(pods, pod, { now, includeColumnDefinitions: false, includeObject: 'None' });
  t.same(later.columnDefinitions, []);
  t.same(later.rows, [{ cells: ['web-1', 'Running', 0, '5m', '10.1.0.5'] }]);
});

t.test('parseIncludeObject', async (t) => {
  t.equal(parseIncludeObject(undefined), 'Metadata');
  t.equal(parseIncludeObject(''), 'Metadata');
  for (const v of ['None', 'Metadata', 'Object'] as const) t.equal(parseIncludeObject(v), v);
  t.throws(() => parseIncludeObject('object'), {
    reason: 'BadRequest',
    message: `Unable to convert to Table as requested: includeObject: Invalid value: "object": must be 'Metadata', 'Object', 'None', or empty`,
  });
});

t.test('PartialObjectMetadataList', async (t) => {
  t.same(asPartialObjectMetadataList([pod], { resourceVersion: '9', continue: '' }), {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '9' },
    items: [{ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata }],
  });
  t.equal(asPartialObjectMetadataList([], {}, 'v1beta1').apiVersion, 'meta.k8s.io/v1beta1');
});
