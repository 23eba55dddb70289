/**
 * The CronJob controller (kube's pkg/controller/cronjob, the v2 controller): creates a
 * Job for each scheduled time, honours concurrencyPolicy, startingDeadlineSeconds and
 * suspend, prunes finished Jobs beyond the history limits, and keeps status.active,
 * lastScheduleTime and lastSuccessfulTime true.
 *
 * Level-based, and it never polls: every sync ends by requeueing the CronJob for just
 * after its next scheduled time, by the injected clock. Handlers only enqueue:
 *   CronJob added/deleted     → its key
 *   CronJob schedule changed  → its key after the new schedule's next run
 *   other CronJob changes     → its key
 *   Job added/changed/deleted → its controlling CronJob
 *
 * reconcile(key) follows kube's sync: prune history, then syncCronJob — reconcile the
 * active list with the Jobs (UnexpectedJob, SawCompletedJob, MissingJob), stop if being
 * deleted, suspended or unparseable, find the most recent unmet run (TooManyMissedTimes,
 * MissSchedule past the deadline), skip it if already started, apply Forbid (skip,
 * JobAlreadyActive) or Replace (delete the active Jobs), create the Job (SuccessfulCreate
 * "Created job X"), record it in status.active and lastScheduleTime; one status write.
 */
import type { V1CronJob, V1CronJobStatus, V1Job } from '@kubernetes/client-node';

import { ApiError, isAlreadyExists, isNotFound } from '../../client/api-error.js';

import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type Lister, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { getControllerOf, isControlledBy, newControllerRef, type OwnerReference } from '../common/controller-ref.js';
import { CONTROLLER_FIELD_MANAGER } from '../common/pod-control.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { resolveControllerRef } from '../common/resolve-controller-ref.js';
import { formatTime, timeOf } from '../common/time.js';
import { jobFromTemplate, jobNameFor, jobReference, jobsOverHistoryLimits, concurrencyDecision, finishedType, formatRfc1123z } from './cronjob-jobs.js';
import { isKnownTimeZone, parseCronSchedule, type CronSchedule } from './cron-schedule.js';
import { nextScheduleDelay, nextScheduleTime, type CronTiming } from './cron-times.js';

/** kube's --concurrent-cron-job-syncs */
export const DEFAULT_CRONJOB_WORKERS = 5;

export interface CronJobSettings {
  /** CronJobs synced at once (kube's --concurrent-cron-job-syncs, 5) */
  workers?: number;
}

export interface CronJobControllerOptions extends ControllerOptions<CronJobSettings> {
  /** events on CronJobs (source `cronjob-controller`) */
  recorder: EventRecorder;
}

type CronJob = V1CronJob & KubeObject;
type Job = V1Job & KubeObject;

const namespaceTerminating = (err: unknown): boolean => err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** kube's formatSchedule: spec.timeZone becomes a TZ= prefix; a TZ in the schedule itself is warned about */
function scheduleOf(cj: CronJob, recorder: EventRecorder | undefined): { schedule: string; zone?: string } {
  const schedule = cj.spec?.schedule ?? '';
  if (schedule.includes('TZ')) {
    recorder?.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    return { schedule };
  }
  const tz = cj.spec?.timeZone;
  if (tz !== undefined && tz !== null && isKnownTimeZone(tz)) return { schedule, zone: tz };
  return { schedule };
}

const timingOf = (cj: CronJob): CronTiming => {
  const last = timeOf(cj.status?.lastScheduleTime);
  const deadline = cj.spec?.startingDeadlineSeconds;
  return {
    creationMs: timeOf(cj.metadata?.creationTimestamp),
    ...(Number.isNaN(last) ? {} : { lastScheduleMs: last }),
    ...(deadline !== undefined && deadline !== null ? { startingDeadlineSeconds: deadline } : {}),
  };
};

export class CronJobController extends QueueController<EventRecorder> {
  private readonly cronJobs: SharedInformer<KubeObject>;
  private readonly jobs: SharedInformer<KubeObject>;
  private readonly cronJobLister: Lister<KubeObject>;
  private readonly jobLister: Lister<KubeObject>;
  private readonly cronJobClient: ResourceClient<CronJob>;
  private readonly jobClient: ResourceClient<Job>;

