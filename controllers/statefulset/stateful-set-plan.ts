/**
 * What one sync of a StatefulSet does (kube's updateStatefulSet), as a pure plan: the
 * pod actions in the order kube takes them, and the status to report. The controller
 * executes the actions in order and stops at the first failure (the next sync plans
 * again from the cache).
 *
 * OrderedReady (monotonic): walk ordinals upward; recreate a failed/succeeded pod, create
 * a missing one and STOP (one at a time), stop at a pod that is terminating, not Running
 * and Ready, or not yet available; then delete condemned pods (above the range) from the
 * highest, one per sync, only when every lower pod is healthy. Parallel: everything at once.
 * Then RollingUpdate: from the highest ordinal down to the partition, delete the first
 * pod not at the update revision (one per sync), waiting for each unhealthy pod on the way.
 *
 *   web-0 Running+Ready, web-1 Pending, replicas 3, OrderedReady → [] (wait for web-1)
 *   web-0, web-1 Ready, replicas 3                               → [create web-2]
 *   web-0..2 Ready, replicas 1                                   → [delete web-2]
 *   web-0..2 Ready at rev A, update rev B, partition 2           → [delete web-2]
 */
import type { OwnerReference } from '../common/controller-ref.js';
import {
  allowsBurst,
  endOrdinal,
  getOrdinal,
  getPodRevision,
  identityMatches,
  isCreated,
  isFailed,
  isHealthy,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  newVersionedStatefulSetPod,
  podInOrdinalRange,
  startOrdinal,
  storageMatches,
  claimsFor,
  type Pod,
  type StatefulSet,
} from './stateful-set-utils.js';

export type PodAction =
  /** create the pod (and its missing claims first) */
  | { type: 'create'; pod: Pod }
  /** delete the pod; `why` picks the event kube records before it, if any */
  | { type: 'delete'; pod: Pod; why: 'failed' | 'succeeded' | 'scaleDown' | 'update' }
  /** create the claims a pending pod still lacks */
  | { type: 'createClaims'; pod: Pod }
  /** rewrite the pod's identity labels / claim volumes */
  | { type: 'updateIdentity'; pod: Pod };

export interface StatefulSetStatusCounts {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

export interface PlanInput {
  set: StatefulSet;
  /** the set with the current revision's template applied */
  currentSet: StatefulSet;
  /** the set with the update revision's template applied */
  updateSet: StatefulSet;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  /** the set's pods (claimed and named as members) */
  pods: readonly Pod[];
  /** names of the PersistentVolumeClaims that exist in the namespace */
  existingClaims: ReadonlySet<string>;
  controllerRef: OwnerReference;
  now: number;
}

export interface Plan {
  actions: PodAction[];
  status: StatefulSetStatusCounts;
}

/** computeReplicaStatus over lists of pods, added up (kube's updateStatus) */
export function countReplicas(base: StatefulSetStatusCounts, lists: readonly (readonly Pod[])[], minReadySeconds: number, now: number): StatefulSetStatusCounts {
  const status = { ...base, replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const list of lists) {
    for (const pod of list) {
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, minReadySeconds, now)) status.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const revision = getPodRevision(pod);
        if (revision === base.currentRevision) status.currentReplicas++;
        if (revision === base.updateRevision) status.updatedReplicas++;
      }
    }
  }
  return status;
}

