/**
 * One pod as an EndpointSlice endpoint, and the ports it serves a Service on (kube's
 * k8s.io/endpointslice utils: podToEndpoint, getEndpointPorts), plus the identities the
 * reconciler matches them by: an endpoint's hash (addresses, hostname, pod) and a port
 * mapping's key (pods whose named ports resolve alike share slices).
 *
 * Conditions, exactly as kube computes them:
 *   serving     = the pod is Ready
 *   terminating = the pod has a deletionTimestamp
 *   ready       = publishNotReadyAddresses || (serving && !terminating)
 */
import type { DiscoveryV1EndpointPort, V1Endpoint, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { semanticEqual } from './util/semantic-equal.js';
import { findPort, isIPv6, isPodReady, podIPs, shouldSetHostname } from './util/pod-endpoint-rules.js';

export type AddressType = 'IPv4' | 'IPv6';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export function podToEndpoint(pod: V1Pod, node: V1Node | undefined, service: V1Service, addressType: AddressType): V1Endpoint {
  const serving = isPodReady(pod);
  const terminating = Boolean(pod.metadata?.deletionTimestamp);
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const endpoint: V1Endpoint = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) endpoint.zone = zone;
  if (shouldSetHostname(pod, service)) endpoint.hostname = pod.spec!.hostname!;
  return endpoint;
}

/** the Service's ports with this pod's port numbers; a port the pod lacks is skipped */
export function endpointPorts(service: V1Service, pod: V1Pod): DiscoveryV1EndpointPort[] {
  const ports: DiscoveryV1EndpointPort[] = [];
  const servicePorts = service.spec?.ports ?? [];
  if (servicePorts.length === 0 && service.spec?.clusterIP === 'None') return ports;
  for (const sp of servicePorts) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return ports;
}

const portText = (p: DiscoveryV1EndpointPort) => JSON.stringify([p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? '']);

/** NewPortMapKey: the same ports in any order give the same key */
export const portMapKey = (ports: DiscoveryV1EndpointPort[] | null | undefined): string => JSON.stringify((ports ?? []).map(portText).sort());

/** hashEndpoint: what makes two endpoints the same one (conditions and node may differ) */
export function endpointHash(endpoint: V1Endpoint): string {
  return JSON.stringify([[...(endpoint.addresses ?? [])].sort(), endpoint.hostname ?? '', endpoint.targetRef?.namespace ?? '', endpoint.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: node, zone, the three conditions and the pod reference (its resourceVersion aside) */
export function endpointsEqualBeyondHash(a: V1Endpoint, b: V1Endpoint): boolean {
  if ((a.nodeName ?? undefined) !== (b.nodeName ?? undefined)) return false;
  if ((a.zone ?? undefined) !== (b.zone ?? undefined)) return false;
  for (const c of ['ready', 'serving', 'terminating'] as const) if ((a.conditions?.[c] ?? undefined) !== (b.conditions?.[c] ?? undefined)) return false;
  const ref = (e: V1Endpoint) => (e.targetRef ? { ...e.targetRef, resourceVersion: undefined } : undefined);
  return semanticEqual(ref(a), ref(b));
}

/** getAddressTypesForService: from spec.ipFamilies; else the ClusterIP's family; a headless Service without families gets both */
export function addressTypesForService(service: V1Service): AddressType[] {
  const types = new Set<AddressType>();
  for (const family of service.spec?.ipFamilies ?? []) {
    if (family === 'IPv4') types.add('IPv4');
    if (family === 'IPv6') types.add('IPv6');
  }
  if (types.size > 0) return [...types];
  const clusterIP = service.spec?.clusterIP;
  if (clusterIP && clusterIP !== 'None') return [isIPv6(clusterIP) ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}
