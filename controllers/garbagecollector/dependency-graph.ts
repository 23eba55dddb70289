/**
 * The ownership graph (kube's GraphBuilder + uidToNode): one node per object uid, edges
 * from each dependent to the owners its ownerReferences name. Informer events change the
 * graph here, synchronously and without I/O, and say which nodes the collector must look
 * at next; the collector's workers do the I/O.
 *
 * Worked example. A ReplicaSet rs (uid R) owns pod p (uid P, ownerReferences [R]):
 *
 *   observe p   → node P {owners: [R]}; R is not in the graph yet, so a VIRTUAL node R is
 *                 made (known only from P's reference) and R goes to attemptToDelete: the
 *                 collector GETs it to learn whether it exists at all.
 *   observe rs  → node R becomes real (observed); nothing to do.
 *   delete rs   → node R leaves the graph; its dependents (P) go to attemptToDelete, where
 *                 the collector finds R absent and deletes P.
 *   rs deleted with propagationPolicy=Foreground → rs is updated with deletionTimestamp and
 *                 the foregroundDeletion finalizer: R is marked deletingDependents, R and
 *                 its dependents go to attemptToDelete (P is deleted; once no dependent
 *                 blocks, R's finalizer is removed).
 *   rs deleted with propagationPolicy=Orphan → R goes to attemptToOrphan.
 *
 * Virtual nodes are how "the owner never existed" and "the owner went away while the
 * collector was down" are noticed: a virtual node the collector cannot GET gets a virtual
 * delete event, which removes it and sends its dependents to attemptToDelete.
 */
import type { KubeObject } from '../../client/types.js';
import type { AbsentOwnerCache } from './absent-owner-cache.js';
import {
  FOREGROUND_FINALIZER,
  identityOfOwner,
  isBeingDeleted,
  isWaitingFor,
  ORPHAN_FINALIZER,
  sameCoordinates,
  startsWaitingFor,
  type ObjectIdentity,
  type OwnerReference,
} from './object-identity.js';

export interface GraphNode {
  identity: ObjectIdentity;
  /** the object's ownerReferences as last observed ([] for a virtual node) */
  owners: OwnerReference[];
  dependents: Set<GraphNode>;
  /** known only from a dependent's ownerReference: no informer has shown it (yet) */
  virtual: boolean;
  beingDeleted: boolean;
  /** being deleted in the foreground: waits for its blocking dependents */
  deletingDependents: boolean;
}

export type GraphEvent =
  /** an informer's add or update; `old` is undefined for an add */
  | { type: 'observed'; identity: ObjectIdentity; object: KubeObject; old?: KubeObject }
  /** an informer's delete */
  | { type: 'deleted'; identity: ObjectIdentity }
  /** the collector verified (by a live GET) that nothing with this identity exists */
  | { type: 'virtualDeleted'; identity: ObjectIdentity };

/** what the collector must do after an event: uids to enqueue */
export interface GraphFollowUp {
  attemptToDelete: string[];
  attemptToOrphan: string[];
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  constructor(private readonly absentOwners: AbsentOwnerCache) {}

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  apply(event: GraphEvent): GraphFollowUp {
    const out: GraphFollowUp = { attemptToDelete: [], attemptToOrphan: [] };
    if (!event.identity.uid) return out;
    if (event.type === 'observed') this.observe(event.identity, event.object, event.old, out);
    else if (event.type === 'deleted') this.removeObserved(event.identity, out);
    else this.removeVirtual(event.identity, out);
    out.attemptToDelete = [...new Set(out.attemptToDelete)];
    out.attemptToOrphan = [...new Set(out.attemptToOrphan)];
    return out;
  }

