/**
 * How many matching terms each topology pair holds (kube's topologyToMatchedTermCount).
 * A topology pair is a node label key and its value, e.g. zone=us-east-1a: every node
 * carrying that label value is in the same domain, so a count on the pair applies to all
 * of them.
 *
 * Worked example: pod P has an anti-affinity term {app=web, topologyKey: zone}. Pods with
 * app=web run on n1 (zone=a) and n2 (zone=a). Counting them gives {zone=a: 2}; n3 (zone=a)
 * is then rejected even though no web pod runs on it, while n4 (zone=b) passes.
 *
 * Counts go down as well as up (preemption removes pods through PreFilterExtensions), and
 * a pair that drops to zero is deleted so `size` means "some pair has a match".
 */
import type { V1Node } from '@kubernetes/client-node';

const pairKey = (key: string, value: string): string => `${key}\u0000${value}`;

export class TopologyCounts {
  private readonly counts = new Map<string, number>();

  get size(): number {
    return this.counts.size;
  }

  /** the count of key=value (0 when absent) */
  get(key: string, value: string): number {
    return this.counts.get(pairKey(key, value)) ?? 0;
  }

  /** add delta to the pair the node has for topologyKey; a node without the label is no domain and is skipped */
  update(node: V1Node, topologyKey: string, delta: number): void {
    const value = node.metadata?.labels?.[topologyKey];
    if (value === undefined) return;
    const k = pairKey(topologyKey, value);
    const next = (this.counts.get(k) ?? 0) + delta;
    if (next === 0) this.counts.delete(k);
    else this.counts.set(k, next);
  }

  /** true when any of the node's labels is a pair with a positive count */
  anyLabelCounted(node: V1Node): boolean {
    if (this.counts.size === 0) return false;
    for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
      if (this.get(key, value) > 0) return true;
    }
    return false;
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, v] of this.counts) c.counts.set(k, v);
    return c;
  }

  /** a plain view for tests and logs: "key=value" → count */
  toObject(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.counts) out[k.replace('\u0000', '=')] = v;
    return out;
  }
}
