/**
 * The Jobs of a CronJob (kube's cronjob/utils.go and the v2 controller's helpers), pure:
 * the Job for a scheduled time (name `<cronjob>-<minutes since epoch>`, so a second
 * attempt at the same run hits AlreadyExists instead of starting it twice; the scheduled
 * time in annotation `batch.kubernetes.io/cronjob-scheduled-timestamp`, RFC 3339 in the
 * CronJob's zone, UTC without one), what concurrencyPolicy says when a run is due, which
 * finished Jobs the history limits remove (oldest start first), and the active list.
 */
import type { V1CronJob, V1Job, V1ObjectReference } from '@kubernetes/client-node';
import type { OwnerReference } from '../common/controller-ref.js';
import { formatTime, timeOf } from '../common/time.js';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** kube's getJobName */
export const jobNameFor = (cronJobName: string, scheduledMs: number): string => `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;

/** RFC 3339 with the zone's offset (Go's time.Format(time.RFC3339) of t.In(zone)); UTC → `Z` */
export function formatInZone(ms: number, zone?: string): string {
  const utc = new Date(Math.floor(ms / 1000) * 1000);
  if (!zone || zone === 'UTC') return formatTime(utc.getTime());
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset' })
      .formatToParts(utc)
      .map((p) => [p.type, p.value]),
  );
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', '') || 'Z';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** kube's getJobFromTemplate2 */
export function jobFromTemplate(cronJob: V1CronJob, scheduledMs: number, controllerRef: OwnerReference): V1Job {
  const template = cronJob.spec?.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cronJob.metadata?.name ?? '', scheduledMs),
      namespace: cronJob.metadata?.namespace ?? '',
      labels: { ...template?.metadata?.labels },
      annotations: { ...template?.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduledMs, cronJob.spec?.timeZone) },
      ownerReferences: [{ ...controllerRef }],
    },
    spec: structuredClone(template?.spec ?? { template: {} }),
  };
}

/** kube's getFinishedStatus: Complete or Failed, when True */
export function finishedType(job: V1Job): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/** what to do when a run is due, by spec.concurrencyPolicy (default Allow) */
export function concurrencyDecision(policy: string | undefined, activeCount: number): 'create' | 'skip' | 'replace' {
  if (activeCount === 0) return 'create';
  if (policy === 'Forbid') return 'skip';
  if (policy === 'Replace') return 'replace';
  return 'create';
}

/** kube's byJobStartTime: started before not started, earlier first, then by name */
export function compareByStartTime(a: V1Job, b: V1Job): number {
  const sa = timeOf(a.status?.startTime);
  const sb = timeOf(b.status?.startTime);
  if (Number.isNaN(sa) !== Number.isNaN(sb)) return Number.isNaN(sa) ? 1 : -1;
  if (!Number.isNaN(sa) && sa !== sb) return sa - sb;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
}

/**
 * kube's cleanupFinishedJobs: finished Jobs beyond successfulJobsHistoryLimit /
 * failedJobsHistoryLimit, oldest first. Nothing when neither limit is set (the API server
 * defaults them to 3 and 1).
 */
export function jobsOverHistoryLimits(cronJob: V1CronJob, jobs: V1Job[]): V1Job[] {
  const successLimit = cronJob.spec?.successfulJobsHistoryLimit;
  const failedLimit = cronJob.spec?.failedJobsHistoryLimit;
  const over = (list: V1Job[], limit: number | undefined) => (limit === undefined || limit === null ? [] : [...list].sort(compareByStartTime).slice(0, Math.max(0, list.length - limit)));
  return [...over(jobs.filter((j) => finishedType(j) === 'Complete'), successLimit), ...over(jobs.filter((j) => finishedType(j) === 'Failed'), failedLimit)];
}

/** kube's getRef: what status.active lists */
export function jobReference(job: V1Job): V1ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata?.namespace ?? '',
    name: job.metadata?.name ?? '',
    uid: job.metadata?.uid ?? '',
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata?.resourceVersion ?? '',
  };
}

/** Go's time.RFC1123Z, in UTC (the MissSchedule event's wording) */
export function formatRfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${two(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
