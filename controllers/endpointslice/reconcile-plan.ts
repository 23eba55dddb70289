/**
 * kube's EndpointSlice reconciler, planning part (k8s.io/endpointslice reconciler.go):
 * from a Service, its pods and its existing slices, which slices to create, update and
 * delete — with as little churn as possible:
 *
 *   1. per address type the Service has, and per port mapping (pods whose named ports
 *      resolve alike), keep every existing slice whose endpoints are all still wanted and
 *      unchanged; rewrite one in place when an endpoint changed or left (delete it when
 *      none is left);
 *   2. put new endpoints into slices already being rewritten (the fullest first), then
 *      into the unchanged slice they fit best, and only then into new slices of at most
 *      maxEndpointsPerSlice;
 *   3. a Service with no endpoints keeps one empty placeholder slice;
 *   4. a create and a delete of the same address type become one update (finalize).
 *
 * Slices of address types the Service no longer has, and slices owned by another
 * Service of the same name (an older one), are deleted. Pure: the caller writes.
 */
import type { DiscoveryV1EndpointPort, V1Endpoint, V1EndpointSlice, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { newEndpointSlice, ownedBy, samePlaceholder, sliceLabels, CONTROLLER_NAME } from './slice-metadata.js';
import { addressTypesForService, endpointHash, endpointPorts, endpointsEqualBeyondHash, podToEndpoint, portMapKey, type AddressType } from './slice-endpoints.js';
import { shouldPodBeInEndpoints } from './util/pod-endpoint-rules.js';

export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface PlanInput {
  service: V1Service;
  pods: V1Pod[];
  /** the Service's slices managed by this controller, none being deleted (not modified) */
  existing: V1EndpointSlice[];
  /** a node by name; undefined when it does not exist */
  node(name: string): V1Node | undefined;
  maxEndpointsPerSlice?: number;
  controllerName?: string;
}

export interface SlicePlan {
  /** new slices (generateName set, no name) */
  create: V1EndpointSlice[];
  /** full objects to PUT (copies; resourceVersion of the slice they replace) */
  update: V1EndpointSlice[];
  delete: V1EndpointSlice[];
  /** pods left out because their node does not exist (the caller retries later) */
  skipped: string[];
}

/** an insertion-ordered set of endpoints keyed by endpointHash (kube's EndpointSet) */
class EndpointSet {
  private readonly items = new Map<string, V1Endpoint>();
  insert(ep: V1Endpoint): void {
    this.items.set(endpointHash(ep), ep);
  }
  get(ep: V1Endpoint): V1Endpoint | undefined {
    return this.items.get(endpointHash(ep));
  }
  delete(ep: V1Endpoint): void {
    this.items.delete(endpointHash(ep));
  }
  popAny(): V1Endpoint {
    const [key, ep] = this.items.entries().next().value as [string, V1Endpoint];
    this.items.delete(key);
    return ep;
  }
  get size(): number {
    return this.items.size;
  }
}

export function planSlices(input: PlanInput): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], skipped: [] };
  const types = addressTypesForService(input.service);
  const byType = new Map<AddressType, V1EndpointSlice[]>();
  const unsupported: V1EndpointSlice[] = [];
  for (const slice of input.existing) {
    const type = slice.addressType as AddressType;
    if (!types.includes(type)) unsupported.push(slice);
    else byType.set(type, [...(byType.get(type) ?? []), slice]);
  }
  for (const type of types) {
    const p = planForAddressType(input, byType.get(type) ?? [], type);
    plan.create.push(...p.create);
    plan.update.push(...p.update);
    plan.delete.push(...p.delete);
    for (const s of p.skipped) if (!plan.skipped.includes(s)) plan.skipped.push(s);
  }
  plan.delete.push(...unsupported);
  return plan;
}

interface PortMapping {
  ports: DiscoveryV1EndpointPort[];
  desired: EndpointSet;
}