/** plan one sync; see the header */
export function planStatefulSet(input: PlanInput): Plan {
  const { set, now } = input;
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  const base: StatefulSetStatusCounts = {
    observedGeneration: set.metadata?.generation ?? 0,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision: input.currentRevision,
    updateRevision: input.updateRevision,
    collisionCount: input.collisionCount,
  };
  let status = countReplicas(base, [input.pods], minReadySeconds, now);
  const actions: PodAction[] = [];
  const start = startOrdinal(set);
  const count = Math.max(0, endOrdinal(set) - start + 1);
  const fresh = (ordinal: number) => newVersionedStatefulSetPod(input.currentSet, input.updateSet, input.currentRevision, input.updateRevision, ordinal, input.controllerRef);

  const replicas: Pod[] = new Array(count);
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
  }
  for (let i = 0; i < count; i++) replicas[i] ??= fresh(start + i);
  // highest ordinal first: that is the order they go in
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));

  // the lowest-ordinal unhealthy pod may be deleted even while unhealthy (it would block forever otherwise)
  let firstUnhealthy: Pod | undefined;
  for (const pod of [...replicas, ...condemned]) {
    if (!isHealthy(pod) && (firstUnhealthy === undefined || getOrdinal(pod) < getOrdinal(firstUnhealthy))) firstUnhealthy = pod;
  }

  const done = (): Plan => ({ actions, status });
  const recount = () => {
    status = countReplicas(base, [replicas, condemned], minReadySeconds, now);
  };

  // a set being deleted: report status only
  if (set.metadata?.deletionTimestamp) return done();
  const monotonic = !allowsBurst(set);

  // 1. every replica in range, lowest ordinal first
  for (let i = 0; i < count; i++) {
    let pod = replicas[i]!;
    if (isFailed(pod) || isSucceeded(pod)) {
      actions.push({ type: 'delete', pod, why: isFailed(pod) ? 'failed' : 'succeeded' });
      pod = replicas[i] = fresh(start + i);
    }
    if (!isCreated(pod)) {
      actions.push({ type: 'create', pod });
      if (monotonic) {
        recount();
        return done();
      }
      continue;
    }
    if (isPending(pod) && [...claimsFor(set, getOrdinal(pod)).values()].some((c) => !input.existingClaims.has(c.metadata?.name ?? ''))) {
      actions.push({ type: 'createClaims', pod });
    }
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReadySeconds, now))) {
      recount();
      return done();
    }
    if (!identityMatches(set, pod) || !storageMatches(set, pod)) actions.push({ type: 'updateIdentity', pod });
  }

  // 2. scale down: condemned pods, highest ordinal first
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) {
        recount();
        return done();
      }
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReadySeconds, now))) {
      recount();
      return done();
    }
    actions.push({ type: 'delete', pod, why: 'scaleDown' });
    if (monotonic) {
      recount();
      return done();
    }
  }

  recount();
  // 3. OnDelete: pods change revision only when a user deletes them
  if (set.spec?.updateStrategy?.type === 'OnDelete') return done();

  // 4. RollingUpdate: the highest pod not at the update revision, down to the partition
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = count - 1; target >= partition; target--) {
    const pod = replicas[target]!;
    if (getPodRevision(pod) !== input.updateRevision && !isTerminating(pod)) {
      actions.push({ type: 'delete', pod, why: 'update' });
      status = { ...status, currentReplicas: status.currentReplicas - 1 };
      return done();
    }
    if (!isHealthy(pod)) return done();
  }
  return done();
}

/**
 * completeRollingUpdate: once every replica is updated and ready, the update revision
 * becomes the current one.
 */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatusCounts): StatefulSetStatusCounts {
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    return { ...status, currentReplicas: status.updatedReplicas, currentRevision: status.updateRevision };
  }
  return status;
}

/** the status fields the controller owns, compared with what the set reports */
export function statusDiffers(set: StatefulSet, status: StatefulSetStatusCounts): boolean {
  const s = set.status ?? { replicas: 0 };
  return (
    (s.observedGeneration ?? 0) !== status.observedGeneration ||
    (s.replicas ?? 0) !== status.replicas ||
    (s.readyReplicas ?? 0) !== status.readyReplicas ||
    (s.currentReplicas ?? 0) !== status.currentReplicas ||
    (s.updatedReplicas ?? 0) !== status.updatedReplicas ||
    (s.availableReplicas ?? 0) !== status.availableReplicas ||
    (s.currentRevision ?? '') !== status.currentRevision ||
    (s.updateRevision ?? '') !== status.updateRevision ||
    (s.collisionCount ?? 0) !== status.collisionCount
  );
}
