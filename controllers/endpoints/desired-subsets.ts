/**
 * What the Endpoints object of a Service should hold (kube's endpoints controller
 * syncService, pure part): one address per published pod — ready pods in `addresses`,
 * the others in `notReadyAddresses` (all in `addresses` with publishNotReadyAddresses) —
 * for every Service port the pod has (a named targetPort is resolved per pod), then
 * repacked into subsets that group addresses sharing the same ports (RepackSubsets).
 *
 *   pods a (ready, http=8080), b (not ready, http=8080), c (ready, http=9090)
 *   → [{ addresses: [a], notReadyAddresses: [b], ports: [http 8080] },
 *      { addresses: [c], ports: [http 9090] }]
 */
import type { CoreV1EndpointPort, V1EndpointAddress, V1EndpointSubset, V1Pod, V1Service } from '@kubernetes/client-node';
import { findPort, isIPv6, isPodReady, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from '../endpointslice/util/pod-endpoint-rules.js';

/** the IP family the Service publishes (its first ipFamily, else its ClusterIP's, else the pod's) */
function serviceFamilyIsIPv6(service: V1Service, pod: V1Pod): boolean {
  const families = service.spec?.ipFamilies ?? [];
  if (families.length > 0) return families[0] === 'IPv6';
  const clusterIP = service.spec?.clusterIP;
  if (clusterIP && clusterIP !== 'None') return isIPv6(clusterIP);
  return isIPv6(pod.status?.podIP ?? '');
}

/** podToEndpointAddressForService: the pod's IP of the Service's family, with its node and a reference to it */
export function podToEndpointAddress(service: V1Service, pod: V1Pod): V1EndpointAddress | undefined {
  const v6 = serviceFamilyIsIPv6(service, pod);
  const ip = podIPs(pod).find((candidate) => isIPv6(candidate) === v6);
  if (!ip) return undefined;
  const address: V1EndpointAddress = {
    ip,
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
  if (shouldSetHostname(pod, service)) address.hostname = pod.spec!.hostname!;
  return address;
}

/** one single-address subset per (pod, port), before repacking */
export function unpackedSubsets(service: V1Service, pods: V1Pod[]): V1EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const subsets: V1EndpointSubset[] = [];
  const add = (pod: V1Pod, address: V1EndpointAddress, port: CoreV1EndpointPort | undefined) => {
    const ports = port ? [port] : [];
    if (publishNotReady || isPodReady(pod)) subsets.push({ addresses: [address], ports });
    else subsets.push({ notReadyAddresses: [address], ports });
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = podToEndpointAddress(service, pod);
    if (!address) continue;
    const servicePorts = service.spec?.ports ?? [];
    if (servicePorts.length === 0) {
      // a headless Service may have no ports: its addresses are published alone
      if (service.spec?.clusterIP === 'None') add(pod, address, undefined);
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      add(pod, address, { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
  }
  return subsets;
}

const addressKey = (a: V1EndpointAddress) => `${a.ip}|${a.targetRef?.uid ?? ''}`;
const portKey = (p: CoreV1EndpointPort) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? '']);
const NO_PORT = '<none>';

const compareAddresses = (a: V1EndpointAddress, b: V1EndpointAddress) =>
  a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');

/**
 * RepackSubsets: map each port to the addresses offering it (an address not ready for a
 * port stays not ready for it: not ready wins), then group ports by identical address
 * sets. Sorted (addresses by IP then uid, ports and subsets by content) so that equal
 * contents always serialise the same way — kube sorts by hash for the same reason.
 */
export function repackSubsets(subsets: V1EndpointSubset[]): V1EndpointSubset[] {
  const addresses = new Map<string, V1EndpointAddress>();
  const ports = new Map<string, CoreV1EndpointPort | undefined>();
  const readyByPort = new Map<string, Map<string, boolean>>();
  const note = (address: V1EndpointAddress, pk: string, ready: boolean) => {
    const ak = addressKey(address);
    if (!addresses.has(ak)) addresses.set(ak, address);
    let set = readyByPort.get(pk);
    if (!set) readyByPort.set(pk, (set = new Map()));
    const was = set.get(ak);
    if (was === undefined || was) set.set(ak, ready);
  };
  for (const ss of subsets) {
    const ssPorts = ss.ports ?? [];
    const keys = ssPorts.length === 0 ? [NO_PORT] : ssPorts.map((p) => {
      const k = portKey(p);
      ports.set(k, p);
      return k;
    });
    for (const pk of keys) {
      for (const a of ss.addresses ?? []) note(a, pk, true);
      for (const a of ss.notReadyAddresses ?? []) note(a, pk, false);
    }
  }
  // group ports by their address set
  const groups = new Map<string, { set: Map<string, boolean>; ports: CoreV1EndpointPort[] }>();
  for (const [pk, set] of readyByPort) {
    const setKey = JSON.stringify([...set.entries()].sort(([a], [b]) => a.localeCompare(b)));
    let group = groups.get(setKey);
    if (!group) groups.set(setKey, (group = { set, ports: [] }));
    if (pk !== NO_PORT) group.ports.push(ports.get(pk)!);
  }
  const out: V1EndpointSubset[] = [];
  for (const { set, ports: groupPorts } of groups.values()) {
    const ready: V1EndpointAddress[] = [];
    const notReady: V1EndpointAddress[] = [];
    for (const [ak, isReady] of set) (isReady ? ready : notReady).push(structuredClone(addresses.get(ak)!));
    ready.sort(compareAddresses);
    notReady.sort(compareAddresses);
    groupPorts.sort((a, b) => portKey(a).localeCompare(portKey(b)));
    out.push({
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ...(groupPorts.length ? { ports: groupPorts.map((p) => structuredClone(p)) } : {}),
    });
  }
  const subsetKey = (ss: V1EndpointSubset) => JSON.stringify([ss.ports?.map(portKey) ?? [], (ss.addresses ?? ss.notReadyAddresses ?? []).map(addressKey)]);
  return out.sort((a, b) => subsetKey(a).localeCompare(subsetKey(b)));
}

/** kube's maxCapacity: an Endpoints object holds at most this many addresses */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/**
 * truncateEndpoints: over capacity, keep ready addresses first; each subset keeps a share
 * proportional to its size (rounded up, the last ones get what is left). Returns the
 * truncated subsets, or undefined when nothing had to go.
 */
export function truncateSubsets(subsets: V1EndpointSubset[], capacity = MAX_ENDPOINTS_CAPACITY): V1EndpointSubset[] | undefined {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const ss of subsets) {
    totalReady += ss.addresses?.length ?? 0;
    totalNotReady += ss.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= capacity) return undefined;
  const truncateReady = totalReady > capacity;
  const max = truncateReady ? capacity : capacity - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  return subsets.map((ss) => {
    const inSubset = truncateReady ? (ss.addresses?.length ?? 0) : (ss.notReadyAddresses?.length ?? 0);
    const toAdd = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    const copy = structuredClone(ss);
    if (truncateReady) {
      copy.addresses = (copy.addresses ?? []).slice(0, toAdd);
      delete copy.notReadyAddresses;
      canBeAdded -= copy.addresses.length;
    } else {
      copy.notReadyAddresses = (copy.notReadyAddresses ?? []).slice(0, toAdd);
      canBeAdded -= copy.notReadyAddresses.length;
    }
    return copy;
  });
}

/** the subsets to write for a Service: built, repacked and, over capacity, truncated */
export function desiredSubsets(service: V1Service, pods: V1Pod[], capacity = MAX_ENDPOINTS_CAPACITY): { subsets: V1EndpointSubset[]; truncated: boolean } {
  const subsets = repackSubsets(unpackedSubsets(service, pods));
  const truncated = truncateSubsets(subsets, capacity);
  return truncated ? { subsets: truncated, truncated: true } : { subsets, truncated: false };
}
