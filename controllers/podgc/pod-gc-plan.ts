/**
 * What kube's pod garbage collector (pkg/controller/podgc) would remove in one pass, as
 * pure functions of the cached pods and nodes:
 *
 *   terminated      Succeeded/Failed pods beyond terminatedPodThreshold, evicted ones
 *                   first, then oldest first (name breaks ties)
 *   terminating     pods being deleted on a node that is NotReady and carries the
 *                   node.kubernetes.io/out-of-service taint (the node will not finish them)
 *   orphaned        pods bound to a node that does not exist (after a quarantine and a live
 *                   check, done by the controller)
 *   unscheduled     pods being deleted that never got a node (no kubelet will finish them)
 *
 * Each is force-deleted (grace 0) after its status is set to Failed, so Job controllers
 * see a terminal pod; orphans also get the DisruptionTarget condition.
 */
import type { V1Node, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { timeOf } from '../common/time.js';
import { isPodTerminal } from '../common/pod-status.js';

export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

/**
 * Succeeded or Failed (common/pod-status.ts). kube counts every phase but
 * Pending/Running/Unknown; a pod without a phase yet is not finished here (k8ts may list one
 * before its status is written).
 */
export const isPodTerminated = isPodTerminal;

const isEvicted = (pod: V1Pod) => pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted';

/** kube's byEvictionAndCreationTimestamp */
export function byEvictionAndCreation(a: V1Pod, b: V1Pod): number {
  const ea = isEvicted(a);
  const eb = isEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = timeOf(a.metadata?.creationTimestamp);
  const tb = timeOf(b.metadata?.creationTimestamp);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** the terminated pods to delete so that at most `threshold` remain (threshold ≤ 0: none) */
export function terminatedPodsToDelete(pods: readonly V1Pod[], threshold: number): V1Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  return [...terminated].sort(byEvictionAndCreation).slice(0, excess);
}

const isNodeReady = (node: V1Node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** terminating pods whose node is NotReady and tainted out-of-service */
export function terminatingPodsOnOutOfServiceNodes(pods: readonly V1Pod[], nodeNamed: (name: string) => V1Node | undefined): V1Pod[] {
  return pods
    .filter((pod) => {
      if (!pod.metadata?.deletionTimestamp || !pod.spec?.nodeName) return false;
      const node = nodeNamed(pod.spec.nodeName);
      if (!node) return false;
      return !isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT);
    })
    .sort(byEvictionAndCreation);
}

/** node names pods are bound to that the node cache does not know */
export function missingNodeNames(pods: readonly V1Pod[], nodeExists: (name: string) => boolean): Set<string> {
  const missing = new Set<string>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (node && !nodeExists(node)) missing.add(node);
  }
  return missing;
}

export const podsOnNodes = (pods: readonly V1Pod[], nodes: ReadonlySet<string>): V1Pod[] => pods.filter((p) => p.spec?.nodeName && nodes.has(p.spec.nodeName));

export const unscheduledTerminatingPods = (pods: readonly V1Pod[]): V1Pod[] => pods.filter((p) => p.metadata?.deletionTimestamp && !p.spec?.nodeName);

/** the condition kube's PodGC adds to pods whose node is gone */
export const orphanCondition = (now: string): V1PodCondition => ({
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByPodGC',
  message: 'PodGC: node no longer exists',
  lastTransitionTime: now as unknown as Date,
});

/**
 * The status patch that marks a pod Failed before its forced deletion (kube's
 * markFailedAndDeletePodWithCondition), or undefined for a pod already terminal. The uid
 * guards against a pod re-created under the same name; conditions are sent whole.
 */
export function markFailedPatch(pod: V1Pod, condition?: V1PodCondition): Record<string, unknown> | undefined {
  if (isPodTerminated(pod)) return undefined;
  const status: Record<string, unknown> = { phase: 'Failed' };
  if (condition) {
    const others = (pod.status?.conditions ?? []).filter((c) => c.type !== condition.type);
    const existing = pod.status?.conditions?.find((c) => c.type === condition.type);
    const kept = existing && existing.status === condition.status ? { ...condition, lastTransitionTime: existing.lastTransitionTime } : condition;
    status.conditions = [...others, kept];
  }
  return { metadata: { uid: pod.metadata?.uid }, status };
}
