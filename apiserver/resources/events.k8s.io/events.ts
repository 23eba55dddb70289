/**
 * events.k8s.io/v1 Event: the same objects as core/v1 Events, stored once in core's storage
 * (as kube does) and converted on the way in and out. The field mapping:
 *
 *   events.k8s.io/v1            core/v1
 *   regarding                   involvedObject
 *   note                        message
 *   reportingController         reportingComponent
 *   deprecatedSource            source
 *   deprecatedFirstTimestamp    firstTimestamp
 *   deprecatedLastTimestamp     lastTimestamp
 *   deprecatedCount             count
 *   related, reason, type, action, eventTime, reportingInstance, series (count,
 *   lastObservedTime), metadata: same names
 *
 * Validation is kube's for this API: eventTime is required, type is Normal or Warning, the
 * deprecated* fields must be unset on create, a series counts at least 2, and an update may
 * change only the series (and metadata).
 */
import type { EventsV1Event } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { ALL_VERBS, type KubeObject, type PrinterColumn, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { eventColumns, validateEventFields } from '../core/events.js';

/** [events.k8s.io/v1 field, core/v1 field] */
const RENAMED: ReadonlyArray<readonly [string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SAME = ['related', 'reason', 'type', 'action', 'eventTime', 'reportingInstance', 'series'];

function convert(from: KubeObject, apiVersion: string, pairs: ReadonlyArray<readonly [string, string]>): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: structuredClone(from.metadata) };
  for (const [source, target] of pairs) {
    const v = from[source];
    if (v !== undefined && v !== null) out[target] = structuredClone(v);
  }
  for (const key of SAME) {
    const v = from[key];
    if (v !== undefined && v !== null) out[key] = structuredClone(v);
  }
  return out;
}

/** core/v1 (as stored) → events.k8s.io/v1 */
export const fromCoreEvent = (stored: KubeObject): KubeObject =>
  convert(
    stored,
    'events.k8s.io/v1',
    RENAMED.map(([v1, core]) => [core, v1] as const),
  );
/** events.k8s.io/v1 → core/v1 (for storage) */
export const toCoreEvent = (obj: KubeObject): KubeObject => convert(obj, 'v1', RENAMED);

const asEvent = (obj: KubeObject) => obj as unknown as EventsV1Event;
const str = (v: unknown): string => (v === undefined || v === null ? '' : v instanceof Date ? v.toISOString() : String(v));
const needsUnset = (field: string) => fieldErrors.invalid(field, '', 'needs to be unset');

function validateSeries(ev: EventsV1Event): FieldError[] {
  if (!ev.series) return [];
  const errs: FieldError[] = [];
  if ((ev.series.count ?? 0) < 2) errs.push(fieldErrors.invalid('series.count', '', 'should be at least 2'));
  if (!ev.series.lastObservedTime) errs.push(fieldErrors.required('series.lastObservedTime'));
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const ev = asEvent(obj);
  const errs: FieldError[] = [...validateSeries(ev)];
  if (!ev.eventTime) errs.push(fieldErrors.required('eventTime'));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(fieldErrors.invalid('type', '', `has invalid value: ${ev.type ?? ''}`));
  if (ev.deprecatedFirstTimestamp) errs.push(needsUnset('deprecatedFirstTimestamp'));
  if (ev.deprecatedLastTimestamp) errs.push(needsUnset('deprecatedLastTimestamp'));
  if (ev.deprecatedCount) errs.push(needsUnset('deprecatedCount'));
  if (ev.deprecatedSource?.component || ev.deprecatedSource?.host) errs.push(needsUnset('deprecatedSource'));
  errs.push(
    ...validateEventFields(
      {
        namespace: str(obj.metadata.namespace),
        involvedNamespace: str(ev.regarding?.namespace),
        eventTime: str(ev.eventTime),
        reportingController: str(ev.reportingController),
        reportingInstance: str(ev.reportingInstance),
        action: str(ev.action),
        reason: str(ev.reason),
        message: str(ev.note),
      },
      { involvedObject: 'regarding', reportingController: 'reportingController', message: 'note' },
    ),
  );
  return errs;
}

/** everything but the series is fixed once an event is recorded */
const IMMUTABLE = [
  'regarding',
  'reason',
  'note',
  'deprecatedSource',
  'deprecatedFirstTimestamp',
  'deprecatedLastTimestamp',
  'deprecatedCount',
  'type',
  'eventTime',
  'action',
  'related',
  'reportingController',
  'reportingInstance',
];

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of IMMUTABLE) {
    if (!isDeepStrictEqual(obj[field] ?? null, old[field] ?? null)) errs.push(fieldErrors.immutable(field, obj[field] ?? null));
  }
  return errs;
}

export const eventsV1Strategy: Strategy = { validate, validateUpdate };

/** the core printer, reading the converted object, as kube prints both versions alike */
const columns: PrinterColumn[] = eventColumns.map((c) => ({ ...c, cell: (o: KubeObject, now: Date) => c.cell(toCoreEvent(o), now) }));

const regarding = (key: string) => (o: KubeObject) => str((asEvent(o).regarding as Record<string, unknown> | undefined)?.[key]);

export const eventsV1: ResourceDef = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'EventsV1Event',
  subresources: [],
  printerColumns: columns,
  selectableFields: {
    'regarding.kind': regarding('kind'),
    'regarding.namespace': regarding('namespace'),
    'regarding.name': regarding('name'),
    'regarding.uid': regarding('uid'),
    'regarding.apiVersion': regarding('apiVersion'),
    'regarding.resourceVersion': regarding('resourceVersion'),
    'regarding.fieldPath': regarding('fieldPath'),
    reason: (o) => str(asEvent(o).reason),
    reportingController: (o) => str(asEvent(o).reportingController),
    type: (o) => str(asEvent(o).type),
  },
  strategy: eventsV1Strategy,
  storage: { group: '', plural: 'events', namespaced: true },
  fromStorage: fromCoreEvent,
  toStorage: toCoreEvent,
};
