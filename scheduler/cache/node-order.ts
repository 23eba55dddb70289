/**
 * The order the scheduler walks nodes in (kube's nodeTree): zones interleaved — the first
 * node of each zone, then the second of each, … — so that stopping early at
 * percentageOfNodesToScore still looks at every zone. Within a zone, by name.
 */
import type { NodeInfo } from '../framework/node-info.js';

const ZONE_LABEL = 'topology.kubernetes.io/zone';
const REGION_LABEL = 'topology.kubernetes.io/region';

export function nodeOrder(nodes: readonly NodeInfo[]): NodeInfo[] {
  const zones = new Map<string, NodeInfo[]>();
  for (const n of nodes) {
    const labels = n.node?.metadata?.labels ?? {};
    const zone = `${labels[REGION_LABEL] ?? ''}:\u0000:${labels[ZONE_LABEL] ?? ''}`;
    let list = zones.get(zone);
    if (!list) zones.set(zone, (list = []));
    list.push(n);
  }
  if (zones.size <= 1) return [...nodes].sort(byName);
  const lists = [...zones.keys()].sort().map((z) => zones.get(z)!.sort(byName));
  const out: NodeInfo[] = [];
  for (let i = 0; out.length < nodes.length; i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

const byName = (a: NodeInfo, b: NodeInfo) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
