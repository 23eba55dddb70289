/**
 * How the Job controller sees its pods (kube's job_controller.go helpers), pure:
 * which count as failed, ready or terminating, the tracking finalizer, how many should be
 * running, which to remove first, and the OnFailure restart budget.
 *
 * Finalizer tracking: every pod a Job creates carries `batch.kubernetes.io/job-tracking`,
 * so it cannot vanish before the controller has counted it; the controller records a
 * finished pod's uid in status.uncountedTerminatedPods, removes the finalizer, and only
 * then moves the uid into status.succeeded/failed. Counts survive pod deletion that way.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { isPodReady } from '../common/pod-status.js';
import { timeOf } from '../common/time.js';
import { completionIndexOf } from './completion-indexes.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export const hasTrackingFinalizer = (pod: V1Pod): boolean => pod.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;

export const isIndexedJob = (job: V1Job): boolean => job.spec?.completionMode === 'Indexed';

export const jobSuspended = (job: V1Job): boolean => job.spec?.suspend === true;

/** podReplacementPolicy Failed (or a podFailurePolicy): replace only pods that reached Failed */
export const onlyReplaceFailedPods = (job: V1Job): boolean => job.spec?.podReplacementPolicy === 'Failed' || Boolean(job.spec?.podFailurePolicy);

/**
 * kube's isPodFailed: phase Failed; or — unless only failed pods are replaced — being
 * deleted before it succeeded (an orphaned or evicted pod may never reach Failed).
 */
export function isPodFailed(pod: V1Pod, job: V1Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return Boolean(pod.metadata?.deletionTimestamp) && pod.status?.phase !== 'Succeeded';
}

/** controller.CountTerminatingPods: being deleted and not yet terminal */
export const countTerminatingPods = (pods: V1Pod[]): number =>
  pods.filter((p) => p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;

export const countReadyPods = (pods: V1Pod[]): number => pods.filter(isPodReady).length;

/** kube's manageJob target: how many pods should be active now */
export function wantActive(job: V1Job, active: number, succeeded: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/** kube's pastBackoffLimitOnFailure: with restartPolicy OnFailure, restarts count against backoffLimit */
export function pastBackoffLimitOnFailure(job: V1Job, pods: V1Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Pending') continue;
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * controller.ActivePods ordering, earliest = first to delete: unscheduled before
 * scheduled, Pending < Unknown < Running, not ready before ready, ready for less time
 * first, more restarts first, newer before older.
 */
export function compareForRemoval(a: V1Pod, b: V1Pod): number {
  const scheduled = (p: V1Pod) => (p.spec?.nodeName ? 1 : 0);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (p: V1Pod) => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: V1Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const readySince = (p: V1Pod) => timeOf(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
  if (ready(a) && readySince(a) !== readySince(b) && !Number.isNaN(readySince(a)) && !Number.isNaN(readySince(b))) return readySince(b) - readySince(a);
  const restarts = (p: V1Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return timeOf(b.metadata?.creationTimestamp) - timeOf(a.metadata?.creationTimestamp) || 0;
}

/**
 * kube's activePodsForRemoval: for an Indexed Job first every pod without a valid index
 * and every duplicate of an index (keeping the most advanced one), then, to reach
 * `atLeast`, the earliest by compareForRemoval.
 */
export function activePodsForRemoval(job: V1Job, active: V1Pod[], atLeast: number): V1Pod[] {
  const remove: V1Pod[] = [];
  let left: V1Pod[] = active;
  if (isIndexedJob(job)) {
    const completions = job.spec?.completions ?? 0;
    left = [];
    const byIndex = new Map<number, V1Pod[]>();
    for (const pod of active) {
      const ix = completionIndexOf(pod);
      if (ix === undefined || ix >= completions) remove.push(pod);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), pod]);
    }
    for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
      const same = [...byIndex.get(ix)!].sort(compareForRemoval);
      remove.push(...same.slice(0, -1));
      left.push(same[same.length - 1]!);
    }
  }
  if (remove.length < atLeast) remove.push(...[...left].sort(compareForRemoval).slice(0, atLeast - remove.length));
  return remove;
}

/**
 * A JSON patch removing the tracking finalizer, guarded by a test of its position, so a
 * concurrent change of the finalizer list fails (422, retried) instead of removing another
 * finalizer. (kube sends a strategic `$deleteFromPrimitiveList`; this is equivalent and
 * works against servers and fakes without strategic merge.) undefined when it has none.
 */
export function removeFinalizerPatch(pod: V1Pod): Array<{ op: 'test' | 'remove'; path: string; value?: unknown }> | undefined {
  const at = pod.metadata?.finalizers?.indexOf(JOB_TRACKING_FINALIZER) ?? -1;
  if (at < 0) return undefined;
  return [
    { op: 'test', path: `/metadata/finalizers/${at}`, value: JOB_TRACKING_FINALIZER },
    { op: 'remove', path: `/metadata/finalizers/${at}` },
  ];
}
