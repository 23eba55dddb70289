/**
 * What an EndpointSlice of a Service carries besides its endpoints (kube's
 * newEndpointSlice and setEndpointSliceLabels): generateName `<service>-`, the Service as
 * its controller owner, the Service's labels plus the reserved ones —
 * `kubernetes.io/service-name`, `endpointslice.kubernetes.io/managed-by` and, for a
 * headless Service, `service.kubernetes.io/headless`.
 */
import type { DiscoveryV1EndpointPort, V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { semanticEqual } from './util/semantic-equal.js';
import { isServiceIPSet } from './util/pod-endpoint-rules.js';
import type { AddressType } from './slice-endpoints.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** this controller's managed-by value */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

const RESERVED = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);

/**
 * The labels the slice should have, and whether its non-reserved labels differ from the
 * Service's (a change of the reserved ones alone is not an update, as in kube).
 */
export function sliceLabels(slice: V1EndpointSlice, service: V1Service, controllerName = CONTROLLER_NAME): { labels: Record<string, string>; changed: boolean } {
  const current: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice.metadata?.labels ?? {})) if (!RESERVED.has(k)) current[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.metadata?.labels ?? {})) if (!RESERVED.has(k)) labels[k] = v;
  const changed = !semanticEqual(current, labels);
  if (!isServiceIPSet(service)) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = service.metadata?.name ?? '';
  labels[MANAGED_BY_LABEL] = controllerName;
  return { labels, changed };
}

/** getEndpointSlicePrefix: `<name>-`, unless that is too long to be a name prefix */
export function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return prefix.length <= 253 ? prefix : serviceName;
}

/** a new, empty slice for the Service with these ports (no name yet: the API server generates it) */
export function newEndpointSlice(service: V1Service, ports: DiscoveryV1EndpointPort[], addressType: AddressType, controllerName = CONTROLLER_NAME): V1EndpointSlice {
  const slice: V1EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(service.metadata?.name ?? ''),
      namespace: service.metadata?.namespace ?? '',
      labels: {},
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: service.metadata?.name ?? '', uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports: structuredClone(ports),
  };
  slice.metadata!.labels = sliceLabels(slice, service, controllerName).labels;
  return slice;
}

/** ownedBy: the slice has an ownerReference to this very Service (same uid) */
export const ownedBy = (slice: V1EndpointSlice, service: V1Service): boolean =>
  (slice.metadata?.ownerReferences ?? []).some((o) => o.uid === service.metadata?.uid && o.kind === 'Service' && o.apiVersion === 'v1');

/** placeholderSliceCompare: namespace, labels, owners, address type, endpoints and ports alike (names and annotations aside) */
export function samePlaceholder(a: V1EndpointSlice, b: V1EndpointSlice): boolean {
  return (
    a.metadata?.namespace === b.metadata?.namespace &&
    semanticEqual(a.metadata?.labels, b.metadata?.labels) &&
    semanticEqual(a.metadata?.ownerReferences, b.metadata?.ownerReferences) &&
    a.addressType === b.addressType &&
    semanticEqual(a.endpoints, b.endpoints) &&
    semanticEqual(a.ports, b.ports)
  );
}
