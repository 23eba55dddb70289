/**
 * The Job controller (kube's pkg/controller/job, batch/v1): runs a Job's pods to
 * completion and keeps its status true to them.
 *
 * Level-based, client-go style. Handlers only enqueue and account for expectations:
 *   Job added/changed        → its key, at once
 *   Job deleted              → its key; its pods still holding the tracking finalizer go
 *                              to the orphan queue (nobody else would ever remove it)
 *   pod with a controllerRef → the owning Job, batched (syncBatchPeriodMs), after
 *                              counting a creation / deletion / finalizer removal seen
 *   orphan pod with finalizer→ the orphan queue
 *
 * reconcile(key) follows kube's syncJob:
 *   1. claim the pods; count the newly finished ones (those still holding the finalizer
 *      and not yet listed in status.uncountedTerminatedPods);
 *   2. decide whether the Job has failed (a podFailurePolicy FailJob rule, failed >
 *      backoffLimit — Ignored failures aside —, OnFailure restarts, activeDeadlineSeconds)
 *      or met its completions — an interim FailureTarget /
 *      SuccessCriteriaMet condition — and then delete its remaining active pods;
 *   3. otherwise (expectations satisfied) manage the pods: suspend deletes them all,
 *      too many are deleted (finalizer first, so they are not counted as failures), too
 *      few are created — after the pod-failure backoff, with indexes for Indexed Jobs;
 *   4. track: finished pods' uids go into status.uncountedTerminatedPods (written), their
 *      finalizers are removed, then the uids move into succeeded/failed (written); when
 *      no pod is uncounted or terminating, the terminal Complete / Failed condition.
 * Timed requeues: the active deadline and the end of the pod-failure backoff.
 */
