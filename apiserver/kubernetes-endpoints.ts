/**
 * The API server's own endpoints, as kube-apiserver's endpoint reconciler writes them in
 * `default`: the Endpoints `kubernetes` (one subset: the server's address, port `https`),
 * labelled `endpointslice.kubernetes.io/skip-mirror: "true"` so the mirroring controller
 * leaves it alone, and the EndpointSlice `kubernetes` derived from it (kube's
 * endpointSliceFromEndpoints: label `kubernetes.io/service-name: kubernetes`, no owner,
 * no managed-by, each address an endpoint with ready=true). Pure builders and the
 * "does the stored one already say this" checks, so a reconcile writes only on change.
 */
import type { KubeObject } from './catalogue/resource-def.js';

export const KUBERNETES = 'kubernetes';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServerEndpoint {
  address: string;
  port: number;
}

export function kubernetesEndpoints(ep: ServerEndpoint): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: KUBERNETES, namespace: 'default', labels: { [SKIP_MIRROR_LABEL]: 'true' } },
    subsets: [{ addresses: [{ ip: ep.address }], ports: [{ name: 'https', port: ep.port, protocol: 'TCP' }] }],
  };
}

export function kubernetesEndpointSlice(ep: ServerEndpoint): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: KUBERNETES, namespace: 'default', labels: { [SERVICE_NAME_LABEL]: KUBERNETES } },
    addressType: ep.address.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [ep.address], conditions: { ready: true } }],
    ports: [{ name: 'https', port: ep.port, protocol: 'TCP' }],
  };
}

/** JSON equality that ignores key order and treats null/empty lists and maps as absent */
export function sameContent(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.length ? v.map(norm) : undefined;
    if (v === null || v === undefined || typeof v !== 'object') return v ?? undefined;
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => [k, norm((v as Record<string, unknown>)[k])] as const)
      .filter(([, x]) => x !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** the stored Endpoints already say what `want` says (subsets, and the skip-mirror label) */
export const endpointsCurrent = (stored: KubeObject, want: KubeObject): boolean =>
  sameContent(stored.subsets, want.subsets) && stored.metadata.labels?.[SKIP_MIRROR_LABEL] === 'true';

/** kube's check before updating the slice: endpoints, ports and labels alike (and the address type, which cannot change) */
export const endpointSliceCurrent = (stored: KubeObject, want: KubeObject): boolean =>
  stored.addressType === want.addressType &&
  sameContent(stored.endpoints, want.endpoints) &&
  sameContent(stored.ports, want.ports) &&
  sameContent(stored.metadata.labels, want.metadata.labels);
