/**
 * When may a pod NodeResourcesFit rejected fit now (kube's Fit queueing hints)? Asked by
 * the scheduling queue for each cluster event, so a busy cluster does not retry every
 * unschedulable pod on every heartbeat-driven Node update.
 *
 * - A scheduled pod was deleted: its node has room again → Queue. (An unscheduled pod's
 *   deletion frees nothing.)
 * - A node was added: Queue only if the pod would fit on it empty.
 * - A node was updated: Queue only if the pod would fit on it empty AND the allocatable of
 *   something the pod asks for (or the pod count) went up; a label or condition change
 *   cannot make room.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { NodeInfo } from '../../framework/node-info.js';
import { podRequests } from '../../framework/resource.js';
import type { QueueingHint } from '../../framework/types.js';
import { fits } from './fits.js';

/** would the pod fit on this node with nothing else on it? */
export function fitsEmptyNode(pod: V1Pod, node: V1Node | undefined): boolean {
  if (!node) return false;
  return fits(pod, new NodeInfo(node.metadata?.name ?? '', node)).length === 0;
}

/** did the node's allocatable grow in the pod count, or in any resource the pod requests? */
export function anyRequestedResourceIncreased(pod: V1Pod, oldNode: V1Node, newNode: V1Node): boolean {
  const before = new NodeInfo('', oldNode).allocatable;
  const after = new NodeInfo('', newNode).allocatable;
  if (after.allowedPodNumber > before.allowedPodNumber) return true;
  const want = podRequests(pod);
  if (want.milliCPU > 0 && after.milliCPU > before.milliCPU) return true;
  if (want.memory > 0 && after.memory > before.memory) return true;
  if (want.ephemeralStorage > 0 && after.ephemeralStorage > before.ephemeralStorage) return true;
  for (const [name, amount] of want.scalar) {
    if (amount > 0 && (after.scalar.get(name) ?? 0) > (before.scalar.get(name) ?? 0)) return true;
  }
  return false;
}

export const queueAfterNodeChange: QueueingHint = (pod, oldObj, newObj) => {
  const newNode = newObj as V1Node | undefined;
  // no new object is not a node event we understand: retrying is the safe answer
  if (!newNode) return 'Queue';
  if (!fitsEmptyNode(pod, newNode)) return 'Skip';
  const oldNode = oldObj as V1Node | undefined;
  if (!oldNode) return 'Queue';
  return anyRequestedResourceIncreased(pod, oldNode, newNode) ? 'Queue' : 'Skip';
};

export const queueAfterPodDelete: QueueingHint = (_pod, oldObj) => {
  const deleted = oldObj as V1Pod | undefined;
  if (!deleted) return 'Queue';
  return deleted.spec?.nodeName ? 'Queue' : 'Skip';
};
