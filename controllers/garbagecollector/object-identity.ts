/**
 * Who an object is, for the garbage collector (kube's objectReference): its coordinates
 * (apiVersion, kind, namespace, name) and its uid. The uid is what ownerReferences point
 * at, so the graph is keyed by it; the coordinates are how the collector GETs, patches
 * and deletes the object. Also the small predicates on finalizers the collector reads.
 */
import type { KubeObject, ObjectMeta } from '../../client/types.js';

export type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number];

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped objects */
  namespace: string;
  name: string;
  uid: string;
}

/** kube's metav1.FinalizerDeleteDependents: the owner waits until its blocking dependents are gone */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** kube's metav1.FinalizerOrphanDependents: the dependents lose their ownerReference, then the owner goes */
export const ORPHAN_FINALIZER = 'orphan';

export function identityOf(obj: KubeObject, apiVersion: string, kind: string): ObjectIdentity {
  const meta = obj.metadata ?? {};
  return { apiVersion, kind, namespace: meta.namespace ?? '', name: meta.name ?? '', uid: meta.uid ?? '' };
}

/** the identity an ownerReference names, assuming the owner lives in `namespace` (the dependent's) */
export function identityOfOwner(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, namespace, name: ref.name, uid: ref.uid };
}

export const sameCoordinates = (a: ObjectIdentity, b: ObjectIdentity): boolean =>
  a.uid === b.uid && a.apiVersion === b.apiVersion && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/** kube's objectReference.String(), used in log lines and events */
export const describeIdentity = (id: ObjectIdentity): string =>
  `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;

export const isBeingDeleted = (obj: KubeObject | undefined): boolean => Boolean(obj?.metadata?.deletionTimestamp);

export const hasFinalizer = (obj: KubeObject | undefined, finalizer: string): boolean => obj?.metadata?.finalizers?.includes(finalizer) ?? false;

/** being deleted and waiting on `finalizer` (foregroundDeletion or orphan) */
export const isWaitingFor = (obj: KubeObject | undefined, finalizer: string): boolean => isBeingDeleted(obj) && hasFinalizer(obj, finalizer);

/** true on the transition into "deleted, waiting on `finalizer`" (or when first seen that way) */
export const startsWaitingFor = (oldObj: KubeObject | undefined, newObj: KubeObject, finalizer: string): boolean =>
  isWaitingFor(newObj, finalizer) && !isWaitingFor(oldObj, finalizer);
