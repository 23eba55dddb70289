/**
 * core/v1 Event. kube's rules for the legacy group: any field may change on update (old
 * recorders rewrite count and lastTimestamp), the involved object's namespace must match the
 * event's, and "new-style" events (eventTime set) need reportingComponent, reportingInstance,
 * action and reason within kube's length limits. The same objects are served as
 * events.k8s.io/v1 Events (../events.k8s.io/events.ts), converted on the way in and out.
 *
 * Left to the registry: kube stores events with a TTL (--event-ttl, 1h by default).
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type PrinterColumn, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Subdomain, qualifiedName } from '../../validation/names.js';
import { humanDuration, nameColumn } from '../printing.js';

export const EVENT_REASON_MAX = 128;
export const EVENT_ACTION_MAX = 128;
export const EVENT_REPORTING_INSTANCE_MAX = 128;
export const EVENT_NOTE_MAX = 1024;

const asEvent = (obj: KubeObject) => obj as unknown as CoreV1Event;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const tooLong = (field: string, max: number) => fieldErrors.invalid(field, '', `can have at most ${max} characters`);

/**
 * kube's event validation, shared with events.k8s.io/v1 (which passes its own field names:
 * involvedObject → regarding, message → note, reportingComponent → reportingController).
 */
export interface EventFields {
  namespace: string;
  involvedNamespace: string;
  eventTime: string;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  message: string;
}

export function validateEventFields(e: EventFields, names: { involvedObject: string; reportingController: string; message: string }): FieldError[] {
  const errs: FieldError[] = [];
  const nsField = `${names.involvedObject}.namespace`;
  if (!e.eventTime) {
    if (!e.involvedNamespace) {
      // an event about a cluster-scoped object lives in no namespace, or "default" for old clients
      if (e.namespace && e.namespace !== 'default') errs.push(fieldErrors.invalid(nsField, e.involvedNamespace, 'does not match event.namespace'));
    } else if (e.namespace !== e.involvedNamespace) {
      errs.push(fieldErrors.invalid(nsField, e.involvedNamespace, 'does not match event.namespace'));
    }
  } else {
    if (!e.involvedNamespace && e.namespace !== 'default' && e.namespace !== 'kube-system')
      errs.push(fieldErrors.invalid(nsField, e.involvedNamespace, 'does not match event.namespace'));
    if (!e.reportingController) errs.push(fieldErrors.required(names.reportingController));
    for (const msg of qualifiedName(e.reportingController)) errs.push(fieldErrors.invalid(names.reportingController, e.reportingController, msg));
    if (!e.reportingInstance) errs.push(fieldErrors.required('reportingInstance'));
    if (e.reportingInstance.length > EVENT_REPORTING_INSTANCE_MAX) errs.push(tooLong('reportingInstance', EVENT_REPORTING_INSTANCE_MAX));
    if (!e.action) errs.push(fieldErrors.required('action'));
    if (e.action.length > EVENT_ACTION_MAX) errs.push(tooLong('action', EVENT_ACTION_MAX));
    if (!e.reason) errs.push(fieldErrors.required('reason'));
    if (e.reason.length > EVENT_REASON_MAX) errs.push(tooLong('reason', EVENT_REASON_MAX));
    if (e.message.length > EVENT_NOTE_MAX) errs.push(tooLong(names.message, EVENT_NOTE_MAX));
  }
  for (const msg of dns1123Subdomain(e.namespace)) errs.push(fieldErrors.invalid('namespace', e.namespace, msg));
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const ev = asEvent(obj);
  if (ev.involvedObject === undefined || ev.involvedObject === null) return [fieldErrors.required('involvedObject')];
  return validateEventFields(
    {
      namespace: str(obj.metadata.namespace),
      involvedNamespace: str(ev.involvedObject.namespace),
      eventTime: str(ev.eventTime),
      reportingController: str(ev.reportingComponent),
      reportingInstance: str(ev.reportingInstance),
      action: str(ev.action),
      reason: str(ev.reason),
      message: str(ev.message),
    },
    { involvedObject: 'involvedObject', reportingController: 'reportingComponent', message: 'message' },
  );
}

