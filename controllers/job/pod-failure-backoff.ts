/**
 * The delay before a Job replaces failed pods (kube's backoff_utils.go): each Job keeps a
 * record of how many of its pods failed since the last success and when the last of them
 * finished; the next pod may start `base * 2^(failures-1)` (capped) after that failure.
 * kube's base is 10 s and its cap 10 minutes (MaxJobPodFailureBackOff; it was 6 minutes
 * before the backoff moved from the work queue to this record). Pure: the controller keeps
 * the records in memory, as kube does, so a controller restart forgets them.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { timeOf } from '../common/time.js';

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** epoch ms */
  lastFailureTime?: number;
}

export const EMPTY_BACKOFF: BackoffRecord = { failuresAfterLastSuccess: 0 };

/**
 * When a finished pod finished (kube's getFinishedTime): its last container's finishedAt,
 * else when it stopped being Ready, else when it was deleted, else now.
 */
export function podFinishTime(pod: V1Pod, nowMs: number): number {
  let latest = NaN;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const at = timeOf(s.state?.terminated?.finishedAt);
    if (!Number.isNaN(at) && (Number.isNaN(latest) || at > latest)) latest = at;
  }
  if (!Number.isNaN(latest)) return latest;
  const notReady = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  const notReadyAt = timeOf(notReady?.lastTransitionTime);
  if (!Number.isNaN(notReadyAt)) return notReadyAt;
  const deletedAt = timeOf(pod.metadata?.deletionTimestamp);
  if (!Number.isNaN(deletedAt)) return deletedAt;
  return nowMs;
}

/** kube's newBackoffRecord: the record after this sync's newly finished pods */
export function nextBackoffRecord(previous: BackoffRecord, newSucceeded: V1Pod[], newFailed: V1Pod[], nowMs: number): BackoffRecord {
  if (newSucceeded.length === 0 && newFailed.length === 0) return previous;
  const failedTimes = newFailed.map((p) => podFinishTime(p, nowMs)).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    return { failuresAfterLastSuccess: previous.failuresAfterLastSuccess + newFailed.length, lastFailureTime: failedTimes[failedTimes.length - 1]! };
  }
  const lastSuccess = Math.max(...newSucceeded.map((p) => podFinishTime(p, nowMs)));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return after.length === 0 ? { failuresAfterLastSuccess: 0 } : { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1]! };
}

/** kube's getRemainingTime: ms until a new pod may be created (0 = now) */
export function remainingBackoffMs(record: BackoffRecord, nowMs: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = Math.min(baseMs, maxMs);
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= maxMs) {
      delay = maxMs;
      break;
    }
  }
  const elapsed = nowMs - record.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}
