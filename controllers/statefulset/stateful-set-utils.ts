/**
 * The identity rules of a StatefulSet's pods (kube's stateful_set_utils.go), pure:
 *
 *   set "web", ordinals.start 0, replicas 3 → pods web-0, web-1, web-2
 *   pod web-1: hostname web-1, subdomain <serviceName>, labels
 *     statefulset.kubernetes.io/pod-name=web-1, apps.kubernetes.io/pod-index=1,
 *     controller-revision-hash=<revision name>
 *   claim template "data" → PVC data-web-1, mounted as volume "data"
 *
 * A pod is the set's when its name parses as `<set name>-<ordinal>`; ordinals outside
 * [start, start+replicas) are condemned (scale down removes them, highest first).
 */
import type { V1PersistentVolumeClaim, V1Pod, V1StatefulSet, V1Volume } from '@kubernetes/client-node';
import type { KubeObject } from '../../client/types.js';
import type { OwnerReference } from '../common/controller-ref.js';
import { podFromTemplate } from '../common/pod-control.js';
import { isPodAvailable, isPodReady } from '../common/pod-status.js';

export type StatefulSet = V1StatefulSet & KubeObject;
export type Pod = V1Pod & KubeObject;

export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** apps.ControllerRevisionHashLabelKey: on a StatefulSet's pods it holds the revision's NAME */
export const CONTROLLER_REVISION_HASH_POD_LABEL = 'controller-revision-hash';

const ORDINAL_NAME = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: ("web", 1) for "web-1"; ordinal -1 when the name does not parse */
export function parentNameAndOrdinal(pod: KubeObject): { parent: string; ordinal: number } {
  const m = ORDINAL_NAME.exec(pod.metadata?.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) ? { parent: m[1]!, ordinal } : { parent: '', ordinal: -1 };
}

export const getOrdinal = (pod: KubeObject): number => parentNameAndOrdinal(pod).ordinal;

export const replicasOf = (set: StatefulSet): number => set.spec?.replicas ?? 1;
export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;
/** the last ordinal in range (start - 1 when replicas is 0) */
export const endOrdinal = (set: StatefulSet): number => startOrdinal(set) + replicasOf(set) - 1;

