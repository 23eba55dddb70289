/**
 * The annotations that tie a Deployment to its ReplicaSets (kube's deployment util):
 *   - revision: the rollout sequence number of an RS, copied to the Deployment from its
 *     new RS; `kubectl rollout history/undo` list and pick RSs by it;
 *   - revision-history: the revisions an RS served before `rollout undo` brought it back;
 *   - desired-replicas / max-replicas: spec.replicas and spec.replicas+maxSurge when the RS
 *     was last sized, so a later change of spec.replicas is seen as a scaling event and the
 *     RSs are scaled in proportion.
 * A new RS also carries the Deployment's own annotations (kubernetes.io/change-cause is
 * what `rollout history` shows), except kubectl's last-applied configuration and the
 * controller's own.
 */
import type { Deployment, ReplicaSet } from './types.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** the obsolete extensions/v1beta1 rollback request; never copied */
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** kube caps revision-history at 2000 characters (about 100 revisions) */
export const MAX_REVISION_HISTORY_CHARS = 2000;

const NOT_COPIED = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO]);

export const skipCopyAnnotation = (key: string): boolean => NOT_COPIED.has(key);

const INTEGER = /^[+-]?\d+$/;

/** the revision annotation as a number: 0 when absent, NaN when it is not an integer */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): number {
  const value = obj?.metadata?.annotations?.[REVISION_ANNOTATION];
  if (value === undefined) return 0;
  return INTEGER.test(value) ? Number(value) : NaN;
}

/** MaxRevision: the highest revision among the RSs (unparsable ones are skipped) */
export function maxRevision(replicaSets: readonly (ReplicaSet | undefined)[]): number {
  let max = 0;
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v > max) max = v;
  }
  return max;
}

/** an integer annotation of the RS, or undefined when absent or unparsable */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const value = rs.metadata.annotations?.[key];
  return value !== undefined && INTEGER.test(value) ? Number(value) : undefined;
}

/** copy the Deployment's annotations onto `rs` (a copy we own); true when something changed */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const annotations = (rs.metadata.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: record desired and max replicas on `rs`; true when they changed */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

export const replicasAnnotationsNeedUpdate = (rs: ReplicaSet, desired: number, max: number): boolean =>
  rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION] !== String(max);

/**
 * SetNewReplicaSetAnnotations on `rs` (a copy we own): the Deployment's annotations, the
 * new revision when it is higher than the RS's (an RS brought back by `rollout undo`
 * remembers its old revision in revision-history), and — for an RS about to be created —
 * the replicas annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, desired: number, max: number): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const oldRevision = annotations[REVISION_ANNOTATION];
  let oldRevisionInt = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    if (!INTEGER.test(oldRevision)) return false; // kube gives up on a garbled revision
    oldRevisionInt = Number(oldRevision);
  }
  if (oldRevisionInt < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) appendRevisionHistory(annotations, oldRevision);
  }
  if (!exists && setReplicasAnnotations(rs, desired, max)) changed = true;
  return changed;
}

/** add `oldRevision` to revision-history, dropping the oldest entries past the length cap */
function appendRevisionHistory(annotations: Record<string, string>, oldRevision: string): void {
  const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') {
    annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
    return;
  }
  const revisions = history.split(',');
  let totalLength = history.length + oldRevision.length + 1;
  let start = 0;
  while (totalLength > MAX_REVISION_HISTORY_CHARS && start < revisions.length) {
    totalLength -= revisions[start]!.length + 1;
    start++;
  }
  if (totalLength <= MAX_REVISION_HISTORY_CHARS) annotations[REVISION_HISTORY_ANNOTATION] = [...revisions.slice(start), oldRevision].join(',');
}
