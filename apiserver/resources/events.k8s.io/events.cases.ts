import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { events } from '../core/events.js';
import { cells, create, minutesAgo, update } from '../core/strategy-harness.js';
import { eventsV1, fromCoreEvent, toCoreEvent } from './events.js';

const v1Event = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web.17b', namespace: 'default' },
  eventTime: minutesAgo(4),
  reportingController: 'default-scheduler',
  reportingInstance: 'default-scheduler-k8ts',
  action: 'Binding',
  reason: 'Scheduled',
  regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1' },
  note: 'Successfully assigned default/web to node-1',
  type: 'Normal',
  ...extra,
});

t.test('shape and storage', async (t) => {
  t.equal(eventsV1.group, 'events.k8s.io');
  t.equal(eventsV1.modelName, 'EventsV1Event');
  t.same(eventsV1.storage, { group: '', plural: 'events', namespaced: true });
});

t.test('conversion round-trips and maps field names', async (t) => {
  const v1 = v1Event({ series: { count: 2, lastObservedTime: minutesAgo(1) } });
  const core = toCoreEvent(v1);
  t.match(core, {
    apiVersion: 'v1',
    involvedObject: { kind: 'Pod', name: 'web' },
    message: 'Successfully assigned default/web to node-1',
    reportingComponent: 'default-scheduler',
    series: { count: 2 },
  });
  t.notOk('regarding' in core);
  t.same(create(events, core).errors, [], 'the converted object is a valid core event');
  t.same(fromCoreEvent(core), v1);
  const legacy = fromCoreEvent({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'x', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web' },
    source: { component: 'kubelet' },
    count: 5,
    firstTimestamp: minutesAgo(9),
    lastTimestamp: minutesAgo(3),
    message: 'hi',
  });
  t.match(legacy, { regarding: { kind: 'Pod' }, deprecatedSource: { component: 'kubelet' }, deprecatedCount: 5, note: 'hi' });
});

t.test('validation', async (t) => {
  t.same(create(eventsV1, v1Event()).errors, []);
  t.same(create(eventsV1, v1Event({ eventTime: undefined, type: 'Info', deprecatedCount: 2 })).errors, [
    'eventTime: Required value',
    'type: Invalid value: "": has invalid value: Info',
    'deprecatedCount: Invalid value: "": needs to be unset',
    // without eventTime the legacy rules apply, which these fields satisfy
  ]);
  t.same(create(eventsV1, v1Event({ series: { count: 1 } })).errors, [
    'series.count: Invalid value: "": should be at least 2',
    'series.lastObservedTime: Required value',
  ]);
  t.same(create(eventsV1, v1Event({ note: 'n'.repeat(1025) })).errors, ['note: Invalid value: "": can have at most 1024 characters']);
});

t.test('update: only the series may change', async (t) => {
  const old = create(eventsV1, v1Event()).obj;
  t.same(update(eventsV1, { ...structuredClone(old), series: { count: 2, lastObservedTime: minutesAgo(0) } }, old).errors, []);
  t.same(update(eventsV1, { ...structuredClone(old), note: 'changed' }, old).errors, ['note: Invalid value: "changed": field is immutable']);
});

t.test('cells read like core events', async (t) => {
  t.same(cells(eventsV1, v1Event(), undefined, false), ['4m', 'Normal', 'Scheduled', 'pod/web', 'Successfully assigned default/web to node-1']);
  t.equal(eventsV1.selectableFields!['regarding.name']!(v1Event()), 'web');
  t.equal(eventsV1.selectableFields!.reportingController!(v1Event()), 'default-scheduler');
});