function planForAddressType(input: PlanInput, existing: V1EndpointSlice[], addressType: AddressType): SlicePlan {
  const { service } = input;
  const controllerName = input.controllerName ?? CONTROLLER_NAME;
  const max = input.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  let create: V1EndpointSlice[] = [];
  const update: V1EndpointSlice[] = [];
  const del: V1EndpointSlice[] = [];
  const skipped: string[] = [];

  const existingByPortMap = new Map<string, V1EndpointSlice[]>();
  for (const slice of existing) {
    if (!ownedBy(slice, service)) {
      del.push(slice);
      continue;
    }
    const key = portMapKey(slice.ports);
    existingByPortMap.set(key, [...(existingByPortMap.get(key) ?? []), slice]);
  }

  const desiredByPortMap = new Map<string, PortMapping>();
  const pods = [...input.pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(service, pod);
    const key = portMapKey(ports);
    let mapping = desiredByPortMap.get(key);
    if (!mapping) desiredByPortMap.set(key, (mapping = { ports, desired: new EndpointSet() }));
    const node = pod.spec?.nodeName ? input.node(pod.spec.nodeName) : undefined;
    if (!node && service.spec?.publishNotReadyAddresses !== true) {
      // a pod on a node that does not exist is left out (and the Service retried), unless
      // the user asked for every address to be published
      skipped.push(pod.metadata?.name ?? '');
      continue;
    }
    const endpoint = podToEndpoint(pod, node, service, addressType);
    if ((endpoint.addresses ?? []).length > 0) mapping.desired.insert(endpoint);
  }

  for (const [key, mapping] of desiredByPortMap) {
    const p = planForPortMapping(service, existingByPortMap.get(key) ?? [], mapping.desired, mapping.ports, addressType, max, controllerName);
    create.push(...p.create);
    update.push(...p.update);
    del.push(...p.delete);
  }
  // slices of port mappings no pod has any more
  for (const [key, slices] of existingByPortMap) if (!desiredByPortMap.has(key)) del.push(...slices);

  // a Service without endpoints keeps one empty placeholder slice
  if (existing.length === del.length && create.length === 0) {
    const placeholder = newEndpointSlice(service, [], addressType, controllerName);
    if (del.length === 1 && samePlaceholder(del[0]!, placeholder)) del.length = 0;
    else create.push(placeholder);
  }

  // finalize: turn creates into updates of slices that would otherwise be deleted
  for (let i = 0; i < del.length && create.length > 0; ) {
    const doomed = del[i]!;
    const fresh = create[create.length - 1]!;
    if (doomed.addressType === fresh.addressType && ownedBy(doomed, service)) {
      // generateName stays, as in kube: the slice was made from it either way
      fresh.metadata!.name = doomed.metadata?.name ?? '';
      if (doomed.metadata?.resourceVersion) fresh.metadata!.resourceVersion = doomed.metadata.resourceVersion;
      create = create.slice(0, -1);
      update.push(fresh);
      del.splice(i, 1);
    } else {
      i++;
    }
  }
  return { create, update, delete: del, skipped };
}

function planForPortMapping(
  service: V1Service,
  existing: V1EndpointSlice[],
  desired: EndpointSet,
  ports: DiscoveryV1EndpointPort[],
  addressType: AddressType,
  max: number,
  controllerName: string,
): { create: V1EndpointSlice[]; update: V1EndpointSlice[]; delete: V1EndpointSlice[] } {
  const byName = new Map<string, V1EndpointSlice>();
  const unchanged: string[] = [];
  const toUpdate: string[] = [];
  const toDelete: string[] = [];

  // 1. keep what is still wanted; rewrite slices whose endpoints changed or left
  for (const slice of existing) {
    const name = slice.metadata?.name ?? '';
    byName.set(name, slice);
    const kept: V1Endpoint[] = [];
    let changed = false;
    for (const ep of slice.endpoints ?? []) {
      const want = desired.get(ep);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondHash(want, ep)) changed = true;
      desired.delete(ep);
    }
    const { labels, changed: labelsChanged } = sliceLabels(slice, service, controllerName);
    if (changed || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.push(name);
      else {
        const copy = structuredClone(slice);
        copy.endpoints = kept;
        copy.metadata!.labels = labels;
        byName.set(name, copy);
        toUpdate.push(name);
      }
    } else if (labelsChanged) {
      const copy = structuredClone(slice);
      copy.metadata!.labels = labels;
      byName.set(name, copy);
      toUpdate.push(name);
    } else {
      unchanged.push(name);
    }
  }

  // 2. new endpoints go first into slices being rewritten anyway, the fullest first
  if (desired.size > 0 && toUpdate.length > 0) {
    const slices = toUpdate.map((n) => byName.get(n)!).sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const slice of slices) {
      slice.endpoints ??= [];
      while (desired.size > 0 && slice.endpoints.length < max) slice.endpoints.push(desired.popAny());
    }
  }

  // 3. then into the unchanged slice they fit best, else into new slices
  const create: V1EndpointSlice[] = [];
  while (desired.size > 0) {
    let fill: V1EndpointSlice | undefined;
    if (desired.size < max && unchanged.length > 0) {
      const candidate = sliceToFill(unchanged.map((n) => byName.get(n)!), desired.size, max);
      if (candidate) {
        fill = structuredClone(candidate);
        byName.set(fill.metadata?.name ?? '', fill);
      }
    }
    fill ??= newEndpointSlice(service, ports, addressType, controllerName);
    fill.endpoints ??= [];
    while (desired.size > 0 && fill.endpoints.length < max) fill.endpoints.push(desired.popAny());
    const name = fill.metadata?.name;
    if (name) {
      if (!toUpdate.includes(name)) toUpdate.push(name);
      unchanged.splice(unchanged.indexOf(name), 1);
    } else {
      create.push(fill);
    }
  }
  return { create, update: toUpdate.map((n) => byName.get(n)!), delete: toDelete.map((n) => byName.get(n)!) };
}

/** getSliceToFill: the slice that ends up closest to full when `count` endpoints are added */
function sliceToFill(slices: V1EndpointSlice[], count: number, max: number): V1EndpointSlice | undefined {
  let closestDiff = max;
  let closest: V1EndpointSlice | undefined;
  for (const slice of slices) {
    const diff = max - (count + (slice.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = slice;
      if (diff === 0) return closest;
    }
  }
  return closest;
}
