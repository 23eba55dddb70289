/**
 * Does a pod's request fit what is left on a node (kube's noderesources.fitsRequest)?
 * Pure: the Filter, the queueing hints and anyone simulating placement (preemption, a
 * cluster-autoscaler-like tool) call the same function.
 *
 * Every shortfall is reported, not just the first, in kube's order — pod count, cpu,
 * memory, ephemeral-storage, then scalar resources — because FailedScheduling events count
 * each reason separately ("3 Insufficient cpu, 2 Insufficient memory").
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { NodeInfo } from '../../framework/node-info.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY, PODS, podRequests, type Resource } from '../../framework/resource.js';
import { isExtendedResourceName, isScalarResourceName } from './resource-names.js';

export interface InsufficientResource {
  resourceName: string;
  /** the user-facing reason, exactly kube-scheduler's text */
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

export interface IgnoredResources {
  /** extended resource names to skip (example.com/gpu) */
  names?: ReadonlySet<string>;
  /** extended resource groups to skip: the part before '/' (example.com) */
  groups?: ReadonlySet<string>;
}

/** pre-built reasons for the common resources, so a Filter over many nodes formats nothing */
const REASONS: Record<string, string> = {
  [PODS]: 'Too many pods',
  [CPU]: 'Insufficient cpu',
  [MEMORY]: 'Insufficient memory',
  [EPHEMERAL_STORAGE]: 'Insufficient ephemeral-storage',
};

const reasonFor = (name: string): string => REASONS[name] ?? `Insufficient ${name}`;

function isIgnored(name: string, ignored: IgnoredResources): boolean {
  // ignoring only applies to extended resources: hugepages and kubernetes.io/ names are always checked
  if (!isExtendedResourceName(name)) return false;
  if (ignored.names?.has(name)) return true;
  if (ignored.groups?.size) return ignored.groups.has(name.split('/')[0]!);
  return false;
}

/**
 * What the pod asks that the node cannot give (empty: it fits). podRequest is the pod's
 * real request (podRequests without the non-zero stand-ins).
 */
export function fitsRequest(podRequest: Resource, nodeInfo: NodeInfo, ignored: IgnoredResources = {}): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allocatable = nodeInfo.allocatable;
  const requested = nodeInfo.requested;

  const podCount = nodeInfo.pods.size;
  if (podCount + 1 > allocatable.allowedPodNumber) {
    out.push({ resourceName: PODS, reason: reasonFor(PODS), requested: 1, used: podCount, capacity: allocatable.allowedPodNumber });
  }

  const check = (name: string, want: number, used: number, capacity: number) => {
    // a zero request always fits, even on a node that is over-committed already
    if (want > 0 && want > capacity - used) out.push({ resourceName: name, reason: reasonFor(name), requested: want, used, capacity });
  };
  check(CPU, podRequest.milliCPU, requested.milliCPU, allocatable.milliCPU);
  check(MEMORY, podRequest.memory, requested.memory, allocatable.memory);
  check(EPHEMERAL_STORAGE, podRequest.ephemeralStorage, requested.ephemeralStorage, allocatable.ephemeralStorage);

  for (const [name, want] of podRequest.scalar) {
    if (want === 0 || !isScalarResourceName(name) || isIgnored(name, ignored)) continue;
    check(name, want, requested.scalar.get(name) ?? 0, allocatable.scalar.get(name) ?? 0);
  }
  return out;
}

/** fitsRequest for a pod not yet summed up (kube's noderesources.Fits): nothing ignored */
export function fits(pod: V1Pod, nodeInfo: NodeInfo): InsufficientResource[] {
  return fitsRequest(podRequests(pod), nodeInfo);
}
