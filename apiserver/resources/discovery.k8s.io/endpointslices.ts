/**
 * discovery.k8s.io/v1 EndpointSlice: a share of the endpoints behind a Service (labels such
 * as kubernetes.io/service-name tie it to one; they are ordinary labels here). Defaults as
 * kube's v1 SetDefaults_EndpointPort (name "", protocol TCP); endpoints and ports are
 * written as null when absent, as kube's non-omitempty lists serialize. Validation lives in
 * endpointslice-validation.ts; columns follow kube's printEndpointSlice.
 */
import type { DiscoveryV1EndpointPort, V1EndpointSlice } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointslice-validation.js';

const MAX_LISTED = 3;

function defaults(obj: KubeObject): void {
  const slice = obj as unknown as Record<string, unknown>;
  slice.endpoints ??= null;
  slice.ports ??= null;
  if (!Array.isArray(slice.ports)) return;
  for (const port of slice.ports as DiscoveryV1EndpointPort[]) {
    if (!port || typeof port !== 'object') continue;
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}

export const endpointSliceStrategy: Strategy = {
  defaults,
  validate: validateEndpointSlice,
  validateUpdate: validateEndpointSliceUpdate,
};

/** kube's listWithMoreString: the first three, " + N more...", or "<unset>" when nothing prints */
function listWithMore(items: string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(',');
  if (items.length > MAX_LISTED) return `${shown} + ${items.length - MAX_LISTED} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** PORTS: each port's number, else its name, else "*" (all ports) */
export function formatSlicePorts(ports: DiscoveryV1EndpointPort[] | null | undefined): string {
  return listWithMore((ports ?? []).map((p) => (typeof p?.port === 'number' ? String(p.port) : typeof p?.name === 'string' ? p.name : '*')));
}

/** ENDPOINTS: the addresses of all endpoints, in order */
export function formatSliceEndpoints(slice: V1EndpointSlice): string {
  return listWithMore((slice.endpoints ?? []).flatMap((ep) => (Array.isArray(ep?.addresses) ? ep.addresses : [])));
}

export const endpointSlices: ResourceDef = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  shortNames: [],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1EndpointSlice',
  subresources: [],
  printerColumns: [
    nameColumn,
    column('AddressType', 'string', 'The kind of address every endpoint of the slice has: IPv4, IPv6 or FQDN.', (o) => String((o as unknown as V1EndpointSlice).addressType ?? '')),
    column('Ports', 'string', 'The ports each endpoint of the slice exposes.', (o) => formatSlicePorts((o as unknown as V1EndpointSlice).ports)),
    column('Endpoints', 'string', 'The addresses of the endpoints in the slice.', (o) => formatSliceEndpoints(o as unknown as V1EndpointSlice)),
    ageColumn,
  ],
  strategy: endpointSliceStrategy,
};
