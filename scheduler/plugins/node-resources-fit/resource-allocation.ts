/**
 * The vectors every resource-allocation score is computed from (kube's
 * resourceAllocationScorer): for each configured resource, what the node would have
 * requested with this pod on it, and what it can allocate. NodeResourcesFit and
 * NodeResourcesBalancedAllocation share it and differ in one switch:
 *
 * - useRequested false (Fit): cpu and memory count containers without requests as
 *   100m / 200Mi, on the node and for the pod, so best-effort pods still spread out.
 * - useRequested true (BalancedAllocation): the real requests.
 *
 * ephemeral-storage and scalar resources always use the real requests. A scalar resource
 * the pod does not request, or one the node does not have, is left out (allocatable 0):
 * a GPU node should not score lower for a CPU-only pod just because its GPUs are busy.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { NodeInfo } from '../../framework/node-info.js';
import { amountOf, CPU, EPHEMERAL_STORAGE, MEMORY, podRequests } from '../../framework/resource.js';
import { isScalarResourceName } from './resource-names.js';

/** the pod's request of each named resource, in order */
export function podRequestList(pod: V1Pod, resourceNames: readonly string[], useRequested: boolean): number[] {
  const requests = podRequests(pod, { nonZero: !useRequested });
  return resourceNames.map((name) => amountOf(requests, name));
}

export interface AllocationVectors {
  requested: number[];
  allocatable: number[];
}

/** [allocatable, requested-with-the-pod] of one resource on the node; [0, 0] = leave it out */
function allocatableAndRequested(nodeInfo: NodeInfo, name: string, podRequest: number, useRequested: boolean): [number, number] {
  const onNode = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  if (podRequest === 0 && isScalarResourceName(name)) return [0, 0];
  switch (name) {
    case CPU:
      return [nodeInfo.allocatable.milliCPU, onNode.milliCPU + podRequest];
    case MEMORY:
      return [nodeInfo.allocatable.memory, onNode.memory + podRequest];
    case EPHEMERAL_STORAGE:
      return [nodeInfo.allocatable.ephemeralStorage, nodeInfo.requested.ephemeralStorage + podRequest];
    default: {
      const allocatable = nodeInfo.allocatable.scalar.get(name);
      if (allocatable === undefined) return [0, 0];
      return [allocatable, (nodeInfo.requested.scalar.get(name) ?? 0) + podRequest];
    }
  }
}

export function allocationVectors(nodeInfo: NodeInfo, resourceNames: readonly string[], podRequests: readonly number[], useRequested: boolean): AllocationVectors {
  const requested = new Array<number>(resourceNames.length).fill(0);
  const allocatable = new Array<number>(resourceNames.length).fill(0);
  for (let i = 0; i < resourceNames.length; i++) {
    const [alloc, req] = allocatableAndRequested(nodeInfo, resourceNames[i]!, podRequests[i] ?? 0, useRequested);
    if (alloc === 0) continue;
    allocatable[i] = alloc;
    requested[i] = req;
  }
  return { requested, allocatable };
}

/** a StateData holding the pod's request list, computed once in PreScore; immutable, so clone() is itself */
export class PodRequestsState {
  constructor(readonly podRequests: readonly number[]) {}
  clone(): PodRequestsState {
    return this;
  }
}
