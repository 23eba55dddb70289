/**
 * What to scale, decided without I/O (kube's scale(), reconcileNewReplicaSet,
 * reconcileOldReplicaSets, the Recreate checks and cleanupDeployment). Each planner
 * returns ScaleSteps in the order kube performs them; the controller carries them out
 * one by one and stops at the first failure (the Deployment is requeued).
 *
 * A step without `operation` is kube's scaleReplicaSetAndRecordEvent: nothing happens
 * when the size is already right. A step with `operation` (proportional scaling) is
 * scaleReplicaSet: the RS is also written when only its desired/max-replicas
 * annotations are stale, and the event says "up"/"down" as the whole scaling does.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { MAX_REPLICAS_ANNOTATION, intAnnotation } from './annotations.js';
import { availableReplicaCount, byCreationTimestamp, byRevision, bySizeNewer, bySizeOlder, filterActive, findActiveOrLatest, replicaCount } from './replica-sets.js';
import { hasRevisionHistoryLimit, isRollingUpdate, isSaturated, maxSurge, maxUnavailable, newRSNewReplicas } from './rollout-math.js';
import { specReplicas, type Deployment, type ReplicaSet } from './types.js';

export interface ScaleStep {
  rs: ReplicaSet;
  to: number;
  /** set for proportional scaling ('' when the total does not change) */
  operation?: 'up' | 'down' | '';
}

/**
 * getReplicaSetFraction: the change in size `rs` should get when the Deployment is
 * resized, in proportion to its share of the previous maximum (its max-replicas
 * annotation; the Deployment's status.replicas when that is missing).
 */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = specReplicas(d);
  if (replicas === 0) return -specReplicas(rs);
  const maxNow = replicas + maxSurge(d);
  let maxBefore = intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
  if (maxBefore === undefined || maxBefore === 0) {
    maxBefore = d.status?.replicas ?? 0;
    if (maxBefore === 0) return 0;
  }
  // Math.round rounds .5 up, as Go's math.Round does for the positive sizes here
  return Math.round((specReplicas(rs) * maxNow) / maxBefore) - specReplicas(rs);
}

/** GetProportion: the RS's fraction, clamped so the replicas added never pass what is left to add */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * scale(): a scaling event (spec.replicas changed, or the Deployment is paused). One active
 * RS (or none: the newest) simply takes spec.replicas; a saturated new RS means old ones
 * go to 0; otherwise, during a rolling update, the difference to replicas+maxSurge is
 * spread over the active RSs in proportion to their size — bigger RSs first, newer first
 * when scaling up and older first when scaling down — with the rounding leftover going to
 * the first (largest) one.
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    return specReplicas(activeOrLatest) === specReplicas(d) ? [] : [{ rs: activeOrLatest, to: specReplicas(d) }];
  }
  if (isSaturated(d, newRS)) return filterActive(oldRSs).map((rs) => ({ rs, to: 0 }));
  if (!isRollingUpdate(d)) return [];

  const active = filterActive([...oldRSs, newRS]);
  const allowedSize = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowedSize - replicaCount(active);
  let operation: ScaleStep['operation'] = '';
  if (toAdd > 0) {
    active.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    active.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, sizes[0]! + (toAdd - added));
  return active.map((rs, i) => ({ rs, to: sizes[i]!, operation }));
}

/** reconcileNewReplicaSet: the size the new RS should have in this step of a rolling update */
export function newReplicaSetTarget(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  const replicas = specReplicas(d);
  if (specReplicas(newRS) === replicas) return replicas;
  if (specReplicas(newRS) > replicas) return replicas;
  return newRSNewReplicas(d, allRSs, newRS);
}

/**
 * reconcileOldReplicaSets: how far old RSs may shrink in this step of a rolling update.
 * maxScaledDown = all pods − minAvailable − the new RS's unavailable pods (so a broken
 * new RS cannot make us remove healthy old pods). First the old RSs' unhealthy replicas go
 * (oldest RS first: they only cost availability we do not have), then old RSs shrink by
 * as much as availability above minAvailable allows, oldest first.
 */
export function planOldReplicaSetsScaleDown(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], oldActiveRSs: readonly ReplicaSet[], newRS: ReplicaSet): ScaleStep[] {
  if (replicaCount(oldActiveRSs) === 0) return [];
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = replicaCount(allRSs) - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return [];

  const steps: ScaleStep[] = [];
  const olds = [...oldActiveRSs].sort(byCreationTimestamp);
  const size = new Map(olds.map((rs) => [rs, specReplicas(rs)]));

  // cleanupUnhealthyReplicas
  let cleaned = 0;
  for (const rs of olds) {
    if (cleaned >= maxScaledDown) break;
    const replicas = size.get(rs)!;
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const n = Math.min(maxScaledDown - cleaned, replicas - available);
    // more available than wanted (a scale-down not yet observed): kube's cleanup errors
    // out here, and reconcileOldReplicaSets then skips scaling down in this sync
    if (n < 0) return steps;
    steps.push({ rs, to: replicas - n });
    size.set(rs, replicas - n);
    cleaned += n;
  }

  // scaleDownOldReplicaSetsForRollingUpdate: availability is read from status, which scaling does not change
  const available = availableReplicaCount([...olds, newRS]);
  if (available <= minAvailable) return steps;
  const toScaleDown = available - minAvailable;
  let scaledDown = 0;
  for (const rs of olds) {
    if (scaledDown >= toScaleDown) break;
    const replicas = size.get(rs)!;
    if (replicas === 0) continue;
    const n = Math.min(replicas, toScaleDown - scaledDown);
    steps.push({ rs, to: replicas - n });
    size.set(rs, replicas - n);
    scaledDown += n;
  }
  return steps;
}

/**
 * oldPodsRunning (Recreate): old RSs still report pods, or some pod of an RS other than
 * the new one is not finished (Pending, Running, Unknown; terminating pods still count).
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podsByReplicaSetUid: ReadonlyMap<string, readonly V1Pod[]>): boolean {
  if (oldRSs.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0) > 0) return true;
  for (const [uid, pods] of podsByReplicaSetUid) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}

/**
 * cleanupDeployment: old RSs beyond revisionHistoryLimit, lowest revision first, that are
 * fully scaled down (spec and status), observed by the RS controller and not already
 * being deleted.
 */
export function replicaSetsToCleanUp(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
  if (!hasRevisionHistoryLimit(d)) return [];
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - (d.spec.revisionHistoryLimit ?? 0);
  if (diff <= 0) return [];
  return [...alive]
    .sort(byRevision)
    .slice(0, diff)
    .filter((rs) => (rs.status?.replicas ?? 0) === 0 && specReplicas(rs) === 0 && (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0));
}
