/**
 * Writing a node's taints (kube's SwapNodeControllerTaint / AddOrUpdateTaintOnNode): the
 * first attempt works on the cached node, later ones on a fresh GET; each write is a merge
 * patch of spec.taints carrying the resourceVersion it was computed from, so a taint
 * another writer (the other pass of this controller, a user's `kubectl taint`) added
 * meanwhile is never lost — the patch gets 409 and is recomputed.
 */
import { isConflict, isNotFound } from '../../client/api-error.js';
import type { Clock } from '../../client/clock.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import { swapTaints, type Taint } from './taints.js';

const ATTEMPTS = 5;

export interface NodeTaintWriter {
  /** true when the node has the taints now (written or already there); false when the node is gone */
  swap(cached: KubeObject, toAdd: readonly Taint[], toRemove: readonly Taint[]): Promise<boolean>;
}

export function nodeTaintWriter(nodes: ResourceClient<KubeObject>, clock: Clock): NodeTaintWriter {
  return {
    async swap(cached, toAdd, toRemove) {
      const name = cached.metadata?.name ?? '';
      let node: KubeObject = cached;
      for (let attempt = 1; ; attempt++) {
        try {
          if (attempt > 1) node = await nodes.get(name);
          const taints = (node.spec as { taints?: Taint[] } | undefined)?.taints;
          const next = swapTaints(taints, toAdd, toRemove, clock.now());
          if (!next) return true;
          await nodes.patch(name, 'merge', { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints: next.length ? next : null } });
          return true;
        } catch (err) {
          if (isNotFound(err)) return false;
          if (!isConflict(err) || attempt >= ATTEMPTS) throw err;
        }
      }
    },
  };
}
