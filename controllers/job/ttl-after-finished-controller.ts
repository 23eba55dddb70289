/**
 * The TTL-after-finished controller (kube's pkg/controller/ttlafterfinished): a Job with
 * spec.ttlSecondsAfterFinished is deleted that many seconds after it finished (its
 * Complete or Failed condition's lastTransitionTime), with Foreground propagation so its
 * pods go first. Before deleting, a fresh read re-checks that the Job still finished and
 * still expired (the TTL may have been changed), and the DELETE carries that read's
 * resourceVersion as a precondition, so a Job changed in between is not deleted on
 * stale grounds. Not yet expired → a timed requeue by the clock, never polling.
 */
import type { V1Job } from '@kubernetes/client-node';

import { isNotFound } from '../../client/api-error.js';

import { objectKey, type Lister, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { timeOf } from '../common/time.js';
import { finishedCondition } from './job-conditions.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';

/** kube's --concurrent-ttl-after-finished-syncs */
export const DEFAULT_TTL_WORKERS = 5;

export interface TtlAfterFinishedSettings {
  workers?: number;
}

type Job = V1Job & KubeObject;

/**
 * When the Job may be deleted (epoch ms), or undefined when it never will be by TTL
 * (no TTL, not finished, already being deleted).
 */
export function expiresAt(job: V1Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finished = finishedCondition(job);
  if (!finished) return undefined;
  const at = timeOf(finished.lastTransitionTime);
  return Number.isNaN(at) ? undefined : at + ttl * 1000;
}

export type TtlAfterFinishedControllerOptions = ControllerOptions<TtlAfterFinishedSettings>;

export class TtlAfterFinishedController extends QueueController {
  private readonly jobs: SharedInformer<KubeObject>;
  private readonly lister: Lister<KubeObject>;
  private readonly jobClient: ResourceClient<Job>;

  constructor(opts: TtlAfterFinishedControllerOptions) {
    super(opts, opts.settings?.workers ?? DEFAULT_TTL_WORKERS);
    this.jobClient = opts.client.resource<Job>('batch/v1', 'Job');
    this.jobs = opts.informers.informerFor('batch/v1', 'Job');
    this.lister = this.jobs.lister();
    const consider = (job: KubeObject) => {
      if (expiresAt(job as Job) !== undefined) this.queue.add(objectKey(job));
    };
    this.jobs.addEventHandler({ onAdd: consider, onUpdate: (_old, job) => consider(job) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runAfterSync(signal, [this.jobs]);
  }

  /** kube's processJob */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.lister.getByKey(key) as Job | undefined;
    if (!cached) return;
    const cachedExpiry = expiresAt(cached);
    if (cachedExpiry === undefined) return;
    const now = this.clock.now();
    if (cachedExpiry > now) return { requeueAfter: cachedExpiry - now };
    let fresh: Job;
    try {
      fresh = await this.jobClient.get(cached.metadata?.name ?? '', { namespace: cached.metadata?.namespace ?? '' });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const freshExpiry = expiresAt(fresh);
    if (freshExpiry === undefined) return;
    if (freshExpiry > now) return { requeueAfter: freshExpiry - now };
    this.logger.info({ job: key }, 'cleaning up finished job (TTL expired)');
    try {
      await this.jobClient.delete(fresh.metadata?.name ?? '', {
        namespace: fresh.metadata?.namespace ?? '',
        propagationPolicy: 'Foreground',
        preconditions: { resourceVersion: fresh.metadata?.resourceVersion ?? '' },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
