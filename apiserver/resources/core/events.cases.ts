import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { events } from './events.js';
import { cells, create, minutesAgo, update } from './strategy-harness.js';

const event = (extra: Record<string, unknown> = {}, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.17a', namespace },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled',
  message: 'Successfully pulled image "nginx"',
  type: 'Normal',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: minutesAgo(10),
  lastTimestamp: minutesAgo(2),
  count: 3,
  ...extra,
});

const newStyle = (extra: Record<string, unknown> = {}) =>
  event({
    firstTimestamp: undefined,
    lastTimestamp: undefined,
    count: undefined,
    source: undefined,
    eventTime: '2026-01-01T11:55:00.000000Z',
    reportingComponent: 'default-scheduler',
    reportingInstance: 'default-scheduler-k8ts',
    action: 'Binding',
    reason: 'Scheduled',
    ...extra,
  });

t.test('shape', async (t) => {
  t.same(events.shortNames, ['ev']);
  t.equal(events.namespaced, true);
  t.equal(events.modelName, 'CoreV1Event');
});

t.test('valid events', async (t) => {
  t.same(create(events, event()).errors, []);
  t.same(create(events, newStyle()).errors, []);
  t.same(create(events, event({ involvedObject: { kind: 'Node', name: 'node-1' } })).errors, [], 'cluster-scoped object, event in default');
});

const invalid: Array<[string, KubeObject, string[]]> = [
  ['no involvedObject', event({ involvedObject: undefined }), ['involvedObject: Required value']],
  [
    'namespace mismatch',
    event({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'web' } }),
    ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
  ],
  [
    'new style needs reporting fields',
    newStyle({ reportingComponent: undefined, reportingInstance: undefined, action: undefined }),
    [
      'reportingComponent: Required value',
      "reportingComponent: Invalid value: \"\": name part must be non-empty",
      "reportingComponent: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'reportingInstance: Required value',
      'action: Required value',
    ],
  ],
  ['reason too long', newStyle({ reason: 'R'.repeat(129) }), ['reason: Invalid value: "": can have at most 128 characters']],
];
for (const [name, obj, want] of invalid) t.test(`invalid: ${name}`, async (t) => t.same(create(events, obj).errors, want));

t.test('legacy events may change on update', async (t) => {
  const old = create(events, event()).obj;
  const next = { ...structuredClone(old), count: 4, lastTimestamp: minutesAgo(0), message: 'again' };
  t.same(update(events, next, old).errors, []);
});

t.test('cells', async (t) => {
  t.same(cells(events, event(), undefined, false), ['2m', 'Normal', 'Pulled', 'pod/web', 'Successfully pulled image "nginx"']);
  t.same(cells(events, event()), [
    '2m',
    'Normal',
    'Pulled',
    'pod/web',
    'spec.containers{web}',
    'kubelet, node-1',
    'Successfully pulled image "nginx"',
    '10m',
    3,
    'web.17a',
  ]);
  const singleton = cells(events, newStyle());
  t.same([singleton[0], singleton[5], singleton[7], singleton[8]], ['5m', 'default-scheduler, default-scheduler-k8ts', '5m', 1]);
  const series = cells(events, newStyle({ series: { count: 7, lastObservedTime: minutesAgo(1) } }));
  t.same([series[0], series[8]], ['60s', 7]);
  t.equal(cells(events, event({ involvedObject: { kind: 'Node' } }))[3], 'node');
});

t.test('field selectors', async (t) => {
  const f = events.selectableFields!;
  const obj = event();
  t.equal(f['involvedObject.kind']!(obj), 'Pod');
  t.equal(f['involvedObject.name']!(obj), 'web');
  t.equal(f['involvedObject.resourceVersion']!(obj), '');
  t.equal(f.source!(obj), 'kubelet');
  t.equal(f.type!(obj), 'Normal');
  t.equal(f.reportingComponent!(newStyle()), 'default-scheduler');
});
