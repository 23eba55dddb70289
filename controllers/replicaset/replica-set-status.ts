/**
 * What a ReplicaSet's status should say, computed from its claimed active pods (kube's
 * calculateStatus and the skip test of updateReplicaSetStatus), apart from any I/O:
 *
 *   replicas              active pods the ReplicaSet owns
 *   fullyLabeledReplicas  those whose labels include every label of the pod template
 *   readyReplicas         those Ready
 *   availableReplicas     those Ready for at least spec.minReadySeconds
 *   conditions            ReplicaFailure=True (FailedCreate / FailedDelete, the error) while
 *                         creating or deleting pods fails; removed once it works again
 *   observedGeneration    metadata.generation, set when written
 *
 * The status is written only when one of these differs, so the ReplicaSet's own status
 * update, coming back through the watch, ends in a sync that writes nothing.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { getCondition, removeCondition, setCondition, type Condition } from '../common/conditions.js';
import { isPodAvailable, isPodReady, podReadySince } from '../common/pod-status.js';
import { formatTime } from '../common/time.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

/** the fields of apps/v1 ReplicaSetStatus (and v1 ReplicationControllerStatus) this controller owns */
export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
  [field: string]: unknown;
}

export interface ReplicaSetCondition extends Condition {
  lastTransitionTime?: string;
}

/** a ReplicaSet as the controller reads it (plain JSON from the informer) */
export interface ReplicaSetLike {
  metadata?: { name?: string; namespace?: string; generation?: number; deletionTimestamp?: string; [field: string]: unknown };
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    template?: { metadata?: { labels?: Record<string, string> } };
    [field: string]: unknown;
  };
  status?: ReplicaSetStatus;
}

/** spec.replicas; the API server defaults it to 1 */
export const desiredReplicas = (rs: ReplicaSetLike): number => rs.spec?.replicas ?? 1;

const hasAllLabels = (labels: Record<string, string> | undefined, wanted: Record<string, string> | undefined): boolean =>
  Object.entries(wanted ?? {}).every(([k, v]) => labels?.[k] === v);

/**
 * kube's calculateStatus. `manageError` is what creating/deleting pods failed with in this
 * sync (undefined: it worked, or nothing was attempted). observedGeneration is left as it
 * was: it is set to the generation only when the status is written.
 */
export function calculateStatus(rs: ReplicaSetLike, pods: readonly V1Pod[], manageError: unknown, nowMs: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels;
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (hasAllLabels(pod.metadata?.labels, templateLabels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    }
  }

  const status: ReplicaSetStatus = { ...structuredClone(rs.status ?? { replicas: 0 }) };
  const failure = getCondition(status.conditions, REPLICA_FAILURE);
  if (manageError !== undefined && !failure) {
    const diff = pods.length - desiredReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    status.conditions = setCondition(status.conditions, { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: formatTime(nowMs), reason, message });
  } else if (manageError === undefined && failure) {
    status.conditions = removeCondition(status.conditions, REPLICA_FAILURE);
    if (status.conditions.length === 0) delete status.conditions;
  }

  status.replicas = pods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

const sameConditions = (a: readonly ReplicaSetCondition[] | undefined, b: readonly ReplicaSetCondition[] | undefined): boolean =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** kube's steady-state test: nothing to write when the counts, the conditions and observedGeneration are current */
export function statusUpToDate(rs: ReplicaSetLike, wanted: ReplicaSetStatus): boolean {
  const current = rs.status;
  return (
    (current?.replicas ?? 0) === wanted.replicas &&
    (current?.fullyLabeledReplicas ?? 0) === (wanted.fullyLabeledReplicas ?? 0) &&
    (current?.readyReplicas ?? 0) === (wanted.readyReplicas ?? 0) &&
    (current?.availableReplicas ?? 0) === (wanted.availableReplicas ?? 0) &&
    (rs.metadata?.generation ?? 0) === (current?.observedGeneration ?? 0) &&
    sameConditions(current?.conditions, wanted.conditions)
  );
}

/**
 * When the next ready pod becomes available (epoch ms), or undefined when none is waiting
 * for minReadySeconds: the ReplicaSet is looked at again then, since nothing else (no pod
 * change) would wake it to count that pod as available.
 */
export function nextAvailableAt(rs: ReplicaSetLike, pods: readonly V1Pod[], nowMs: number): number | undefined {
  const minReadyMs = (rs.spec?.minReadySeconds ?? 0) * 1000;
  if (minReadyMs <= 0) return undefined;
  let next: number | undefined;
  for (const pod of pods) {
    const since = podReadySince(pod);
    if (since === undefined) continue;
    const at = since + minReadyMs;
    if (at > nowMs && (next === undefined || at < next)) next = at;
  }
  return next;
}

export type ReplicaChange = { create: number } | { delete: number } | undefined;

/**
 * kube's manageReplicas arithmetic: how many pods to create or delete in this sync, at most
 * `burstReplicas` (a ReplicaSet then waits to see those before doing more).
 */
export function replicaChange(activePods: number, replicas: number, burstReplicas: number): ReplicaChange {
  const diff = activePods - replicas;
  if (diff < 0) return { create: Math.min(-diff, burstReplicas) };
  if (diff > 0) return { delete: Math.min(diff, burstReplicas) };
  return undefined;
}
