/**
 * Which Services a pod belongs to, and which must be looked at again when a pod changes
 * (kube's GetPodServiceMemberships and GetServicesToUpdateOnPodChange), for the Endpoints
 * and EndpointSlice controllers' pod handlers. A Service selects pods by an equality map;
 * an absent or empty selector selects nothing here (kube reads an empty map back as nil:
 * such a Service's endpoints are managed by hand).
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { isPodReady } from './pod-endpoint-rules.js';

export const hasSelector = (service: V1Service): boolean => Object.keys(service.spec?.selector ?? {}).length > 0;

/** the Service's selector matches the pod's labels */
export function serviceSelectsPod(service: V1Service, pod: V1Pod): boolean {
  if (!hasSelector(service)) return false;
  if (service.metadata?.namespace !== pod.metadata?.namespace) return false;
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(service.spec!.selector!).every(([k, v]) => labels[k] === v);
}

const keyOf = (service: V1Service) => `${service.metadata?.namespace}/${service.metadata?.name}`;

/** keys ("namespace/name") of the Services selecting the pod, among `services` (its namespace's) */
export const podServiceMemberships = (services: V1Service[], pod: V1Pod): Set<string> =>
  new Set(services.filter((s) => serviceSelectsPod(s, pod)).map(keyOf));

const hostnameAndSubdomainEqual = (a: V1Pod, b: V1Pod) => a.spec?.hostname === b.spec?.hostname && a.spec?.subdomain === b.spec?.subdomain;

/**
 * podEndpointsChanged: [the pod's endpoint changed (deletion started, readiness flipped,
 * IPs changed), the pod's membership may have changed (labels, hostname/subdomain)].
 * Name, namespace, uid and nodeName are immutable once the pod has an IP.
 */
export function podEndpointsChanged(oldPod: V1Pod, newPod: V1Pod): [boolean, boolean] {
  const labelsChanged = !isDeepStrictEqual(oldPod.metadata?.labels ?? {}, newPod.metadata?.labels ?? {}) || !hostnameAndSubdomainEqual(oldPod, newPod);
  if ((oldPod.metadata?.deletionTimestamp ?? undefined) !== (newPod.metadata?.deletionTimestamp ?? undefined)) return [true, labelsChanged];
  if (isPodReady(oldPod) !== isPodReady(newPod)) return [true, labelsChanged];
  // kube also counts a pod turning terminal through its readiness; a phase change alone
  // that keeps readiness is caught here so a Succeeded pod leaves promptly
  if (oldPod.status?.phase !== newPod.status?.phase) return [true, labelsChanged];
  const oldIPs = (oldPod.status?.podIPs ?? []).map((p) => p.ip);
  const newIPs = (newPod.status?.podIPs ?? []).map((p) => p.ip);
  if (!isDeepStrictEqual(oldIPs, newIPs) || oldPod.status?.podIP !== newPod.status?.podIP) return [true, labelsChanged];
  return [false, labelsChanged];
}

/**
 * The Services to sync after a pod update: none for a resync (same resourceVersion) or an
 * irrelevant change; the new memberships when the endpoint changed, plus the old ones
 * when labels changed; when only labels changed, the Services the pod joined or left.
 */
export function servicesToUpdateOnPodChange(services: V1Service[], oldPod: V1Pod, newPod: V1Pod): Set<string> {
  if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return new Set();
  const [podChanged, labelsChanged] = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const now = podServiceMemberships(services, newPod);
  if (!labelsChanged) return now;
  const before = podServiceMemberships(services, oldPod);
  if (podChanged) return new Set([...now, ...before]);
  const joinedOrLeft = new Set<string>();
  for (const k of now) if (!before.has(k)) joinedOrLeft.add(k);
  for (const k of before) if (!now.has(k)) joinedOrLeft.add(k);
  return joinedOrLeft;
}
