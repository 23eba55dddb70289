/**
 * Who may preempt whom (kube's PodEligibleToPreemptOthers and isPreemptionAllowed).
 *
 * A victim must have strictly lower priority than the preemptor. A preemptor may not
 * preempt when its preemptionPolicy is Never, nor while pods it already preempted on its
 * nominated node are still terminating: preempting again would evict more pods for the
 * same room (kube recognises those pods by the DisruptionTarget condition the scheduler
 * put on them before deleting). If the nominated node has meanwhile become
 * UnschedulableAndUnresolvable for the pod, waiting there is pointless, so it may preempt
 * elsewhere.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { PodInfo } from '../../framework/node-info.js';
import type { Status } from '../../framework/status.js';
import type { Snapshot } from '../../framework/types.js';

export const NOT_ELIGIBLE_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const NOT_ELIGIBLE_TERMINATING = 'not eligible due to a terminating pod on the nominated node.';

export const DISRUPTION_TARGET = 'DisruptionTarget';
export const PREEMPTION_BY_SCHEDULER = 'PreemptionByScheduler';

export const podPriority = (pod: V1Pod): number => pod.spec?.priority ?? 0;

/** the victim has lower priority than the preemptor */
export function isPreemptionAllowed(victim: PodInfo, preemptor: V1Pod): boolean {
  return podPriority(victim.pod) < podPriority(preemptor);
}

/** deleted, and the scheduler's preemption was the reason (its DisruptionTarget condition) */
export function podTerminatingByPreemption(pod: V1Pod): boolean {
  if (!pod.metadata?.deletionTimestamp) return false;
  const condition = pod.status?.conditions?.find((c) => c.type === DISRUPTION_TARGET);
  return condition !== undefined && condition.status === 'True' && condition.reason === PREEMPTION_BY_SCHEDULER;
}

/** undefined when the pod may preempt, else why not (the message kube reports) */
export function ineligibilityReason(pod: V1Pod, snapshot: Snapshot, nominatedNodeStatus: Status | undefined): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return NOT_ELIGIBLE_POLICY_NEVER;
  const nominated = pod.status?.nominatedNodeName;
  if (!nominated) return undefined;
  if (nominatedNodeStatus?.code === 'UnschedulableAndUnresolvable') return undefined;
  const nodeInfo = snapshot.get(nominated);
  if (!nodeInfo) return undefined;
  for (const p of nodeInfo.pods.values()) {
    if (isPreemptionAllowed(p, pod) && podTerminatingByPreemption(p.pod)) return NOT_ELIGIBLE_TERMINATING;
  }
  return undefined;
}
