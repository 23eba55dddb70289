/**
 * A Deployment's status as kube's deployment controller computes it (calculateStatus,
 * syncRolloutStatus, checkPausedConditions), and when to look again for the progress
 * deadline (requeueStuckDeployment). Pure: `now` is passed in.
 *
 * Conditions follow kube's SetDeploymentCondition, which differs from the generic rule: a
 * condition with the same status AND reason is left alone entirely (message and
 * lastUpdateTime included); a changed one is removed and appended at the end, keeping its
 * lastTransitionTime when only the reason changed. Progressing is special: while a rollout
 * makes progress its lastUpdateTime moves forward (that is what the deadline counts from).
 *
 *   Available    True  MinimumReplicasAvailable    "Deployment has minimum availability."
 *                False MinimumReplicasUnavailable  "Deployment does not have minimum availability."
 *   Progressing  True  NewReplicaSetCreated        Created new replica set "web-5d4f…"
 *                True  FoundNewReplicaSet          Found new replica set "…"
 *                True  ReplicaSetUpdated           ReplicaSet "…" is progressing.
 *                True  NewReplicaSetAvailable      ReplicaSet "…" has successfully progressed.
 *                False ProgressDeadlineExceeded    ReplicaSet "…" has timed out progressing.
 *                False ReplicaSetCreateError       Failed to create new replica set "…": …
 *                Unknown DeploymentPaused / DeploymentResumed  "Deployment is paused" / "… resumed"
 *   ReplicaFailure  copied from the new RS (else any RS)
 */
import { actualReplicaCount, availableReplicaCount, readyReplicaCount, replicaCount } from './replica-sets.js';
import { hasProgressDeadline, maxUnavailable } from './rollout-math.js';
import { specReplicas, type Deployment, type DeploymentStatus, type ReplicaSet, type WorkloadCondition } from './types.js';
import { formatTime, timeOf } from '../common/time.js';

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';

export const REASON = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** NewDeploymentCondition: both times now */
export function newCondition(type: string, status: string, reason: string, message: string, now: number): WorkloadCondition {
  const at = formatTime(now);
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message };
}

export const getCondition = (status: DeploymentStatus | undefined, type: string): WorkloadCondition | undefined => status?.conditions?.find((c) => c.type === type);

/** SetDeploymentCondition, on `status` in place */
export function setCondition(status: DeploymentStatus, condition: WorkloadCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = current && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/** calculateStatus: counts from the RSs, observedGeneration, the Available condition */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const unavailable = Math.max(0, replicaCount(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  if (d.status?.collisionCount !== undefined && d.status.collisionCount !== null) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** DeploymentComplete: every desired replica updated and available, no old pods, this generation seen */
export const deploymentComplete = (d: Deployment, s: DeploymentStatus): boolean =>
  (s.updatedReplicas ?? 0) === specReplicas(d) && (s.replicas ?? 0) === specReplicas(d) && (s.availableReplicas ?? 0) === specReplicas(d) && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);

/** DeploymentProgressing: more updated, ready or available pods than before, or fewer old ones */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: no progress reported for progressDeadlineSeconds (or already reported as timed out) */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(s, PROGRESSING);
  if (!cond) return false;
  if (cond.reason === REASON.newRSAvailable) return false;
  if (cond.reason === REASON.timedOut) return true;
  const from = timeOf(cond.lastUpdateTime);
  return !Number.isNaN(from) && from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < now;
}

/** getReplicaFailures: the new RS's ReplicaFailure conditions, else any RS's */
function replicaFailures(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): WorkloadCondition[] {
  const fromRS = (rs: ReplicaSet | undefined): WorkloadCondition[] =>
    (rs?.status?.conditions ?? [])
      .filter((c) => c.type === REPLICA_FAILURE)
      .map((c) => ({ type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message }) as WorkloadCondition);
  const ofNew = fromRS(newRS);
  return ofNew.length ? ofNew : allRSs.flatMap(fromRS);
}

/** syncRolloutStatus: calculateStatus plus the Progressing and ReplicaFailure conditions */
export function rolloutStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);

  const current = getCondition(d.status, PROGRESSING);
  const complete = status.replicas === status.updatedReplicas && current?.reason === REASON.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition(PROGRESSING, 'True', REASON.newRSAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // progress moves lastUpdateTime even when the reason stays: remove and re-add
      const condition = newCondition(PROGRESSING, 'True', REASON.replicaSetUpdated, `${subject} is progressing.`, now);
      if (current) {
        if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, PROGRESSING);
      }
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition(PROGRESSING, 'False', REASON.timedOut, `${subject} has timed out progressing.`, now));
    }
  }

  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) setCondition(status, failures[0]!);
  else removeCondition(status, REPLICA_FAILURE);
  return status;
}

/**
 * checkPausedConditions: Progressing Unknown/DeploymentPaused while paused, and
 * DeploymentResumed once resumed, so the time spent paused never counts against the
 * progress deadline. Undefined when nothing changes (no deadline, already timed out, or
 * already marked).
 */
export function pausedConditionStatus(d: Deployment, now: number): DeploymentStatus | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const cond = getCondition(d.status, PROGRESSING);
  if (cond?.reason === REASON.timedOut) return undefined;
  const pausedMarked = cond?.reason === REASON.paused;
  const status: DeploymentStatus = structuredClone(d.status ?? {});
  if (d.spec.paused && !pausedMarked) setCondition(status, newCondition(PROGRESSING, 'Unknown', REASON.paused, 'Deployment is paused', now));
  else if (!d.spec.paused && pausedMarked) setCondition(status, newCondition(PROGRESSING, 'Unknown', REASON.resumed, 'Deployment is resumed', now));
  else return undefined;
  return status;
}

/**
 * requeueStuckDeployment: how long until the progress deadline should be checked again
 * (ms), or undefined when there is nothing to watch (no deadline, no Progressing
 * condition, complete, or already timed out). One second of slack past the deadline.
 */
export function progressCheckAfter(d: Deployment, newStatus: DeploymentStatus, now: number): number | undefined {
  const cond = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !cond) return undefined;
  if (deploymentComplete(d, newStatus) || cond.reason === REASON.timedOut) return undefined;
  const lastUpdate = timeOf(cond.lastUpdateTime);
  if (Number.isNaN(lastUpdate)) return undefined;
  const after = lastUpdate + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - now;
  // under a second left: look again soon; kube requeues rate-limited here
  return after < 1000 ? 1000 : after + 1000;
}

/** the status as kube writes it: zero counts omitted (omitempty) */
export function wireStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const key of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (s[key]) out[key] = s[key];
  }
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount;
  return out;
}

/** reflect.DeepEqual on statuses, reading an omitted count as 0 */
export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  const norm = (s: DeploymentStatus | undefined) => {
    const w = wireStatus(s ?? {});
    return JSON.stringify({
      ...w,
      conditions: (w.conditions ?? []).map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '', c.lastUpdateTime ?? '', c.lastTransitionTime ?? '']),
    });
  };
  return norm(a) === norm(b);
}
