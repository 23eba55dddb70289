/**
 * What a pod that could not be placed shows its user, as kube-scheduler does: a Warning
 * FailedScheduling event with the FitError message, and the PodScheduled=False condition
 * (reason Unschedulable, or SchedulerError for internal errors) with the same message,
 * plus status.nominatedNodeName when preemption made room somewhere. The status is only
 * written when it would change, so a pod retried every few seconds costs no writes.
 */
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { KubeClient } from '../client/types.js';

export const REASON_UNSCHEDULABLE = 'Unschedulable';
export const REASON_SCHEDULER_ERROR = 'SchedulerError';

export interface FailureStatus {
  reason: typeof REASON_UNSCHEDULABLE | typeof REASON_SCHEDULER_ERROR;
  message: string;
  /** set when preemption nominated a node; '' clears a stale one */
  nominatedNodeName?: string;
}

/** the status patch, or undefined when the pod already says exactly this */
export function failureStatusPatch(pod: V1Pod, failure: FailureStatus, nowIso: string): { status: Record<string, unknown> } | undefined {
  const current = (pod.status?.conditions ?? []).find((c: V1PodCondition) => c.type === 'PodScheduled');
  const conditionSame = current?.status === 'False' && current.reason === failure.reason && current.message === failure.message;
  const nominatedSame = failure.nominatedNodeName === undefined || (pod.status?.nominatedNodeName ?? '') === failure.nominatedNodeName;
  if (conditionSame && nominatedSame) return undefined;
  const status: Record<string, unknown> = {};
  if (!conditionSame) {
    status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: failure.reason,
        message: failure.message,
        lastProbeTime: null,
        lastTransitionTime: current?.status === 'False' ? current.lastTransitionTime : nowIso,
      },
    ];
  }
  if (!nominatedSame) status.nominatedNodeName = failure.nominatedNodeName || null;
  return { status };
}

export async function writeFailureStatus(client: KubeClient, pod: V1Pod, failure: FailureStatus, nowIso: string): Promise<void> {
  const patch = failureStatusPatch(pod, failure, nowIso);
  if (!patch) return;
  await client.resource('v1', 'Pod').patch(pod.metadata?.name ?? '', 'strategic', patch, { namespace: pod.metadata?.namespace ?? 'default', subresource: 'status' });
}
