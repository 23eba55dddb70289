/**
 * Job conditions as kube 1.33 writes them. A Job that met its goal first gets the interim
 * SuccessCriteriaMet (reason CompletionsReached) or FailureTarget (BackoffLimitExceeded,
 * DeadlineExceeded, …) condition; its remaining pods are deleted, and only when none is
 * terminating and every finished pod is counted does the terminal Complete / Failed
 * condition follow, with the same reason and message (kube's delayTerminalCondition, on
 * since JobManagedBy/JobPodReplacementPolicy). Suspended is True while spec.suspend holds
 * (reason JobSuspended) and False after a resume (JobResumed).
 */
import type { V1Job, V1JobCondition } from '@kubernetes/client-node';
import { formatTime } from '../common/time.js';

export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const MESSAGE_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const MESSAGE_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';

export type JobConditionType = 'Complete' | 'Failed' | 'SuccessCriteriaMet' | 'FailureTarget' | 'Suspended';

export function newCondition(type: JobConditionType, status: 'True' | 'False', reason: string, message: string, nowMs: number): V1JobCondition {
  const at = formatTime(nowMs) as unknown as Date;
  return { type, status, reason, message, lastProbeTime: at, lastTransitionTime: at };
}

export const findCondition = (job: V1Job, type: JobConditionType): V1JobCondition | undefined => job.status?.conditions?.find((c) => c.type === type);

const isTrue = (job: V1Job, type: JobConditionType): boolean => findCondition(job, type)?.status === 'True';

/** kube's IsJobFinished: Complete or Failed is True */
export const isJobFinished = (job: V1Job): boolean => isTrue(job, 'Complete') || isTrue(job, 'Failed');

/** the terminal condition (Complete or Failed, True), if any */
export const finishedCondition = (job: V1Job): V1JobCondition | undefined =>
  job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/**
 * kube's ensureJobConditionStatus: replace the condition of that type when its status,
 * reason or message differ (new transition time), append it when absent unless it would
 * be False. Returns the new list and whether it changed.
 */
export function ensureCondition(list: V1JobCondition[] | undefined, type: JobConditionType, status: 'True' | 'False', reason: string, message: string, nowMs: number): { conditions: V1JobCondition[]; changed: boolean } {
  const conditions = [...(list ?? [])];
  const at = conditions.findIndex((c) => c.type === type);
  if (at >= 0) {
    const c = conditions[at]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return { conditions, changed: false };
    conditions[at] = newCondition(type, status, reason, message, nowMs);
    return { conditions, changed: true };
  }
  if (status === 'False') return { conditions, changed: false };
  return { conditions: [...conditions, newCondition(type, status, reason, message, nowMs)], changed: true };
}
