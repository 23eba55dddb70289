/**
 * What to do with a dependent once each of its owners has been looked up (kube's
 * classifyReferences + the switch in attemptToDeleteItem), and the patches that do it.
 * Pure: the collector gathers the facts (live GETs), this decides.
 *
 * Each ownerReference is one of
 *   solid    the owner exists and is not being deleted in the foreground
 *   dangling the owner does not exist (404, or the name now belongs to another uid)
 *   waiting  the owner exists, being deleted in the foreground (foregroundDeletion)
 *
 *   some solid, none other      → nothing (the steady state: no writes)
 *   some solid, some other      → patch away just the dangling and waiting references
 *   none solid, some waiting, and the dependent has dependents of its own
 *                               → delete it in the foreground too (after unblocking its
 *                                 references if one of its dependents is itself deleting
 *                                 dependents: a cycle would wait forever)
 *   otherwise                   → delete it; the policy honours a finalizer it already has
 *                                 (orphan → Orphan, foregroundDeletion → Foreground),
 *                                 else Background
 */
import type { KubeObject } from '../../client/types.js';
import { FOREGROUND_FINALIZER, hasFinalizer, ORPHAN_FINALIZER, type OwnerReference } from './object-identity.js';

export type OwnerState = 'solid' | 'dangling' | 'waiting';

export interface ClassifiedOwner {
  ref: OwnerReference;
  state: OwnerState;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export type DependentPlan =
  | { action: 'none' }
  | { action: 'removeOwnerReferences'; uids: string[] }
  | { action: 'delete'; policy: PropagationPolicy; unblockOwnerReferences?: boolean };

/** kube's classification of one owner, from what a live GET found (undefined: absent) */
export function classifyOwner(ref: OwnerReference, owner: KubeObject | undefined): OwnerState {
  if (!owner || owner.metadata?.uid !== ref.uid) return 'dangling';
  if (owner.metadata?.deletionTimestamp && hasFinalizer(owner, FOREGROUND_FINALIZER)) return 'waiting';
  return 'solid';
}

export function planForDependent(
  dependent: KubeObject,
  owners: ClassifiedOwner[],
  graph: { hasDependents: boolean; aDependentIsDeletingDependents: boolean },
): DependentPlan {
  if (owners.length === 0) return { action: 'none' };
  const solid = owners.filter((o) => o.state === 'solid');
  const other = owners.filter((o) => o.state !== 'solid');
  if (solid.length > 0) {
    if (other.length === 0) return { action: 'none' };
    return { action: 'removeOwnerReferences', uids: other.map((o) => o.ref.uid) };
  }
  if (owners.some((o) => o.state === 'waiting') && graph.hasDependents) {
    return { action: 'delete', policy: 'Foreground', ...(graph.aDependentIsDeletingDependents ? { unblockOwnerReferences: true } : {}) };
  }
  if (hasFinalizer(dependent, ORPHAN_FINALIZER)) return { action: 'delete', policy: 'Orphan' };
  if (hasFinalizer(dependent, FOREGROUND_FINALIZER)) return { action: 'delete', policy: 'Foreground' };
  return { action: 'delete', policy: 'Background' };
}

/**
 * A JSON merge patch keeping every ownerReference but those of `uids` (kube's
 * deleteOwnerRefJSONMergePatch). It carries the resourceVersion it was computed from, so
 * a concurrent change of the list answers 409 and the collector recomputes, instead of
 * overwriting a reference someone just added.
 */
export function removeOwnerReferencesPatch(obj: KubeObject, uids: string[]): { metadata: { resourceVersion?: string; ownerReferences: OwnerReference[] | null } } {
  const drop = new Set(uids);
  const kept = (obj.metadata?.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
  return { metadata: { ...resourceVersionOf(obj), ownerReferences: kept.length ? kept : null } };
}

/** every blockOwnerDeletion=true reference turned false (kube's unblockOwnerReferences), or undefined if none blocks */
export function unblockOwnerReferencesPatch(obj: KubeObject): { metadata: { resourceVersion?: string; ownerReferences: OwnerReference[] } } | undefined {
  const refs = obj.metadata?.ownerReferences ?? [];
  if (!refs.some((r) => r.blockOwnerDeletion === true)) return undefined;
  const unblocked = refs.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r));
  return { metadata: { ...resourceVersionOf(obj), ownerReferences: unblocked } };
}

/** the finalizers without `finalizer`, as a JSON merge patch with a resourceVersion precondition; undefined if it is not there */
export function removeFinalizerPatch(obj: KubeObject, finalizer: string): { metadata: { resourceVersion?: string; finalizers: string[] | null } } | undefined {
  const finalizers = obj.metadata?.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return undefined;
  const kept = finalizers.filter((f) => f !== finalizer);
  return { metadata: { ...resourceVersionOf(obj), finalizers: kept.length ? kept : null } };
}

const resourceVersionOf = (obj: KubeObject) => (obj.metadata?.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {});
