/**
 * How long a pod waits before its next attempt (kube's calculateBackoffDuration): the
 * initial backoff doubled for every attempt after the first, capped at the maximum. A pod
 * never attempted has no backoff. The backoff runs from qpi.timestamp, the moment the pod
 * was last put back after a failed attempt.
 *
 *   initial 1 s, max 10 s:  attempts 1 → 1 s, 2 → 2 s, 3 → 4 s, 4 → 8 s, 5+ → 10 s
 */
import type { QueuedPodInfo } from '../framework/types.js';

export interface BackoffSettings {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export function backoffDuration(attempts: number, settings: BackoffSettings): number {
  if (attempts <= 0) return 0;
  const { initialBackoffMs, maxBackoffMs } = settings;
  let duration = initialBackoffMs;
  for (let i = 1; i < attempts; i++) {
    // compare before doubling, so a large attempt count can never overflow to Infinity
    if (duration > maxBackoffMs - duration) return maxBackoffMs;
    duration += duration;
  }
  return Math.min(duration, maxBackoffMs);
}

/** when the pod's backoff ends (ms since the epoch) */
export function backoffExpiry(qpi: QueuedPodInfo, settings: BackoffSettings): number {
  return qpi.timestamp + backoffDuration(qpi.attempts, settings);
}

/** still backing off at `now`: it belongs in backoffQ, not activeQ */
export function isBackingOff(qpi: QueuedPodInfo, now: number, settings: BackoffSettings): boolean {
  return backoffExpiry(qpi, settings) > now;
}
