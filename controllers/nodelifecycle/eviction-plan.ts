/**
 * Taint-based eviction, the pod side (kube's NoExecuteTaintManager processPodOnNode), as a
 * pure function: given a pod and its node's NoExecute taints, when must the pod go?
 *
 *   no NoExecute taint                       none   (cancel anything scheduled)
 *   a taint no toleration tolerates           now
 *   all tolerated, none with tolerationSeconds never
 *   otherwise                                at start + min(tolerationSeconds) of the
 *                                            tolerations used (the first one tolerating
 *                                            each taint); 0 or less means now
 *
 * start is when the pod began to sit under the taints: the earliest timeAdded of the
 * node's NoExecute taints (which the node lifecycle controller stamps), or — for a pod
 * scheduled onto an already tainted node — the time it was scheduled. Counting from the
 * taint rather than from when this controller first saw it (kube's in-memory timer)
 * keeps the answer the same across restarts of the controller.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { timeOf } from '../common/time.js';
import { toleratesTaint, type Taint, type Toleration } from './taints.js';

export type EvictionPlan = { kind: 'none' } | { kind: 'never' } | { kind: 'now' } | { kind: 'at'; at: number };

export interface EvictionInput {
  pod: V1Pod;
  /** the node's taints (any effect; only NoExecute ones count) */
  taints: readonly Taint[] | undefined;
  now: number;
  /** when a taint without timeAdded was first seen (Clock ms); default now */
  firstSeen?: (taint: Taint) => number | undefined;
}

export const noExecuteTaints = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/** kube's GetMatchingTolerations: the first toleration of each taint, or undefined when one is not tolerated */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((tol) => toleratesTaint(tol, taint));
    if (!t) return undefined;
    used.push(t);
  }
  return used;
}

/** kube's getMinTolerationTime in ms: -1 = forever */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

/** when the pod was bound to its node (PodScheduled True), else created; NaN when unknown */
export function podScheduledAt(pod: V1Pod): number {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True');
  const at = timeOf(scheduled?.lastTransitionTime);
  return Number.isNaN(at) ? timeOf(pod.metadata?.creationTimestamp) : at;
}

export function evictionPlan(input: EvictionInput): EvictionPlan {
  const taints = noExecuteTaints(input.taints);
  if (taints.length === 0) return { kind: 'none' };
  const used = matchingTolerations(taints, input.pod.spec?.tolerations as Toleration[] | undefined);
  if (!used) return { kind: 'now' };
  const min = minTolerationMs(used);
  if (min < 0) return { kind: 'never' };
  if (min === 0) return { kind: 'now' };
  const taintedAt = Math.min(
    ...taints.map((t) => {
      const added = timeOf(t.timeAdded);
      return Number.isNaN(added) ? (input.firstSeen?.(t) ?? input.now) : added;
    }),
  );
  const scheduled = podScheduledAt(input.pod);
  const start = Number.isNaN(scheduled) ? taintedAt : Math.max(taintedAt, scheduled);
  const at = start + min;
  return at <= input.now ? { kind: 'now' } : { kind: 'at', at };
}
