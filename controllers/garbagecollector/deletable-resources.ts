/**
 * Which kinds the garbage collector watches (kube's GetDeletableResources minus its
 * ignored resources): every served kind whose verbs include list, watch and delete,
 * except Events (core and events.k8s.io), which are many, short-lived, and never owners.
 * A kind served in several versions of a group is watched once, in the preferred version
 * (the caller asks discovery for preferred versions only).
 */
import type { ResourceMapping } from '../../client/types.js';

export type DiscoveredResource = ResourceMapping & { verbs: string[] };

/** kube's DefaultIgnoredResources for the garbage collector */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export const apiVersionOfMapping = (m: Pick<ResourceMapping, 'group' | 'version'>): string => (m.group ? `${m.group}/${m.version}` : m.version);

export function deletableResources(resources: DiscoveredResource[]): DiscoveredResource[] {
  const seen = new Set<string>();
  const out: DiscoveredResource[] = [];
  for (const r of resources) {
    if (IGNORED.has(`${r.group}/${r.resource}`)) continue;
    if (!['list', 'watch', 'delete'].every((v) => r.verbs.includes(v))) continue;
    const key = `${r.group}/${r.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}