import type { V1Job, V1JobCondition, V1JobStatus, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';

import { ApiError, isNotFound } from '../../client/api-error.js';

import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type Lister, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import { RateLimitingQueue, runWorkers, type ReconcileResult } from '../../client/workqueue/index.js';
import { claimObjects } from '../common/claim-objects.js';
import { getControllerOf, newControllerRef, type OwnerReference } from '../common/controller-ref.js';
import { ControllerExpectations } from '../common/expectations.js';
import { CONTROLLER_FIELD_MANAGER, PodControl } from '../common/pod-control.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { resolveControllerRef } from '../common/resolve-controller-ref.js';
import { isPodActive, isPodReady } from '../common/pod-status.js';
import { formatTime, timeOf } from '../common/time.js';
import { labelSelectorMatcher } from '../label-selector.js';
import { addCompletionIndexEnv, completionIndexOf, firstPendingIndexes, formatIndexes, parseIndexes, podGenerateNameWithIndex, templateForIndex } from './completion-indexes.js';
import {
  ensureCondition,
  findCondition,
  isJobFinished,
  MESSAGE_BACKOFF_LIMIT_EXCEEDED,
  MESSAGE_COMPLETIONS_REACHED,
  MESSAGE_DEADLINE_EXCEEDED,
  newCondition,
  REASON_BACKOFF_LIMIT_EXCEEDED,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE_EXCEEDED,
  REASON_POD_FAILURE_POLICY,
} from './job-conditions.js';
import {
  activePodsForRemoval,
  countReadyPods,
  countTerminatingPods,
  hasTrackingFinalizer,
  isIndexedJob,
  isPodFailed,
  jobSuspended,
  JOB_TRACKING_FINALIZER,
  onlyReplaceFailedPods,
  pastBackoffLimitOnFailure,
  removeFinalizerPatch,
  wantActive,
} from './job-pods.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { countUncounted, wireStatus } from './job-status.js';
import { DEFAULT_POD_FAILURE_BACKOFF_MS, EMPTY_BACKOFF, MAX_POD_FAILURE_BACKOFF_MS, nextBackoffRecord, remainingBackoffMs, type BackoffRecord } from './pod-failure-backoff.js';

/** kube's --concurrent-job-syncs */
export const DEFAULT_JOB_WORKERS = 5;
/** kube's syncJobBatchPeriod: pod events for one Job within this window cause one sync */
export const DEFAULT_SYNC_BATCH_PERIOD_MS = 1000;
/** kube's MaxPodCreateDeletePerSync and MaxUncountedPods */
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
const MAX_UNCOUNTED_PODS = 500;
/** kube's JobControllerName: Jobs with another spec.managedBy are left alone */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

export interface JobSettings {
  /** Jobs synced at once (kube's --concurrent-job-syncs, 5) */
  workers?: number;
  /** first delay before replacing a failed pod (kube: 10 s), doubling per failure */
  podFailureBackoffMs?: number;
  /** the longest such delay (kube's MaxJobPodFailureBackOff: 10 min) */
  maxPodFailureBackoffMs?: number;
  /** pod events are batched into one sync per Job per period (kube: 1 s) */
  syncBatchPeriodMs?: number;
}

export interface JobControllerOptions extends ControllerOptions<JobSettings> {
  /** events on Jobs (source `job-controller`) */
  recorder: EventRecorder;
}

type Job = V1Job & KubeObject;
type Pod = V1Pod & KubeObject;

const asPod = (obj: KubeObject): Pod => obj as Pod;
const uidOf = (obj: KubeObject | V1Pod): string => obj.metadata?.uid ?? '';
const podKey = (pod: KubeObject): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
const namespaceTerminating = (err: unknown): boolean => err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');

/** what one sync learned and decided, threaded through its phases (kube's syncJobCtx) */
interface SyncContext {
  key: string;
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  /** the interim or terminal condition the Job is heading for */
  finished?: V1JobCondition;
  succeeded: number;
  succeededIndexes: Set<number>;
  ready: number;
  terminating: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedFinalizerRemovals: Set<string>;
  newBackoff: BackoffRecord;
  requeueAfter?: number;
}

/** what deleting a batch of pods did: how many went, how many of those were ready, the first error */
interface PodDeletions {
  deleted: number;
  deletedReady: number;
  error?: unknown;
}

/**
 * Run `remove` on every pod at once and count the outcome. 'gone' (already deleted by
 * someone else) counts as deleted but not as a ready pod removed by us.
 */
async function deleteEach(pods: V1Pod[], remove: (pod: V1Pod) => Promise<'deleted' | 'gone'>): Promise<PodDeletions> {
  let deleted = 0;
  let deletedReady = 0;
  let error: unknown;
  await Promise.all(
    pods.map(async (pod) => {
      try {
        const outcome = await remove(pod);
        deleted++;
        if (outcome === 'deleted' && isPodReady(pod)) deletedReady++;
      } catch (err) {
        error ??= err;
      }
    }),
  );
  return { deleted, deletedReady, ...(error !== undefined ? { error } : {}) };
}

export class JobController extends QueueController<EventRecorder> {
  /** pods (by cache key) whose tracking finalizer no Job will remove */
  readonly orphanQueue: RateLimitingQueue<string>;
  readonly expectations: ControllerExpectations;
  private readonly finalizerRemovals = new Map<string, Set<string>>();
  private readonly backoffs = new Map<string, BackoffRecord>();
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly batchPeriodMs: number;
  private readonly jobs: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly jobLister: Lister<KubeObject>;
  private readonly podLister: Lister<KubeObject>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly podControl: PodControl;

  constructor(opts: JobControllerOptions) {
    const settings = opts.settings ?? {};
    super(opts, settings.workers ?? DEFAULT_JOB_WORKERS);
    this.backoffBaseMs = settings.podFailureBackoffMs ?? DEFAULT_POD_FAILURE_BACKOFF_MS;
    this.backoffMaxMs = settings.maxPodFailureBackoffMs ?? MAX_POD_FAILURE_BACKOFF_MS;
    this.batchPeriodMs = settings.syncBatchPeriodMs ?? DEFAULT_SYNC_BATCH_PERIOD_MS;
    this.orphanQueue = new RateLimitingQueue<string>({ clock: this.clock });
    this.expectations = new ControllerExpectations(this.clock);
    this.jobClient = opts.client.resource<Job>('batch/v1', 'Job');
    this.podClient = opts.client.resource<Pod>('v1', 'Pod');
    this.podControl = new PodControl(opts.client, opts.recorder);

    this.jobs = opts.informers.informerFor('batch/v1', 'Job');
    this.pods = opts.informers.informerFor('v1', 'Pod');
    this.jobLister = this.jobs.lister();
    this.podLister = this.pods.lister();

    this.jobs.addEventHandler({
      onAdd: (job) => this.queue.add(objectKey(job)),
      onUpdate: (old, job) => {
        if (uidOf(old) !== uidOf(job)) this.forget(objectKey(old));
        this.queue.add(objectKey(job));
      },
      onDelete: (job) => {
        this.queue.add(objectKey(job));
        this.orphanPodsOf(job);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(asPod(pod)),
      onUpdate: (old, pod) => this.podUpdated(asPod(old), asPod(pod)),
      onDelete: (pod) => this.podDeleted(asPod(pod), true),
    });
  }

  /** wait for the caches, then sync Jobs (and clean orphaned finalizers) until the signal aborts */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.cachesSynced(signal, [this.jobs, this.pods], 'caches synced; syncing jobs'))) return;
    await Promise.all([
      this.runWorkers(signal),
      runWorkers(this.orphanQueue, (key) => this.syncOrphanPod(key), { workers: 1, logger: this.logger, signal }),
    ]);
  }

  /** kube's syncJob */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.jobLister.getByKey(key);
    if (!cached) {
      this.forget(key);
      return;
    }
    if (cached.spec && (cached as Job).spec?.managedBy !== undefined && (cached as Job).spec?.managedBy !== JOB_CONTROLLER_NAME) return;
    const job = { ...structuredClone(cached), apiVersion: 'batch/v1', kind: 'Job' } as Job;
    if (isJobFinished(job)) {
      this.backoffs.delete(key);
      return;
    }
    const mode = job.spec?.completionMode;
    if (mode !== undefined && mode !== null && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const status: V1JobStatus = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    const now = this.clock.now();

    // checked before reading the pods: a pod arriving after this check defers to the next sync
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const activePods = pods.filter(isPodActive);
    const expectedRm = this.finalizerRemovals.get(key) ?? new Set<string>();
    const ctx: SyncContext = {
      key,
      job,
      pods,
      activePods,
      succeeded: 0,
      succeededIndexes: new Set(),
      ready: countReadyPods(activePods),
      terminating: countTerminatingPods(pods),
      uncountedSucceeded: new Set((status.uncountedTerminatedPods.succeeded ?? []).map(String)),
      uncountedFailed: new Set((status.uncountedTerminatedPods.failed ?? []).map(String)),
      expectedFinalizerRemovals: expectedRm,
      newBackoff: EMPTY_BACKOFF,
    };
    let active = activePods.length;
    const counts = (pod: Pod) => hasTrackingFinalizer(pod) && !expectedRm.has(uidOf(pod)) && this.validIndex(job, pod);
    const newSucceeded = pods.filter((p) => counts(p) && !ctx.uncountedSucceeded.has(uidOf(p)) && p.status?.phase === 'Succeeded');
    const newFailed = pods.filter((p) => counts(p) && !ctx.uncountedFailed.has(uidOf(p)) && isPodFailed(p, job));
    ctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + ctx.uncountedSucceeded.size;
    // failures a podFailurePolicy rule Ignores do not count against backoffLimit
    const counted = newFailed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
    const failed = (status.failed ?? 0) + counted + ctx.uncountedFailed.size;

    if (!status.startTime && !jobSuspended(job)) status.startTime = formatTime(now) as unknown as Date;
    ctx.newBackoff = nextBackoffRecord(this.backoffs.get(key) ?? EMPTY_BACKOFF, newSucceeded, newFailed, now);

    ctx.finished = findCondition(job, 'SuccessCriteriaMet')?.status === 'True' ? findCondition(job, 'SuccessCriteriaMet') : undefined;
    if (!ctx.finished) {
      const target = findCondition(job, 'FailureTarget');
      if (target?.status === 'True') ctx.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const message = this.failJobMessage(job, pods);
        if (message !== undefined) ctx.finished = newCondition('FailureTarget', 'True', REASON_POD_FAILURE_POLICY, message, now);
      }
    }
    if (!ctx.finished) {
      const backoffLimit = job.spec?.backoffLimit ?? 6;
      if (failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finished = newCondition('FailureTarget', 'True', REASON_BACKOFF_LIMIT_EXCEEDED, MESSAGE_BACKOFF_LIMIT_EXCEEDED, now);
      } else if (this.pastActiveDeadline(job, now)) {
        ctx.finished = newCondition('FailureTarget', 'True', REASON_DEADLINE_EXCEEDED, MESSAGE_DEADLINE_EXCEEDED, now);
      } else if (job.spec?.activeDeadlineSeconds !== undefined && job.spec.activeDeadlineSeconds !== null && !jobSuspended(job)) {
        ctx.requeueAfter = job.spec.activeDeadlineSeconds * 1000 - (now - timeOf(status.startTime));
      }
    }

    if (isIndexedJob(job)) {
      const completions = job.spec?.completions ?? 0;
      ctx.succeededIndexes = new Set(parseIndexes(status.completedIndexes, completions));
      for (const pod of pods) {
        const ix = completionIndexOf(pod);
        if (pod.status?.phase === 'Succeeded' && ix !== undefined && ix < completions) ctx.succeededIndexes.add(ix);
      }
      ctx.succeeded = ctx.succeededIndexes.size;
    }

    let suspendChanged = false;
    let manageError: unknown;
    if (ctx.finished) {
      // the Job failed or succeeded: whatever still runs is stopped (finalizers kept, counted below)
      const { deleted, deletedReady, error } = await this.deleteActivePods(job, activePods);
      // not finished until every pod is gone from the active set and the cache has caught up
      if (deleted !== active || !satisfied) ctx.finished = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageError = error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        try {
          active = await this.manageJob(ctx);
        } catch (err) {
          manageError = err;
          active = ctx.activePods.length;
        }
        managed = true;
      }
      const completions = job.spec?.completions;
      const complete = completions === undefined || completions === null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
      if (complete) {
        ctx.finished = newCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, MESSAGE_COMPLETIONS_REACHED, now);
      } else if (managed) {
        const suspended = jobSuspended(job);
        const next = suspended
          ? ensureCondition(status.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)
          : ensureCondition(status.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
        if (next.changed) {
          status.conditions = next.conditions;
          suspendChanged = true;
          this.recorder.event(job, 'Normal', suspended ? 'Suspended' : 'Resumed', suspended ? 'Job suspended' : 'Job resumed');
          // activeDeadlineSeconds counts continuous activity: a resume restarts the clock
          if (!suspended) status.startTime = formatTime(now) as unknown as Date;
        }
      }
    }

    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    await this.trackStatusAndRemoveFinalizers(ctx, needsUpdate);
    if (manageError !== undefined) throw manageError;
    return ctx.requeueAfter !== undefined ? { requeueAfter: Math.max(1, ctx.requeueAfter) } : undefined;
  }

  /** kube's manageJob: suspend, delete the surplus, or create what is missing; returns the new active count */
  private async manageJob(ctx: SyncContext): Promise<number> {
    const { job, key } = ctx;
    let active = ctx.activePods.length;
    if (jobSuspended(job)) return this.removeActivePods(ctx, activePodsForRemoval(job, ctx.activePods, active));
    const want = wantActive(job, active, ctx.succeeded);
    const victims = activePodsForRemoval(job, ctx.activePods, Math.max(0, active - want)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    // deletion and creation never happen in the same sync; deletion wins
    if (victims.length > 0) return this.removeActivePods(ctx, victims);
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return active;
    const wait = remainingBackoffMs(ctx.newBackoff, this.clock.now(), this.backoffBaseMs, this.backoffMaxMs);
    if (wait > 0) {
      ctx.requeueAfter = ctx.requeueAfter === undefined ? wait : Math.min(ctx.requeueAfter, wait);
      return active;
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexedJob(job)) {
      const activeIndexes = new Set(ctx.activePods.map(completionIndexOf).filter((i): i is number => i !== undefined));
      indexes = firstPendingIndexes(ctx.succeededIndexes, activeIndexes, diff, job.spec?.completions ?? 0);
      diff = indexes.length;
      if (diff === 0) return active;
    }
    this.expectations.expectCreations(key, diff);
    const template: V1PodTemplateSpec = structuredClone(job.spec?.template ?? {});
    if (isIndexedJob(job)) addCompletionIndexEnv(template);
    template.metadata = { ...template.metadata, finalizers: [...new Set([...(template.metadata?.finalizers ?? []), JOB_TRACKING_FINALIZER])] };
    const ref = this.controllerRef(job);
    const namespace = job.metadata?.namespace ?? '';
    let created = 0;
    let firstError: unknown;
    // slow start: batches of 1, 2, 4 …; a failed batch stops the rest (quota errors would repeat)
    let remaining = diff;
    for (let batch = 1; remaining > 0 && firstError === undefined; batch = Math.min(batch * 2, remaining)) {
      const size = Math.min(batch, remaining);
      const slice = indexes.splice(0, size);
      await Promise.all(
        Array.from({ length: size }, async (_, i) => {
          const index = slice[i];
          const podTemplate = index === undefined ? template : templateForIndex(template, job.metadata?.name ?? '', index);
          try {
            await this.podControl.createPod(namespace, podTemplate, job, ref, index === undefined ? {} : { generateName: podGenerateNameWithIndex(job.metadata?.name ?? '', index) });
            created++;
          } catch (err) {
            this.expectations.creationObserved(key);
            if (!namespaceTerminating(err)) firstError ??= err;
          }
        }),
      );
      remaining -= size;
    }
    // creations never attempted will never be observed
    for (let i = 0; i < remaining; i++) this.expectations.creationObserved(key);
    if (firstError !== undefined) throw firstError;
    return active + created;
  }

  /** kube's deleteActivePods: DELETE keeping finalizers (the pods are counted when they terminate) */
  private deleteActivePods(job: Job, pods: Pod[]): Promise<PodDeletions> {
    return deleteEach(pods, async (pod) => {
      await this.podControl.deletePod(job.metadata?.namespace ?? '', pod.metadata?.name ?? '', job);
      return 'deleted';
    });
  }

  /** delete `victims` (expecting their deletions), count them as terminating; returns the new active count */
  private async removeActivePods(ctx: SyncContext, victims: V1Pod[]): Promise<number> {
    this.expectations.expectDeletions(ctx.key, victims.length);
    const { deleted, deletedReady, error } = await this.deleteJobPods(ctx.job, ctx.key, victims);
    ctx.terminating += deleted;
    ctx.ready -= deletedReady;
    if (error !== undefined) throw error;
    return ctx.activePods.length - deleted;
  }

  /** kube's deleteJobPods: finalizer off first (a pod we remove is not a failure), then DELETE */
  private deleteJobPods(job: Job, key: string, pods: V1Pod[]): Promise<PodDeletions> {
    return deleteEach(pods, async (pod) => {
      try {
        const patch = removeFinalizerPatch(pod);
        if (patch) await this.podClient.patch(pod.metadata?.name ?? '', 'json', patch, { namespace: pod.metadata?.namespace ?? '', fieldManager: CONTROLLER_FIELD_MANAGER });
        const gone = !(await this.podControl.deletePod(job.metadata?.namespace ?? '', pod.metadata?.name ?? '', job));
        if (gone) this.expectations.deletionObserved(key);
        return 'deleted';
      } catch (err) {
        this.expectations.deletionObserved(key);
        if (isNotFound(err)) return 'gone';
        throw err;
      }
    });
  }

  /** kube's trackJobStatusAndRemoveFinalizers (with flushUncountedAndRemoveFinalizers and enactJobFinished) */
  private async trackStatusAndRemoveFinalizers(ctx: SyncContext, needsFlushIn: boolean): Promise<void> {
    let needsFlush = needsFlushIn;
    let job = ctx.job;
    const indexed = isIndexedJob(job);
    const completions = job.spec?.completions ?? 0;
    const withFinalizer = new Set(ctx.pods.filter((p) => hasTrackingFinalizer(p) && !ctx.expectedFinalizerRemovals.has(uidOf(p))).map(uidOf));
    const status = job.status!;
    const uncounted = status.uncountedTerminatedPods!;
    if (countUncounted(status, withFinalizer)) needsFlush = true;
    const toRemove: Pod[] = [];
    let reachedMax = false;
    const failing = ctx.finished !== undefined && ctx.finished.type !== 'SuccessCriteriaMet';
    for (const pod of ctx.pods) {
      const uid = uidOf(pod);
      if (!hasTrackingFinalizer(pod) || ctx.expectedFinalizerRemovals.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      const canRemove = Boolean(job.metadata?.deletionTimestamp) || ctx.finished !== undefined || pod.status?.phase === 'Succeeded' || failed;
      if (!canRemove) continue;
      toRemove.push(pod);
      if (pod.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
        // an Indexed Job counts by index (status.completedIndexes); no uid needed
        if (!indexed && !ctx.uncountedSucceeded.has(uid)) {
          uncounted.succeeded = [...(uncounted.succeeded ?? []), uid];
          needsFlush = true;
        }
      } else if (failed || failing) {
        // a Job that failed counts every pod it stops as failed
        const ix = completionIndexOf(pod);
        const countsAsFailure = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed;
        if (countsAsFailure && !ctx.uncountedFailed.has(uid) && (!indexed || (ix !== undefined && ix < completions))) {
          uncounted.failed = [...(uncounted.failed ?? []), uid];
          needsFlush = true;
        }
      }
      if ((uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      const text = formatIndexes(ctx.succeededIndexes);
      if (text !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = ctx.succeededIndexes.size;
      status.completedIndexes = text;
    }
    let finished = ctx.finished;
    const now = this.clock.now();
    if (finished?.type === 'FailureTarget') {
      // recorded before the finalizers go, so the reason survives a crash in between
      status.conditions = [...(status.conditions ?? []), finished];
      needsFlush = true;
      finished = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
    }
    if (finished?.type === 'SuccessCriteriaMet') {
      if (findCondition(job, 'SuccessCriteriaMet')?.status !== 'True') {
        status.conditions = [...(status.conditions ?? []), finished];
        needsFlush = true;
      }
      finished = newCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', now);
    }

    // 1. flush the uncounted uids (and interim conditions)
    if (needsFlush) {
      job = await this.writeStatus(job);
      this.backoffs.set(ctx.key, ctx.newBackoff);
      needsFlush = false;
    }
    // 2. remove the finalizers of what is now recorded
    let removeError: unknown;
    if (toRemove.length > 0) {
      const removed = await this.removeFinalizers(ctx.key, toRemove);
      removeError = removed.error;
      for (const uid of removed.uids) withFinalizer.delete(uid);
    }
    // 3. count what lost its finalizer
    if (countUncounted(job.status!, withFinalizer)) needsFlush = true;
    if (removeError !== undefined) {
      if (needsFlush) await this.writeStatus(job);
      throw removeError;
    }
    // 4. the terminal condition, once nothing is uncounted or still terminating
    const jobFinished = !reachedMax && finished !== undefined && this.enactFinished(job, finished, ctx.terminating);
    if (jobFinished) needsFlush = true;
    if (needsFlush) {
      await this.writeStatus(job);
      if (jobFinished) this.recordFinished(job, finished!);
    }
  }

  /** kube's enactJobFinished: add Complete/Failed (and completionTime) when nothing is pending */
  private enactFinished(job: Job, finished: V1JobCondition, terminating: number): boolean {
    const uncounted = job.status?.uncountedTerminatedPods;
    if ((uncounted?.succeeded?.length ?? 0) + (uncounted?.failed?.length ?? 0) > 0) return false;
    if (terminating > 0) return false;
    const now = this.clock.now();
    const status = job.status!;
    status.conditions = ensureCondition(status.conditions, finished.type as 'Complete' | 'Failed', 'True', finished.reason ?? '', finished.message ?? '', now).conditions;
    if (finished.type === 'Complete') status.completionTime = findCondition(job, 'Complete')?.lastTransitionTime ?? (formatTime(now) as unknown as Date);
    return true;
  }

  private recordFinished(job: Job, finished: V1JobCondition): void {
    if (finished.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
        this.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.recorder.event(job, 'Warning', finished.reason ?? 'Failed', finished.message ?? '');
    }
  }

  /** patch the tracking finalizer off; the uids whose finalizer is gone (or whose pod is) */
  private async removeFinalizers(key: string, pods: Pod[]): Promise<{ uids: string[]; error?: unknown }> {
    const expected = this.finalizerRemovals.get(key) ?? new Set<string>();
    this.finalizerRemovals.set(key, expected);
    for (const pod of pods) expected.add(uidOf(pod));
    const uids: string[] = [];
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        const patch = removeFinalizerPatch(pod);
        if (!patch) return;
        try {
          await this.podClient.patch(pod.metadata?.name ?? '', 'json', patch, { namespace: pod.metadata?.namespace ?? '', fieldManager: CONTROLLER_FIELD_MANAGER });
          uids.push(uidOf(pod));
        } catch (err) {
          // no update will show the finalizer gone: stop expecting one
          expected.delete(uidOf(pod));
          if (isNotFound(err)) uids.push(uidOf(pod));
          else error ??= err;
        }
      }),
    );
    return { uids, ...(error !== undefined ? { error } : {}) };
  }

  /** PUT …/status with the Job as it now stands; returns the stored Job (its new resourceVersion) */
  private async writeStatus(job: Job): Promise<Job> {
    const body = { ...job, apiVersion: 'batch/v1', kind: 'Job', status: wireStatus(job.status ?? {}) } as Job;
    const stored = await this.jobClient.updateStatus(body);
    // keep working on our copy of the status (the server's is the same), with the new resourceVersion
    return { ...job, metadata: { ...job.metadata, resourceVersion: stored.metadata?.resourceVersion } } as Job;
  }

  /** kube's getFailJobMessage: the first failed pod a FailJob rule matches */
  private failJobMessage(job: Job, pods: Pod[]): string | undefined {
    if (!job.spec?.podFailurePolicy) return undefined;
    for (const pod of pods) {
      if (!isPodFailed(pod, job)) continue;
      const verdict = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
      if (verdict.failJobMessage !== undefined) return verdict.failJobMessage;
    }
    return undefined;
  }

  private pastActiveDeadline(job: Job, now: number): boolean {
    const seconds = job.spec?.activeDeadlineSeconds;
    if (seconds === undefined || seconds === null || !job.status?.startTime || jobSuspended(job)) return false;
    return now - timeOf(job.status.startTime) >= seconds * 1000;
  }

  private validIndex(job: Job, pod: Pod): boolean {
    if (!isIndexedJob(job)) return true;
    const ix = completionIndexOf(pod);
    return ix !== undefined && ix < (job.spec?.completions ?? 0);
  }

  /** kube's getPodsForJob: claim the namespace's pods by the Job's selector */
  private async podsForJob(job: Job): Promise<Pod[]> {
    let matches: (labels: Record<string, string> | undefined) => boolean;
    try {
      matches = labelSelectorMatcher(job.spec?.selector);
    } catch (err) {
      this.logger.error({ err, job: objectKey(job) }, 'invalid selector; claiming no pods');
      return [];
    }
    const candidates = this.podLister.list({ namespace: job.metadata?.namespace ?? '' });
    const claimed = await claimObjects({
      owner: job,
      controllerRef: this.controllerRef(job),
      matches: (pod) => matches(pod.metadata?.labels),
      objects: candidates,
      client: this.podClient as unknown as ResourceClient<KubeObject>,
      recheckOwner: async () => {
        try {
          return await this.jobClient.get(job.metadata?.name ?? '', { namespace: job.metadata?.namespace ?? '' });
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
      },
    });
    return claimed.map(asPod);
  }

  /** kube's syncOrphanPod: drop the finalizer of a pod no unfinished Job will count */
  async syncOrphanPod(key: string): Promise<ReconcileResult> {
    const pod = this.podLister.getByKey(key) as Pod | undefined;
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolveControllerRef(pod.metadata?.namespace, ref) as Job | undefined;
      if (job && job.spec?.managedBy !== undefined && job.spec.managedBy !== JOB_CONTROLLER_NAME) return;
      if (job && !isJobFinished(job)) return;
    }
    const patch = removeFinalizerPatch(pod);
    if (!patch) return;
    try {
      await this.podClient.patch(pod.metadata?.name ?? '', 'json', patch, { namespace: pod.metadata?.namespace ?? '', fieldManager: CONTROLLER_FIELD_MANAGER });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private controllerRef(job: KubeObject): OwnerReference {
    return newControllerRef(job, 'batch/v1', 'Job');
  }

  private forget(key: string): void {
    this.expectations.deleteExpectations(key);
    this.finalizerRemovals.delete(key);
    this.backoffs.delete(key);
  }

  private resolveControllerRef(namespace: string | undefined, ref: OwnerReference): KubeObject | undefined {
    return resolveControllerRef(this.jobLister, { kind: 'Job' }, namespace, ref);
  }

  /** kube's getPodJobs: the Jobs whose (non-empty) selector matches an orphan pod */
  private jobsSelecting(pod: Pod): KubeObject[] {
    return this.jobLister.list({ namespace: pod.metadata?.namespace ?? '' }).filter((job) => {
      const selector = (job as Job).spec?.selector;
      if (!selector || (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length)) return false;
      try {
        return labelSelectorMatcher(selector)(pod.metadata?.labels);
      } catch {
        return false;
      }
    });
  }

  /** a deleted Job's pods that still hold the finalizer: nobody else will remove it */
  private orphanPodsOf(job: KubeObject): void {
    for (const pod of this.podLister.list({ namespace: job.metadata?.namespace ?? '' })) {
      if (hasTrackingFinalizer(asPod(pod)) && getControllerOf(pod)?.uid === uidOf(job)) this.orphanQueue.add(podKey(pod));
    }
  }

  private enqueueBatched(job: KubeObject): void {
    this.queue.addAfter(objectKey(job), this.batchPeriodMs);
  }

  private podAdded(pod: Pod): void {
    // seen first while being deleted (after a restart): not a creation
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod, false);
    const ref = getControllerOf(pod);
    if (!ref) {
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
      // a Job whose selector matches may adopt it (no creation observed: nobody made it for us)
      for (const job of this.jobsSelecting(pod)) this.enqueueBatched(job);
      return;
    }
    const job = this.resolveControllerRef(pod.metadata?.namespace, ref);
    if (!job) {
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
      return;
    }
    this.expectations.creationObserved(objectKey(job));
    this.enqueueBatched(job);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    // graceful deletion started: act now, not when the kubelet finally removes it
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod, false);
    const finalizerGone = !hasTrackingFinalizer(pod);
    const ref = getControllerOf(pod);
    const oldRef = getControllerOf(old);
    if (oldRef && JSON.stringify(oldRef) !== JSON.stringify(ref)) {
      const previous = this.resolveControllerRef(old.metadata?.namespace, oldRef);
      if (previous) {
        if (finalizerGone) this.finalizerRemovals.get(objectKey(previous))?.delete(uidOf(pod));
        this.enqueueBatched(previous);
      }
    }
    if (!ref) {
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
      const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
      if (labelsChanged || oldRef) for (const job of this.jobsSelecting(pod)) this.enqueueBatched(job);
      return;
    }
    const job = this.resolveControllerRef(pod.metadata?.namespace, ref);
    if (!job) {
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(podKey(pod));
      return;
    }
    if (finalizerGone) this.finalizerRemovals.get(objectKey(job))?.delete(uidOf(pod));
    this.enqueueBatched(job);
  }

  private podDeleted(pod: Pod, final: boolean): void {
    const ref = getControllerOf(pod);
    const hasFinalizer = hasTrackingFinalizer(pod);
    if (!ref) {
      if (hasFinalizer && !final) this.orphanQueue.add(podKey(pod));
      return;
    }
    const job = this.resolveControllerRef(pod.metadata?.namespace, ref);
    if (!job || isJobFinished(job as Job)) {
      // no sync will remove this finalizer
      if (hasFinalizer && !final) this.orphanQueue.add(podKey(pod));
      return;
    }
    const key = objectKey(job);
    this.expectations.deletionObserved(key);
    if (final || !hasFinalizer) this.finalizerRemovals.get(key)?.delete(uidOf(pod));
    this.enqueueBatched(job);
  }
}
