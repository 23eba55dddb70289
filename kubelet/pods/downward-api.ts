/**
 * The downward API's values, as the kubelet computes them for env (and downwardAPI
 * volumes may reuse them): pod fields by fieldPath (kube's podFieldSelectorRuntimeValue
 * plus fieldpath.ExtractFieldPathAsString) and container resources by resourceFieldRef
 * (resource.ExtractContainerResourceValue), with kube's formatting:
 *   metadata.labels / metadata.annotations → sorted `key="value"` lines
 *   cpu → ceil(milli-cores / divisor's milli-cores); memory, ephemeral-storage → ceil(bytes / divisor)
 * Pure functions; an unsupported path or resource throws with kube's message, which makes
 * the container wait with CreateContainerConfigError as it does on a real node.
 */
import type { V1Container, V1Pod, V1ResourceFieldSelector } from '@kubernetes/client-node';
import { parseQuantity } from '../../client/quantity.js';

export interface PodNetworkFacts {
  /** the pod's IPs, primary first (empty before the sandbox has one) */
  podIPs: string[];
  /** the node's IPs, primary first */
  hostIPs: string[];
}

/** Go's %q is close enough to JSON's quoting for label and annotation values */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${JSON.stringify(map![key])}`)
    .join('\n');
}

export function podFieldValue(pod: V1Pod, fieldPath: string, net: PodNetworkFacts): string {
  switch (fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return net.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return net.hostIPs.join(',');
    case 'status.podIP':
      return net.podIPs[0] ?? '';
    case 'status.podIPs':
      return net.podIPs.join(',');
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata?.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata?.annotations);
  }
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (subscript) return (subscript[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations)?.[subscript[2]!] ?? '';
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/**
 * kube first defaults unset limits to the node's allocatable (defaultPodLimitsForDownwardAPI).
 * `allocatable` may be undefined when the caller has none at hand: an unset limit then falls
 * back to the request, else 0. Unset requests stay unset (0), as on a real node, unless the
 * limit is set (the API server defaults requests to limits).
 */
export function containerResourceValue(selector: V1ResourceFieldSelector, container: V1Container, allocatable?: Record<string, string>): string {
  const match = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(selector.resource);
  if (!match) throw new Error(`unsupported container resource : ${selector.resource}`);
  const [, kind, resource] = match as unknown as [string, 'limits' | 'requests', string];
  const limit = parseQuantity(container.resources?.limits?.[resource]);
  const request = parseQuantity(container.resources?.requests?.[resource]) ?? limit;
  const value = kind === 'limits' ? (limit ?? parseQuantity(allocatable?.[resource]) ?? request ?? 0) : (request ?? 0);
  const divisor = parseQuantity(selector.divisor as string | undefined) || 1;
  if (resource === 'cpu') return String(Math.ceil(Math.ceil(value * 1000 - 1e-9) / Math.ceil(divisor * 1000 - 1e-9)));
  return String(Math.ceil(Math.ceil(value - 1e-9) / Math.ceil(divisor - 1e-9)));
}
