/**
 * Building a core/v1 Event the way client-go's recorder fills one in (makeEvent): the
 * involved object's reference, the Event in the object's namespace ('default' for
 * cluster-scoped objects such as Nodes), named `<object name>.<hex nanoseconds>` so names
 * sort by time and rarely collide, count 1, first = last timestamp, source and the
 * reporting fields. eventTime stays unset: this is the legacy (core/v1) recorder.
 */
import type { KubeObject } from '../types.js';
import { formatTime } from '../leaderelection/kube-time.js';
import type { EventSource, EventType } from './types.js';

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface CoreEvent extends KubeObject {
  metadata: { name: string; namespace: string; [field: string]: unknown };
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  type: EventType;
  source: EventSource;
  reportingComponent: string;
  reportingInstance: string;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

/** the reference an Event carries, or an error message when `regarding` cannot be referenced */
export function objectReference(regarding: KubeObject, fieldPath?: string): ObjectReference | string {
  const name = regarding?.metadata?.name;
  if (!name) return 'the object has no metadata.name';
  if (!regarding.kind) return `the object "${name}" has no kind`;
  const ref: ObjectReference = { kind: regarding.kind, name };
  if (regarding.apiVersion) ref.apiVersion = regarding.apiVersion;
  const { namespace, uid, resourceVersion } = regarding.metadata!;
  if (namespace) ref.namespace = namespace;
  if (uid) ref.uid = uid;
  if (resourceVersion) ref.resourceVersion = resourceVersion;
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}

/** what makes two events the same for aggregation: object part, source and what was said */
export function aggregationKey(ref: ObjectReference, type: EventType, reason: string, message: string, source: EventSource): string {
  return JSON.stringify([source.component, source.host ?? '', ref.apiVersion ?? '', ref.kind, ref.namespace ?? '', ref.name, ref.uid ?? '', ref.fieldPath ?? '', type, reason, message]);
}

export interface MakeEventInput {
  ref: ObjectReference;
  type: EventType;
  reason: string;
  message: string;
  source: EventSource;
  /** unique among this recorder's events: nanoseconds since the epoch, as a bigint */
  nameNanos: bigint;
  count: number;
  firstMs: number;
  lastMs: number;
}

export function makeEvent(input: MakeEventInput): CoreEvent {
  const { ref, source } = input;
  const eventSource: EventSource = { component: source.component };
  if (source.host) eventSource.host = source.host;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${ref.name}.${input.nameNanos.toString(16)}`, namespace: ref.namespace || 'default' },
    involvedObject: ref,
    reason: input.reason,
    message: input.message,
    type: input.type,
    source: eventSource,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
    firstTimestamp: formatTime(input.firstMs),
    lastTimestamp: formatTime(input.lastMs),
    count: input.count,
  };
}
