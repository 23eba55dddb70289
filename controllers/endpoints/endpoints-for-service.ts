/**
 * The write the Endpoints controller makes for one Service (kube's syncService, after the
 * pods are listed): nothing when the stored Endpoints already hold the desired subsets,
 * the Service's labels and a correct over-capacity annotation; otherwise the object to
 * create or update — subsets, the Service's labels (plus `service.kubernetes.io/headless`
 * for a headless Service), the last-change trigger time, and
 * `endpoints.kubernetes.io/over-capacity: truncated` past 1000 addresses. Since kube 1.33
 * the object also carries `endpoints.kubernetes.io/managed-by: endpoint-controller`.
 */
import type { V1Endpoints, V1Pod, V1Service } from '@kubernetes/client-node';
import { semanticEqual } from '../endpointslice/util/semantic-equal.js';
import { formatRFC3339Nano, LAST_CHANGE_TRIGGER_TIME } from '../endpointslice/util/trigger-time-tracker.js';
import { isServiceIPSet } from '../endpointslice/util/pod-endpoint-rules.js';
import { desiredSubsets, MAX_ENDPOINTS_CAPACITY, OVER_CAPACITY_ANNOTATION, repackSubsets } from './desired-subsets.js';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** kube 1.33 marks the Endpoints its controller writes (the API server skips its deprecation checks for them) */
export const MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpoint-controller';

export type EndpointsWrite = { action: 'none' } | { action: 'create' | 'update'; endpoints: V1Endpoints };

export interface EndpointsInput {
  service: V1Service;
  /** the pods the Service selects (any order) */
  pods: V1Pod[];
  /** the stored Endpoints of the same name, if any (not modified) */
  current: V1Endpoints | undefined;
  /** epoch ms, or undefined when no trigger time moved */
  triggerTime: number | undefined;
  capacity?: number;
}

/** the labels that come from the Service (ours taken out) */
const serviceLabelsOf = (labels: Record<string, string> | undefined) => {
  const { [HEADLESS_LABEL]: _h, [MANAGED_BY_LABEL]: _m, ...rest } = labels ?? {};
  return rest;
};

export function endpointsWrite(input: EndpointsInput): EndpointsWrite {
  const { service, current } = input;
  const sorted = [...input.pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const { subsets, truncated } = desiredSubsets(service, sorted, input.capacity ?? MAX_ENDPOINTS_CAPACITY);
  const annotated = current?.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined;
  if (
    current?.metadata?.resourceVersion &&
    semanticEqual(repackSubsets(current.subsets ?? []), subsets) &&
    semanticEqual(serviceLabelsOf(current.metadata.labels), serviceLabelsOf(service.metadata?.labels)) &&
    current.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME &&
    annotated === truncated
  ) {
    return { action: 'none' };
  }
  const endpoints: V1Endpoints = current
    ? structuredClone(current)
    : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: service.metadata?.name ?? '', namespace: service.metadata?.namespace ?? '' } };
  endpoints.subsets = subsets;
  const labels: Record<string, string> = { ...serviceLabelsOf(service.metadata?.labels), [MANAGED_BY_LABEL]: CONTROLLER_NAME };
  if (!isServiceIPSet(service)) labels[HEADLESS_LABEL] = '';
  const meta = (endpoints.metadata ??= {});
  meta.labels = labels;
  const annotations: Record<string, string> = { ...(meta.annotations ?? {}) };
  if (input.triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = formatRFC3339Nano(input.triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  meta.annotations = annotations;
  return { action: current?.metadata?.resourceVersion ? 'update' : 'create', endpoints };
}
