/**
 * kube's history.Interface over the API: create a ControllerRevision (finding a free name
 * when the hash collides with a revision holding other data), renumber one (a rollback
 * to an old template makes that revision the newest), delete one, and truncate history to
 * revisionHistoryLimit. Reads come from the caller's cache; only writes go to the server.
 */
import { isAlreadyExists, isNotFound } from '../../client/api-error.js';
import type { KubeClient, ResourceClient } from '../../client/types.js';
import { CONTROLLER_FIELD_MANAGER } from '../common/pod-control.js';
import { canonicalJson, controllerRevisionName, CONTROLLER_REVISION_HASH_LABEL, hashControllerRevision, type ControllerRevision } from './controller-revision.js';

/** how many hash collisions in a row we try before giving up for this sync */
const MAX_COLLISION_RETRIES = 10;

export class ControllerHistory {
  readonly revisions: ResourceClient<ControllerRevision>;

  constructor(client: KubeClient) {
    this.revisions = client.resource<ControllerRevision>('apps/v1', 'ControllerRevision');
  }

  /**
   * CreateControllerRevision: create `revision` under the name its hash and the collision
   * count give; when that name holds different data, count a collision and try the next.
   * Returns the revision (ours, or an equal one that was already there) and the count.
   */
  async create(ownerName: string, revision: ControllerRevision, collisionCount: number): Promise<{ revision: ControllerRevision; collisionCount: number }> {
    const namespace = revision.metadata?.namespace ?? '';
    let count = collisionCount;
    for (let attempt = 0; attempt <= MAX_COLLISION_RETRIES; attempt++) {
      const hash = hashControllerRevision(revision.data, count);
      const clone = structuredClone(revision);
      clone.metadata = { ...clone.metadata, name: controllerRevisionName(ownerName, hash), labels: { ...clone.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } };
      try {
        return { revision: await this.revisions.create(clone, { fieldManager: CONTROLLER_FIELD_MANAGER }), collisionCount: count };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await this.revisions.get(clone.metadata.name ?? '', { namespace });
        if (canonicalJson(existing.data) === canonicalJson(clone.data)) return { revision: existing, collisionCount: count };
        count++;
      }
    }
    throw new Error(`could not find a free ControllerRevision name for ${namespace}/${ownerName} after ${MAX_COLLISION_RETRIES} hash collisions`);
  }

  /** UpdateControllerRevision: give an existing revision a new revision number */
  async renumber(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
    if (Number(revision.revision) === newRevision) return revision;
    const clone = structuredClone(revision);
    clone.revision = newRevision;
    return this.revisions.update(clone, { fieldManager: CONTROLLER_FIELD_MANAGER });
  }

  /** delete a revision; one already gone is fine */
  async delete(revision: ControllerRevision): Promise<void> {
    try {
      await this.revisions.delete(revision.metadata?.name ?? '', { namespace: revision.metadata?.namespace ?? '' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/**
 * The revisions truncateHistory deletes: those not live (not the current or update
 * revision and not named by any pod), oldest first, beyond `limit`.
 */
export function revisionsToTruncate(sorted: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): ControllerRevision[] {
  const history = sorted.filter((r) => !live.has(r.metadata?.name ?? ''));
  const excess = history.length - Math.max(0, limit);
  return excess > 0 ? history.slice(0, excess) : [];
}
