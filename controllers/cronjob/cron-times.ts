/**
 * When a CronJob should run (kube's cronjob/utils.go), pure:
 *   mostRecentScheduleTime — the latest scheduled time in (earliest, now], where earliest
 *     is the last schedule time (or the CronJob's creation), moved up to now minus
 *     startingDeadlineSeconds when asked; and whether more than 100 were missed (kube's
 *     "too many missed start times" warning). Counting follows kube's approximation: the
 *     interval between the first two runs, then a short walk from near the end.
 *   nextScheduleDelay — how long to sleep until the next run, plus kube's 100 ms margin
 *     against clock skew, so the requeue lands just after the run time, never before.
 */
import type { CronSchedule } from './cron-schedule.js';

/** kube's nextScheduleDelta */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** kube: more missed runs than this is probably clock skew */
export const TOO_MANY_MISSED = 100;

export type Missed = 'none' | 'few' | 'many';

export interface CronTiming {
  creationMs: number;
  lastScheduleMs?: number;
  startingDeadlineSeconds?: number;
}

export interface MostRecent {
  earliest: number;
  mostRecent?: number;
  missed: Missed;
  error?: string;
}

export function mostRecentScheduleTime(cj: CronTiming, nowMs: number, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = cj.lastScheduleMs ?? cj.creationMs;
  if (includeStartingDeadline && cj.startingDeadlineSeconds !== undefined) {
    const deadline = nowMs - cj.startingDeadlineSeconds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = schedule.next(earliest);
  const t2 = schedule.next(t1);
  if (nowMs < t1) return { earliest, missed: 'none' };
  if (nowMs < t2) return { earliest, mostRecent: t1, missed: 'none' };
  // e.g. "59 23 31 2 *" never runs: robfig returns zero times and the interval collapses
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const elapsed = Math.trunc((nowMs - t1) / 1000);
  const missedCount = Math.trunc(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t <= nowMs; t = schedule.next(t)) mostRecent = t;
  const missed: Missed = missedCount > TOO_MANY_MISSED ? 'many' : missedCount > 0 ? 'few' : 'none';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** kube's nextScheduleTime: the run to start now (undefined: none due) and whether too many were missed */
export function nextScheduleTime(cj: CronTiming, nowMs: number, schedule: CronSchedule): { scheduled?: number; tooManyMissed: boolean; error?: string } {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, true);
  if (r.mostRecent === undefined || r.mostRecent > nowMs) return { tooManyMissed: false, ...(r.error ? { error: r.error } : {}) };
  return { scheduled: r.mostRecent, tooManyMissed: r.missed === 'many' };
}

/** kube's nextScheduleTimeDuration: ms from now to just after the next run */
export function nextScheduleDelay(cj: CronTiming, nowMs: number, schedule: CronSchedule): number {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  let from: number;
  if (r.error) from = nowMs;
  else if (r.mostRecent !== undefined) from = r.mostRecent;
  else from = r.missed === 'none' ? r.earliest : nowMs;
  return schedule.next(from) + NEXT_SCHEDULE_DELTA_MS - nowMs;
}
