/**
 * kube's pod predicates (pkg/api/v1/pod and pkg/controller's controller_utils) that every
 * workload controller counts with: ready, available (ready for minReadySeconds), active
 * (neither terminal nor being deleted), terminating.
 */
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { timeOf } from './time.js';

const readyCondition = (pod: V1Pod): V1PodCondition | undefined => pod.status?.conditions?.find((c) => c.type === 'Ready');

/** IsPodReady: the Ready condition is True */
export const isPodReady = (pod: V1Pod): boolean => readyCondition(pod)?.status === 'True';

/** when the pod became ready (the Ready condition's lastTransitionTime, epoch ms), or undefined */
export function podReadySince(pod: V1Pod): number | undefined {
  const cond = readyCondition(pod);
  if (cond?.status !== 'True') return undefined;
  const at = timeOf(cond.lastTransitionTime);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * IsPodAvailable: ready, and ready for at least minReadySeconds by `nowMs`. A ready pod
 * without a transition time counts as available only when minReadySeconds is 0.
 */
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= nowMs;
}

export const isPodTerminal = (pod: V1Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export const isPodTerminating = (pod: V1Pod): boolean => Boolean(pod.metadata?.deletionTimestamp);

/** IsPodActive: not Succeeded or Failed, and not being deleted */
export const isPodActive = (pod: V1Pod): boolean => !isPodTerminal(pod) && !isPodTerminating(pod);