  constructor(opts: CronJobControllerOptions) {
    super(opts, opts.settings?.workers ?? DEFAULT_CRONJOB_WORKERS);
    this.cronJobClient = opts.client.resource<CronJob>('batch/v1', 'CronJob');
    this.jobClient = opts.client.resource<Job>('batch/v1', 'Job');
    this.cronJobs = opts.informers.informerFor('batch/v1', 'CronJob');
    this.jobs = opts.informers.informerFor('batch/v1', 'Job');
    this.cronJobLister = this.cronJobs.lister();
    this.jobLister = this.jobs.lister();

    this.cronJobs.addEventHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (old, cj) => this.cronJobUpdated(old as CronJob, cj as CronJob),
      onDelete: (cj) => this.queue.add(objectKey(cj)),
    });
    this.jobs.addEventHandler({
      onAdd: (job) => this.jobChanged(job),
      onUpdate: (old, job) => {
        if (old.metadata?.resourceVersion === job.metadata?.resourceVersion) return;
        const oldRef = getControllerOf(old);
        if (oldRef && JSON.stringify(oldRef) !== JSON.stringify(getControllerOf(job))) {
          const previous = this.resolveControllerRef(old.metadata?.namespace, oldRef);
          if (previous) this.queue.add(objectKey(previous));
        }
        this.jobChanged(job);
      },
      onDelete: (job) => this.jobChanged(job),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runAfterSync(signal, [this.cronJobs, this.jobs], 'caches synced; syncing cron jobs');
  }

  /** kube's sync */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.cronJobLister.getByKey(key);
    if (!cached) return;
    const cronJob = { ...structuredClone(cached), apiVersion: 'batch/v1', kind: 'CronJob' } as CronJob;
    const jobs = this.jobLister
      .list({ namespace: cronJob.metadata?.namespace ?? '' })
      .filter((j) => {
        const ref = getControllerOf(j);
        return ref !== undefined && ref.kind === 'CronJob' && ref.name === cronJob.metadata?.name;
      }) as Job[];
    const cleanedUp = await this.cleanupFinishedJobs(cronJob, jobs);
    const { requeueAfter, updateStatus, error } = await this.syncCronJob(cronJob, jobs);
    if (error !== undefined) this.logger.debug({ err: messageOf(error), key }, 'error reconciling cron job');
    if (cleanedUp || updateStatus) await this.writeStatus(cronJob);
    if (requeueAfter !== undefined) return { requeueAfter: Math.max(1, requeueAfter) };
    if (error !== undefined) throw error;
    return undefined;
  }

  /** kube's syncCronJob: mutates cronJob.status; says whether to write it and when to look again */
  private async syncCronJob(input: CronJob, jobs: Job[]): Promise<{ requeueAfter?: number; updateStatus: boolean; error?: unknown }> {
    let cronJob = input;
    const now = this.clock.now();
    let updateStatus = false;
    const status = (): V1CronJobStatus => (cronJob.status ??= {});
    const inActive = (uid: string | undefined) => (cronJob.status?.active ?? []).some((r) => r.uid === uid);
    const dropActive = (uid: string | undefined) => {
      status().active = (cronJob.status?.active ?? []).filter((r) => r.uid !== uid);
    };

    const children = new Set<string>();
    for (const job of jobs) {
      const uid = job.metadata?.uid ?? '';
      children.add(uid);
      const found = inActive(uid);
      const finished = finishedType(job);
      if (!found && !finished) {
        // maybe our own status write is not in the cache yet: ask the server
        const fresh = { ...(await this.cronJobClient.get(cronJob.metadata?.name ?? '', { namespace: cronJob.metadata?.namespace ?? '' })), apiVersion: 'batch/v1', kind: 'CronJob' } as CronJob;
        if ((fresh.status?.active ?? []).some((r) => r.uid === uid)) {
          cronJob = Object.assign(input, { metadata: fresh.metadata, status: fresh.status });
          continue;
        }
        this.recorder.event(cronJob, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata?.name}`);
      } else if (finished) {
        if (found) {
          dropActive(uid);
          this.recorder.event(cronJob, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name}, condition: ${finished}`);
          updateStatus = true;
        }
        if (finished === 'Complete') {
          const completedAt = timeOf(job.status?.completionTime);
          const last = timeOf(cronJob.status?.lastSuccessfulTime);
          if (!Number.isNaN(completedAt) && (Number.isNaN(last) || completedAt > last)) {
            status().lastSuccessfulTime = job.status?.completionTime as Date;
            updateStatus = true;
          }
        }
      }
    }

    // active entries whose Job is gone (checked against the server: the cache may lag)
    for (const ref of [...(cronJob.status?.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      try {
        await this.jobClient.get(ref.name ?? '', { namespace: ref.namespace ?? cronJob.metadata?.namespace ?? '' });
      } catch (err) {
        if (!isNotFound(err)) return { updateStatus, error: err };
        this.recorder.event(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        dropActive(ref.uid);
        updateStatus = true;
      }
    }

    if (cronJob.metadata?.deletionTimestamp) return { updateStatus };
    const tz = cronJob.spec?.timeZone;
    if (tz !== undefined && tz !== null && !isKnownTimeZone(tz)) {
      this.recorder.event(cronJob, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
      return { updateStatus };
    }
    if (cronJob.spec?.suspend === true) return { updateStatus };

    let sched: CronSchedule;
    try {
      const { schedule, zone } = scheduleOf(cronJob, this.recorder);
      sched = parseCronSchedule(schedule, zone);
    } catch (err) {
      this.recorder.event(cronJob, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cronJob.spec?.schedule ?? '')} : ${messageOf(err)}`);
      return { updateStatus };
    }
    const timing = timingOf(cronJob);
    const next = nextScheduleTime(timing, now, sched);
    if (next.error) {
      this.recorder.event(cronJob, 'Warning', 'InvalidSchedule', `invalid schedule: ${cronJob.spec?.schedule} : ${next.error}`);
      return { updateStatus };
    }
    if (next.tooManyMissed) {
      this.recorder.event(cronJob, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
      this.logger.info({ cronjob: objectKey(cronJob) }, 'too many missed times');
    }
    const requeue = () => nextScheduleDelay(timingOf(cronJob), now, sched);
    const scheduled = next.scheduled;
    if (scheduled === undefined) return { requeueAfter: requeue(), updateStatus };

    const deadline = cronJob.spec?.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduled + deadline * 1000 < now) {
      this.recorder.event(cronJob, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRfc1123z(scheduled)}`);
      return { requeueAfter: requeue(), updateStatus };
    }
    const name = jobNameFor(cronJob.metadata?.name ?? '', scheduled);
    if ((cronJob.status?.active ?? []).some((r) => r.name === name && r.namespace === cronJob.metadata?.namespace) || timeOf(cronJob.status?.lastScheduleTime) === scheduled) {
      return { requeueAfter: requeue(), updateStatus };
    }
    const decision = concurrencyDecision(cronJob.spec?.concurrencyPolicy, cronJob.status?.active?.length ?? 0);
    if (decision === 'skip') {
      this.recorder.event(cronJob, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfter: requeue(), updateStatus };
    }
    if (decision === 'replace') {
      for (const ref of [...(cronJob.status?.active ?? [])]) {
        let job: Job;
        try {
          job = await this.jobClient.get(ref.name ?? '', { namespace: ref.namespace ?? cronJob.metadata?.namespace ?? '' });
        } catch (err) {
          this.recorder.event(cronJob, 'Warning', 'FailedGet', `Get job: ${messageOf(err)}`);
          return { updateStatus, error: err };
        }
        if (!(await this.deleteJob(cronJob, job))) return { updateStatus, error: new Error(`could not replace job ${job.metadata?.namespace}/${job.metadata?.name}`) };
        dropActive(job.metadata?.uid);
        updateStatus = true;
      }
    }

    const request = jobFromTemplate(cronJob, scheduled, this.controllerRef(cronJob)) as Job;
    let created: Job;
    let alreadyExisted = false;
    try {
      created = await this.jobClient.create(request, { fieldManager: CONTROLLER_FIELD_MANAGER });
    } catch (err) {
      if (namespaceTerminating(err)) return { updateStatus, error: err };
      if (!isAlreadyExists(err)) {
        this.recorder.event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${messageOf(err)}`);
        return { updateStatus, error: err };
      }
      // made by us earlier (the status write was lost) or by someone else
      alreadyExisted = true;
      try {
        created = await this.jobClient.get(name, { namespace: cronJob.metadata?.namespace ?? '' });
      } catch (getErr) {
        return { updateStatus, error: getErr };
      }
      if (!isControlledBy(created, cronJob)) return { updateStatus };
      if (inActive(created.metadata?.uid)) return { updateStatus };
    }
    if (alreadyExisted) this.logger.info({ cronjob: objectKey(cronJob), job: name }, 'job already exists');
    else this.recorder.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name}`);
    status().active = [...(cronJob.status?.active ?? []), jobReference(created)];
    status().lastScheduleTime = formatTime(scheduled) as unknown as Date;
    return { requeueAfter: requeue(), updateStatus: true };
  }

  /** kube's cleanupFinishedJobs: true when a Job was deleted (the active list may have changed) */
  private async cleanupFinishedJobs(cronJob: CronJob, jobs: Job[]): Promise<boolean> {
    let changed = false;
    for (const job of jobsOverHistoryLimits(cronJob, jobs) as Job[]) {
      if (await this.deleteJob(cronJob, job)) changed = true;
    }
    return changed;
  }

  /** kube's deleteJob: DELETE (background propagation), drop it from status.active, events */
  private async deleteJob(cronJob: CronJob, job: Job): Promise<boolean> {
    try {
      await this.jobClient.delete(job.metadata?.name ?? '', { namespace: job.metadata?.namespace ?? '', propagationPolicy: 'Background' });
    } catch (err) {
      if (!isNotFound(err)) {
        this.recorder.event(cronJob, 'Warning', 'FailedDelete', `Deleted job: ${messageOf(err)}`);
        return false;
      }
    }
    (cronJob.status ??= {}).active = (cronJob.status.active ?? []).filter((r) => r.uid !== job.metadata?.uid);
    this.recorder.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`);
    return true;
  }

  private async writeStatus(cronJob: CronJob): Promise<void> {
    const status = { ...cronJob.status };
    if (status.active && status.active.length === 0) delete status.active;
    await this.cronJobClient.updateStatus({ ...cronJob, apiVersion: 'batch/v1', kind: 'CronJob', status } as CronJob);
  }

  private controllerRef(cronJob: KubeObject): OwnerReference {
    return newControllerRef(cronJob, 'batch/v1', 'CronJob');
  }

  private resolveControllerRef(namespace: string | undefined, ref: OwnerReference): KubeObject | undefined {
    return resolveControllerRef(this.cronJobLister, { kind: 'CronJob' }, namespace, ref);
  }

  private jobChanged(job: KubeObject): void {
    const ref = getControllerOf(job);
    if (!ref) return;
    const cj = this.resolveControllerRef(job.metadata?.namespace, ref);
    if (cj) this.queue.add(objectKey(cj));
  }

  /** kube's updateCronJob: a new schedule is looked at when it next runs; other changes now */
  private cronJobUpdated(old: CronJob, cj: CronJob): void {
    if (old.spec?.schedule === cj.spec?.schedule && old.spec?.timeZone === cj.spec?.timeZone) {
      this.queue.add(objectKey(cj));
      return;
    }
    const withKind = { ...cj, apiVersion: 'batch/v1', kind: 'CronJob' } as CronJob;
    let sched: CronSchedule;
    try {
      const { schedule, zone } = scheduleOf(withKind, undefined);
      sched = parseCronSchedule(schedule, zone);
    } catch {
      this.recorder.event(withKind, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cj.spec?.schedule}`);
      return;
    }
    this.queue.addAfter(objectKey(cj), nextScheduleDelay(timingOf(withKind), this.clock.now(), sched));
  }
}
