/**
 * Which pods a ReplicaSet deletes first when it has too many (kube's getPodsToDelete and
 * controller.ActivePodsWithRanks). The cheapest pods to lose go first, so a scale-down
 * hurts the workload as little as possible. Comparing two pods, the first rule that tells
 * them apart decides:
 *   1. not yet scheduled before scheduled;
 *   2. phase Pending before Unknown before Running;
 *   3. not ready before ready;
 *   4. lower `controller.kubernetes.io/pod-deletion-cost` before higher;
 *   5. more pods of the same workload on its node before fewer ("doubled up" pods go first,
 *      which spreads the survivors);
 *   6. both ready: ready more recently before ready for longer;
 *   7. more container restarts before fewer;
 *   8. created more recently before older.
 * Times in 6 and 8 compare on a base-2 logarithmic scale of their age (kube's
 * LogarithmicScaleDown, on by default): pods of about the same age tie, and ties break by
 * uid, a pseudo-random choice, so scale-downs do not always hit the very newest pod.
 *
 *   now = 100 s; pod A created 90 s ago, pod B 70 s ago: log2(90e9 ns) = 36.4, log2(70e9 ns)
 *   = 36.0 → both rank 36 → the smaller uid goes first, not necessarily the newer B.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { isPodActive, isPodReady, podReadySince } from '../common/pod-status.js';
import { timeOf } from '../common/time.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * the pod-deletion-cost annotation as an int32; 0 when absent or invalid (kube rejects
 * a leading '+' and leading zeros, as the API server's validation does)
 */
export function podDeletionCost(pod: V1Pod): number {
  const value = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (value === undefined || !/^(0|-?[1-9][0-9]*)$/.test(value)) return 0;
  const n = Number(value);
  return n >= -(2 ** 31) && n <= 2 ** 31 - 1 ? n : 0;
}

const maxContainerRestarts = (pod: V1Pod): number => Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));

/** kube's logarithmicRankDiff: floor(log2(age in ns)) of each time, or -1 for an age ≤ 0 */
function logarithmicRankDiff(t1: number, t2: number, nowMs: number): number {
  const rank = (t: number) => {
    const ageNs = (nowMs - t) * 1e6;
    return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** negative when `a` is deleted before `b` (kube's "afterOrZero": a missing time counts as newest) */
function newerFirst(a: number, b: number, uidA: string, uidB: string, nowMs: number | undefined): number {
  const aMissing = Number.isNaN(a);
  const bMissing = Number.isNaN(b);
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? -1 : 1;
  if (a === b) return 0;
  if (nowMs === undefined) return a > b ? -1 : 1;
  const diff = logarithmicRankDiff(a, b, nowMs);
  if (diff !== 0) return diff < 0 ? -1 : 1;
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}

export interface RankedPod {
  pod: V1Pod;
  /** active pods of the same workload on this pod's node */
  rank: number;
}

/** a comparator for Array.sort: pods to delete first come first. `nowMs` undefined → plain time order */
export function compareForDeletion(a: RankedPod, b: RankedPod, nowMs?: number): number {
  const p = a.pod;
  const q = b.pod;
  const nodeP = p.spec?.nodeName ?? '';
  const nodeQ = q.spec?.nodeName ?? '';
  if (nodeP !== nodeQ && (nodeP === '' || nodeQ === '')) return nodeP === '' ? -1 : 1;
  const phaseP = PHASE_ORDINAL[p.status?.phase ?? ''] ?? 0;
  const phaseQ = PHASE_ORDINAL[q.status?.phase ?? ''] ?? 0;
  if (phaseP !== phaseQ) return phaseP - phaseQ;
  const readyP = isPodReady(p);
  const readyQ = isPodReady(q);
  if (readyP !== readyQ) return readyP ? 1 : -1;
  const costP = podDeletionCost(p);
  const costQ = podDeletionCost(q);
  if (costP !== costQ) return costP - costQ;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const uidP = p.metadata?.uid ?? '';
  const uidQ = q.metadata?.uid ?? '';
  if (readyP && readyQ) {
    const byReady = newerFirst(podReadySince(p) ?? NaN, podReadySince(q) ?? NaN, uidP, uidQ, nowMs);
    if (byReady !== 0) return byReady;
  }
  const restartsP = maxContainerRestarts(p);
  const restartsQ = maxContainerRestarts(q);
  if (restartsP !== restartsQ) return restartsQ - restartsP;
  return newerFirst(timeOf(p.metadata?.creationTimestamp), timeOf(q.metadata?.creationTimestamp), uidP, uidQ, nowMs);
}

/**
 * kube's getPodsRankedByRelatedPodsOnSameNode: each pod's rank is how many ACTIVE pods of
 * `related` (the pods of every ReplicaSet of the same Deployment) share its node.
 */
export function rankByRelatedPodsOnSameNode(pods: readonly V1Pod[], related: readonly V1Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const pod of related) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/** kube's getPodsToDelete: the `count` pods to delete out of `pods` (all of them when count ≥ their number) */
export function podsToDelete(pods: readonly V1Pod[], related: readonly V1Pod[], count: number, nowMs: number): V1Pod[] {
  if (count >= pods.length) return [...pods];
  const ranked = rankByRelatedPodsOnSameNode(pods, related);
  ranked.sort((a, b) => compareForDeletion(a, b, nowMs));
  return ranked.slice(0, Math.max(0, count)).map((r) => r.pod);
}
