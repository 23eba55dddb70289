/**
 * NodeAffinity's PreFilter shortcut: when every required term pins metadata.name with In,
 * only the union of those names can fit, so the framework filters just those nodes.
 */
import type { V1NodeSelectorTerm } from '@kubernetes/client-node';

/**
 * The node names the required terms allow, or undefined when some term does not pin
 * names (terms are ORed, so then any node may fit). An empty set means the terms
 * contradict each other and nothing fits.
 */
export function requiredNodeNames(terms: readonly V1NodeSelectorTerm[]): Set<string> | undefined {
  let union: Set<string> | undefined;
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      // requirements inside a term are ANDed: intersect
      names = names === undefined ? values : new Set([...names].filter((n) => values.has(n)));
    }
    if (names === undefined) return undefined;
    union ??= new Set();
    for (const n of names) union.add(n);
  }
  return union;
}
