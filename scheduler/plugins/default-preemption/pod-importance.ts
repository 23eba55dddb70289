/**
 * How victims are ranked (kube's util.MoreImportantPod and GetPodStartTime): higher
 * priority is more important; among equal priorities the pod that has run longer (earlier
 * start) is, so preemption prefers to evict the newcomers. A pod that has not started yet
 * (assumed, or bound but not running) counts as starting now.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { podPriority } from './eligibility.js';

/** status.startTime in ms; `now` for a pod that has not started. The API sends RFC 3339 strings, typed as Date. */
export function podStartTime(pod: V1Pod, now: number): number {
  const raw = pod.status?.startTime as Date | string | undefined;
  if (raw === undefined || raw === null) return now;
  const ms = raw instanceof Date ? raw.getTime() : Date.parse(raw);
  return Number.isNaN(ms) ? now : ms;
}

/** true when a should be kept before b (sorts most important first) */
export function moreImportantPod(a: V1Pod, b: V1Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

/** a comparator for Array.prototype.sort, most important first */
export const byImportance =
  (now: number) =>
  (a: V1Pod, b: V1Pod): number =>
    moreImportantPod(a, b, now) ? -1 : moreImportantPod(b, a, now) ? 1 : 0;

/** the earliest start among the highest-priority victims (kube's GetEarliestPodStartTime); undefined for none */
export function earliestStartOfHighestPriority(victims: readonly V1Pod[], now: number): number | undefined {
  let best: number | undefined;
  let maxPriority = -Infinity;
  for (const pod of victims) {
    const p = podPriority(pod);
    const start = podStartTime(pod, now);
    if (p > maxPriority) {
      maxPriority = p;
      best = start;
    } else if (p === maxPriority && start < best!) {
      best = start;
    }
  }
  return best;
}