  private observe(identity: ObjectIdentity, obj: KubeObject, old: KubeObject | undefined, out: GraphFollowUp): void {
    const refs = structuredClone(obj.metadata?.ownerReferences ?? []);
    let node = this.nodes.get(identity.uid);
    if (!node) {
      node = { identity, owners: refs, dependents: new Set(), virtual: false, beingDeleted: isBeingDeleted(obj), deletingDependents: false };
      this.nodes.set(identity.uid, node);
      this.addDependentToOwners(node, refs, out);
    } else {
      if (node.virtual) {
        node.virtual = false;
        // dependents guessed our coordinates from their references; if they guessed wrong,
        // let each of them check its own reference again
        if (!sameCoordinates(node.identity, identity)) out.attemptToDelete.push(...[...node.dependents].map((d) => d.identity.uid));
      }
      node.identity = identity;
      const { added, removed, unblocked } = referencesDiff(node.owners, refs);
      if (added.length || removed.length || unblocked.length) {
        // a dependent that stops blocking may let a foreground owner finish
        for (const ref of [...removed.filter((r) => r.blockOwnerDeletion === true), ...unblocked]) {
          const owner = this.nodes.get(ref.uid);
          if (owner?.deletingDependents) out.attemptToDelete.push(owner.identity.uid);
        }
        node.owners = refs;
        this.addDependentToOwners(node, added, out);
        this.removeDependentFromOwners(node, removed);
      }
      if (isBeingDeleted(obj)) node.beingDeleted = true;
    }
    // transitions (also on the first sight of an object already waiting: that is how a
    // restarted collector picks up deletions that were in progress)
    if (startsWaitingFor(old, obj, ORPHAN_FINALIZER)) {
      out.attemptToOrphan.push(node.identity.uid);
      return;
    }
    if (isWaitingFor(obj, FOREGROUND_FINALIZER) && !node.deletingDependents) {
      node.deletingDependents = true;
      for (const dependent of node.dependents) out.attemptToDelete.push(dependent.identity.uid);
      out.attemptToDelete.push(node.identity.uid);
    }
  }

  private addDependentToOwners(node: GraphNode, refs: OwnerReference[], out: GraphFollowUp): void {
    for (const ref of refs) {
      let owner = this.nodes.get(ref.uid);
      if (!owner) {
        // never seen: a virtual node, checked with a live GET by the collector
        owner = {
          identity: identityOfOwner(ref, node.identity.namespace),
          owners: [],
          dependents: new Set(),
          virtual: true,
          beingDeleted: false,
          deletingDependents: false,
        };
        this.nodes.set(ref.uid, owner);
        out.attemptToDelete.push(ref.uid);
      } else if (owner.deletingDependents) {
        // a new dependent of an owner being deleted in the foreground goes too
        out.attemptToDelete.push(node.identity.uid);
      }
      owner.dependents.add(node);
    }
  }

  private removeDependentFromOwners(node: GraphNode, refs: OwnerReference[]): void {
    for (const ref of refs) {
      const owner = this.nodes.get(ref.uid);
      if (!owner) continue;
      owner.dependents.delete(node);
      // a virtual owner nobody references any more is forgotten
      if (owner.virtual && owner.dependents.size === 0) this.nodes.delete(ref.uid);
    }
  }

  private removeObserved(identity: ObjectIdentity, out: GraphFollowUp): void {
    const node = this.nodes.get(identity.uid);
    if (!node) return;
    this.removeNode(node, identity, out);
  }

  private removeVirtual(identity: ObjectIdentity, out: GraphFollowUp): void {
    const node = this.nodes.get(identity.uid);
    if (!node) return;
    if (!node.virtual && !sameCoordinates(node.identity, identity)) {
      // an observed object disagrees with the coordinates that were found absent: keep it,
      // and let the dependents that used those coordinates check their references again
      this.absentOwners.add(identity);
      out.attemptToDelete.push(...[...node.dependents].map((d) => d.identity.uid));
      return;
    }
    this.removeNode(node, identity, out);
  }

  private removeNode(node: GraphNode, identity: ObjectIdentity, out: GraphFollowUp): void {
    this.nodes.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
    if (node.dependents.size > 0) this.absentOwners.add(identity);
    for (const dependent of node.dependents) out.attemptToDelete.push(dependent.identity.uid);
    // a foreground owner may now have no blocking dependents left
    for (const ref of node.owners) {
      const owner = this.nodes.get(ref.uid);
      if (owner?.deletingDependents) out.attemptToDelete.push(owner.identity.uid);
    }
  }
}

/** the dependents of `node` that block its foreground deletion (blockOwnerDeletion=true) */
export function blockingDependents(node: GraphNode): GraphNode[] {
  return [...node.dependents].filter((d) => d.owners.some((ref) => ref.uid === node.identity.uid && ref.blockOwnerDeletion === true));
}

/** owner references added and removed (by uid), and those whose blockOwnerDeletion went from true to not */
export function referencesDiff(
  oldRefs: OwnerReference[],
  newRefs: OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; unblocked: OwnerReference[] } {
  const oldByUid = new Map(oldRefs.map((r) => [r.uid, r]));
  const newByUid = new Map(newRefs.map((r) => [r.uid, r]));
  const added = newRefs.filter((r) => !oldByUid.has(r.uid));
  const removed = oldRefs.filter((r) => !newByUid.has(r.uid));
  const unblocked = newRefs.filter((r) => oldByUid.get(r.uid)?.blockOwnerDeletion === true && r.blockOwnerDeletion !== true);
  return { added, removed, unblocked };
}