export const podInOrdinalRange = (pod: KubeObject, set: StatefulSet): boolean => {
  const ord = getOrdinal(pod);
  return ord >= startOrdinal(set) && ord <= endOrdinal(set);
};

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata?.name}-${ordinal}`;

/** isMemberOf: the pod's name says it belongs to this set */
export const isMemberOf = (set: StatefulSet, pod: KubeObject): boolean => parentNameAndOrdinal(pod).parent === set.metadata?.name;

export const claimName = (set: StatefulSet, claim: V1PersistentVolumeClaim, ordinal: number): string => `${claim.metadata?.name}-${set.metadata?.name}-${ordinal}`;

export const getPodRevision = (pod: KubeObject): string | undefined => pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_POD_LABEL];

export const allowsBurst = (set: StatefulSet): boolean => set.spec?.podManagementPolicy === 'Parallel';

// pod predicates of the StatefulSet controller
/** isCreated: the server has seen it (it has a phase) */
export const isCreated = (pod: V1Pod): boolean => Boolean(pod.status?.phase);
export const isFailed = (pod: V1Pod): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: V1Pod): boolean => pod.status?.phase === 'Succeeded';
export const isPending = (pod: V1Pod): boolean => pod.status?.phase === 'Pending';
export const isTerminating = (pod: V1Pod): boolean => Boolean(pod.metadata?.deletionTimestamp);
export const isRunningAndReady = (pod: V1Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: V1Pod, minReadySeconds: number, now: number): boolean =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);
/** isHealthy: running, ready and not being deleted */
export const isHealthy = (pod: V1Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);

/**
 * getPersistentVolumeClaims: the claims the pod's ordinal needs, keyed by template name,
 * in template order. Each carries the set's selector labels (so they are found later).
 */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, V1PersistentVolumeClaim> {
  const claims = new Map<string, V1PersistentVolumeClaim>();
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const claim = structuredClone(template) as V1PersistentVolumeClaim;
    const name = template.metadata?.name ?? '';
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = { ...claim.metadata, name: claimName(set, template, ordinal), namespace: set.metadata?.namespace ?? '', labels: { ...claim.metadata?.labels, ...selectorLabels } };
    delete claim.status;
    delete (claim.metadata as Record<string, unknown>).creationTimestamp;
    claims.set(name, claim);
  }
  return claims;
}

/** identityMatches: name, namespace and pod-name label are what the ordinal says */
export function identityMatches(set: StatefulSet, pod: V1Pod): boolean {
  const { parent, ordinal } = parentNameAndOrdinal(pod as KubeObject);
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[STATEFULSET_POD_NAME_LABEL] === pod.metadata?.name
  );
}

/** storageMatches: every claim template is mounted from this ordinal's claim */
export function storageMatches(set: StatefulSet, pod: V1Pod): boolean {
  const ordinal = getOrdinal(pod as KubeObject);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const volume = volumes.get(template.metadata?.name ?? '');
    if (volume?.persistentVolumeClaim?.claimName !== claimName(set, template, ordinal)) return false;
  }
  return true;
}

/** updateIdentity: name, namespace and the identity labels */
export function updateIdentity(set: StatefulSet, pod: V1Pod): void {
  const ordinal = getOrdinal(pod as KubeObject);
  pod.metadata = { ...pod.metadata };
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata?.namespace ?? '';
  pod.metadata.labels = { ...pod.metadata.labels, [STATEFULSET_POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** updateStorage: claim volumes first (template order), then the pod's other volumes */
export function updateStorage(set: StatefulSet, pod: V1Pod): void {
  const claims = claimsFor(set, getOrdinal(pod as KubeObject));
  const volumes: V1Volume[] = [...claims].map(([name, claim]) => ({ name, persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' } }));
  for (const v of pod.spec?.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  if (pod.spec) pod.spec.volumes = volumes;
}

/** newStatefulSetPod: the template's pod with the ordinal's name, identity and storage */
export function newStatefulSetPod(set: StatefulSet, ordinal: number, controllerRef: OwnerReference): Pod {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(set.metadata?.namespace ?? '', set.spec?.template ?? {}, controllerRef, { name }) as Pod;
  updateIdentity(set, pod);
  // initIdentity: a stable DNS name <pod>.<serviceName>
  pod.spec = { ...pod.spec!, hostname: name };
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

const setPodRevision = (pod: Pod, revision: string): void => {
  pod.metadata = { ...pod.metadata, labels: { ...pod.metadata?.labels, [CONTROLLER_REVISION_HASH_POD_LABEL]: revision } };
};

/**
 * newVersionedStatefulSetPod: under RollingUpdate, ordinals below the partition (or, with
 * no rollingUpdate, below the current replica count) are (re)created at the CURRENT
 * revision; all others at the update revision.
 */
export function newVersionedStatefulSetPod(
  currentSet: StatefulSet,
  updateSet: StatefulSet,
  currentRevision: string,
  updateRevision: string,
  ordinal: number,
  controllerRef: OwnerReference,
): Pod {
  const strategy = currentSet.spec?.updateStrategy;
  const rolling = strategy?.type === 'RollingUpdate' || strategy?.type === undefined;
  const start = startOrdinal(currentSet);
  const belowPartition = strategy?.rollingUpdate
    ? ordinal < start + (strategy.rollingUpdate.partition ?? 0)
    : ordinal < start + (currentSet.status?.currentReplicas ?? 0);
  if (rolling && belowPartition) {
    const pod = newStatefulSetPod(currentSet, ordinal, controllerRef);
    setPodRevision(pod, currentRevision);
    return pod;
  }
  const pod = newStatefulSetPod(updateSet, ordinal, controllerRef);
  setPodRevision(pod, updateRevision);
  return pod;
}
