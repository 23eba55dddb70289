/**
 * Controller references (metav1.GetControllerOf / NewControllerRef): the one ownerReference
 * with controller=true names the object that manages this one. Controllers create their
 * objects with blockOwnerDeletion=true so a foreground delete of the owner waits for them.
 */
import type { KubeObject, ObjectMeta } from '../../client/types.js';

export type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number];

export const getControllerOf = (obj: KubeObject | undefined): OwnerReference | undefined =>
  obj?.metadata?.ownerReferences?.find((ref) => ref.controller === true);

/** the controllerRef to put on objects `owner` creates; apiVersion/kind are the owner's */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** true when `obj`'s controller is `owner` (matched by uid, as kube does) */
export const isControlledBy = (obj: KubeObject, owner: KubeObject): boolean => {
  const ref = getControllerOf(obj);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
};