export const eventStrategy: Strategy = {
  validate,
  // legacy events may change freely on update; validate() still applies
};

// ---- printing (kube's printEvent) ----------------------------------------------------

const since = (ts: unknown, now: Date): string => {
  if (!ts) return '<unknown>';
  const t = Date.parse(ts instanceof Date ? ts.toISOString() : String(ts));
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
};

interface EventTimes {
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** LAST SEEN / FIRST SEEN / COUNT as kubectl shows them, for old- and new-style events */
export function eventTimes(obj: KubeObject, now: Date): EventTimes {
  const ev = asEvent(obj);
  const firstSeen = ev.firstTimestamp ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
  let lastSeen = ev.lastTimestamp ? since(ev.lastTimestamp, now) : firstSeen;
  let count = ev.count ?? 0;
  if (ev.series) {
    lastSeen = since(ev.series.lastObservedTime, now);
    count = ev.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // a singleton new-style event has no count
  }
  return { firstSeen, lastSeen, count };
}

/** OBJECT: "pod/web", or just the kind when the event names no object */
export function eventObjectCell(obj: KubeObject): string {
  const o = asEvent(obj).involvedObject ?? {};
  const kind = (o.kind ?? '').toLowerCase();
  return o.name ? `${kind}/${o.name}` : kind;
}

/** SOURCE: "component, host", from the legacy source or the reporting fields */
export function eventSourceCell(obj: KubeObject): string {
  const ev = asEvent(obj);
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventColumns: PrinterColumn[] = [
  { name: 'Last Seen', type: 'string', priority: 0, description: 'How long ago the event was last observed.', cell: (o, now) => eventTimes(o, now).lastSeen },
  { name: 'Type', type: 'string', priority: 0, description: 'Normal or Warning.', cell: (o) => asEvent(o).type ?? '' },
  { name: 'Reason', type: 'string', priority: 0, description: 'Why the event happened, in one CamelCase word.', cell: (o) => asEvent(o).reason ?? '' },
  { name: 'Object', type: 'string', priority: 0, description: 'The object the event is about (kind/name).', cell: eventObjectCell },
  {
    name: 'Subobject',
    type: 'string',
    priority: 1,
    description: 'The part of the object the event is about (involvedObject.fieldPath).',
    cell: (o) => asEvent(o).involvedObject?.fieldPath ?? '',
  },
  { name: 'Source', type: 'string', priority: 1, description: 'The component, and host, that reported the event.', cell: eventSourceCell },
  { name: 'Message', type: 'string', priority: 0, description: 'The human-readable description.', cell: (o) => (asEvent(o).message ?? '').trim() },
  { name: 'First Seen', type: 'string', priority: 1, description: 'How long ago the event was first observed.', cell: (o, now) => eventTimes(o, now).firstSeen },
  { name: 'Count', type: 'integer', priority: 1, description: 'How many times the event has occurred.', cell: (o, now) => eventTimes(o, now).count },
  { ...nameColumn, priority: 1 },
];

const involved = (key: string) => (o: KubeObject) => str((asEvent(o).involvedObject as Record<string, unknown> | undefined)?.[key]);

export const events: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'CoreV1Event',
  subresources: [],
  printerColumns: eventColumns,
  selectableFields: {
    'involvedObject.kind': involved('kind'),
    'involvedObject.namespace': involved('namespace'),
    'involvedObject.name': involved('name'),
    'involvedObject.uid': involved('uid'),
    'involvedObject.apiVersion': involved('apiVersion'),
    'involvedObject.resourceVersion': involved('resourceVersion'),
    'involvedObject.fieldPath': involved('fieldPath'),
    reason: (o) => str(asEvent(o).reason),
    reportingComponent: (o) => str(asEvent(o).reportingComponent),
    source: (o) => str(asEvent(o).source?.component),
    type: (o) => str(asEvent(o).type),
  },
  strategy: eventStrategy,
};
