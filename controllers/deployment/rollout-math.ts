/**
 * The numbers a rollout is made of (kube's deployment util): maxSurge and maxUnavailable
 * resolved against spec.replicas (surge rounds up, unavailable down; both zero after
 * rounding means one unavailable, so a rollout can always move), how big the new RS may
 * grow, and whether it is saturated (owns every desired replica, all available).
 */
import { DESIRED_REPLICAS_ANNOTATION, intAnnotation } from './annotations.js';
import { replicaCount } from './replica-sets.js';
import { specReplicas, type Deployment, type ReplicaSet } from './types.js';
import { scaledValue, type IntOrString } from '../common/int-or-percent.js';

export const isRollingUpdate = (d: Deployment): boolean => d.spec.strategy?.type === 'RollingUpdate';

/** ResolveFenceposts(maxSurge, maxUnavailable, desired); throws on a malformed value (validation prevents it) */
export function resolveFenceposts(maxSurge: IntOrString | undefined | null, maxUnavailable: IntOrString | undefined | null, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  // validation forbids 0/0, but rounding down can still reach it: allow one unavailable
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const fenceposts = (d: Deployment) => resolveFenceposts(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.strategy?.rollingUpdate?.maxUnavailable, specReplicas(d));

/** MaxSurge: extra pods a rolling update may run; 0 for Recreate */
export const maxSurge = (d: Deployment): number => (isRollingUpdate(d) ? fenceposts(d).surge : 0);

/** MaxUnavailable: pods a rolling update may be short of, at most spec.replicas; 0 for Recreate or no replicas */
export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

/**
 * NewRSNewReplicas: how many replicas the new RS should have now. Rolling update: grow
 * it while all RSs together stay within replicas+maxSurge, never past replicas. Recreate:
 * everything at once (old RSs are gone by then).
 */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  const replicas = specReplicas(d);
  switch (d.spec.strategy?.type) {
    case 'RollingUpdate': {
      const surge = scaledValue(d.spec.strategy.rollingUpdate?.maxSurge ?? 0, replicas, true);
      const current = replicaCount(allRSs);
      const maxTotal = replicas + surge;
      if (current >= maxTotal) return specReplicas(newRS);
      const scaleUp = Math.min(maxTotal - current, replicas - specReplicas(newRS));
      return specReplicas(newRS) + scaleUp;
    }
    case 'Recreate':
      return replicas;
    default:
      throw new Error(`deployment type ${d.spec.strategy?.type} isn't supported`);
  }
}

/** IsSaturated: the new RS is sized for the whole Deployment (by spec and annotation) and all of it is available */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  if (desired === undefined) return false;
  const replicas = specReplicas(d);
  return specReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

export const MAX_INT32 = 2147483647;

/** HasProgressDeadline: progressDeadlineSeconds set and not "forever" */
export const hasProgressDeadline = (d: Deployment): boolean => d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== null && d.spec.progressDeadlineSeconds !== MAX_INT32;

/** HasRevisionHistoryLimit: revisionHistoryLimit set and not "keep everything" */
export const hasRevisionHistoryLimit = (d: Deployment): boolean => d.spec.revisionHistoryLimit !== undefined && d.spec.revisionHistoryLimit !== null && d.spec.revisionHistoryLimit !== MAX_INT32;
