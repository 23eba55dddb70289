/**
 * kube's ControllerRefManager (ClaimPods, ClaimReplicaSets, ClaimControllerRevisions):
 * which of the objects a controller's selector finds are ITS objects, fixing ownership on
 * the way:
 *   - owned by this owner (controllerRef uid) and still matching → claimed;
 *   - owned by this owner but no longer matching → released (our ref removed), unless the
 *     owner is being deleted;
 *   - owned by another controller → ignored;
 *   - an orphan that matches, is not being deleted, in the owner's namespace → adopted
 *     (our controllerRef added), but only after a fresh read of the owner shows the same
 *     uid and no deletionTimestamp (kube's RecheckDeletionTimestamp: never adopt for an
 *     owner that a stale cache still shows alive).
 * Ownership writes are JSON merge patches of metadata.ownerReferences carrying the
 * object's resourceVersion, so a concurrent change makes them fail with 409 instead of
 * clobbering it; the controller's work queue retries. An object already gone is skipped.
 */
import { isNotFound } from '../../client/api-error.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import { getControllerOf, type OwnerReference } from './controller-ref.js';
import { CONTROLLER_FIELD_MANAGER } from './pod-control.js';

export interface ClaimOptions<T extends KubeObject> {
  /** the controller object (from the cache) */
  owner: KubeObject;
  /** newControllerRef(owner, …): what adoption adds */
  controllerRef: OwnerReference;
  /** the selector's verdict on an object */
  matches(obj: T): boolean;
  /** candidates: usually every object of the kind in the owner's namespace */
  objects: readonly T[];
  /** writes ownership patches */
  client: ResourceClient<T>;
  /** a fresh (uncached) read of the owner; undefined when it is gone */
  recheckOwner(): Promise<KubeObject | undefined>;
}

export async function claimObjects<T extends KubeObject>(o: ClaimOptions<T>): Promise<T[]> {
  const ownerUid = o.owner.metadata?.uid;
  const ownerDeleting = Boolean(o.owner.metadata?.deletionTimestamp);
  const claimed: T[] = [];
  const errors: unknown[] = [];
  let canAdopt: Promise<void> | undefined;
  const ensureCanAdopt = () =>
    (canAdopt ??= o.recheckOwner().then((fresh) => {
      if (!fresh || fresh.metadata?.uid !== ownerUid) throw new Error(`original ${o.controllerRef.kind} ${o.owner.metadata?.namespace}/${o.owner.metadata?.name} is gone: got uid ${fresh?.metadata?.uid}, wanted ${ownerUid}`);
      if (fresh.metadata?.deletionTimestamp) throw new Error(`${o.controllerRef.kind} ${o.owner.metadata?.namespace}/${o.owner.metadata?.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }));

  for (const obj of o.objects) {
    const ref = getControllerOf(obj);
    try {
      if (ref) {
        if (ref.uid !== ownerUid) continue;
        if (o.matches(obj)) {
          claimed.push(obj);
          continue;
        }
        if (ownerDeleting) continue;
        await patchOwners(o.client, obj, (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerUid));
        continue;
      }
      if (ownerDeleting || !o.matches(obj) || obj.metadata?.deletionTimestamp) continue;
      if (o.owner.metadata?.namespace && o.owner.metadata.namespace !== obj.metadata?.namespace) continue;
      await ensureCanAdopt();
      const adopted = await patchOwners(o.client, obj, [...(obj.metadata?.ownerReferences ?? []), { ...o.controllerRef }]);
      if (adopted) claimed.push(adopted);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length) throw errors[0];
  return claimed;
}

/** set metadata.ownerReferences, guarded by the object's resourceVersion; undefined when it is gone */
async function patchOwners<T extends KubeObject>(client: ResourceClient<T>, obj: T, ownerReferences: NonNullable<KubeObject['metadata']>['ownerReferences']): Promise<T | undefined> {
  const meta = obj.metadata ?? {};
  const patch = { metadata: { ownerReferences: ownerReferences?.length ? ownerReferences : null, resourceVersion: meta.resourceVersion, uid: meta.uid } };
  try {
    return await client.patch(meta.name ?? '', 'merge', patch, { fieldManager: CONTROLLER_FIELD_MANAGER, ...(meta.namespace ? { namespace: meta.namespace } : {}) });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
