/**
 * Which cluster changes could make a pod this plugin rejected schedulable (kube's
 * InterPodAffinity EventsToRegister and its queueing hints). Hints err on the side of
 * Queue: a needless retry costs one cycle, a missed one leaves a pod pending.
 *
 * Assigned pods:
 *  - Add: the new pod matches all the pod's required affinity terms (a partner appeared).
 *  - Update: it now matches all affinity terms and did not before, or it stopped matching
 *    one of the pod's anti-affinity terms. (Affinity is immutable in a pod's spec, so an
 *    update cannot change the existing pod's own anti-affinity.)
 *  - Delete: it matched one of the pod's anti-affinity terms, or it carried required
 *    anti-affinity (which may have been what rejected the pod).
 * Nodes: any Add (a new domain, free of conflicts); an Update that changes labels, since
 * topology domains are labels.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterEventWithHint, QueueingHint } from '../../framework/types.js';
import { affinityTermsOf, podMatchesAllTerms, termMatches, type NamespaceLabelsLookup } from './affinity-term.js';

const assigned = (obj: unknown): V1Pod | undefined => {
  const pod = obj as V1Pod | undefined;
  return pod?.spec?.nodeName ? pod : undefined;
};

export function podChangeHint(namespaceLabels: NamespaceLabelsLookup): QueueingHint {
  return (pod, oldObj, newObj) => {
    const terms = affinityTermsOf(pod);
    const before = assigned(oldObj);
    const after = assigned(newObj);
    const matchesAnyAnti = (other: V1Pod) => terms.requiredAntiAffinity.some((t) => termMatches(t, other, namespaceLabels));
    if (after && before) {
      if (!podMatchesAllTerms(terms.requiredAffinity, before, namespaceLabels) && podMatchesAllTerms(terms.requiredAffinity, after, namespaceLabels)) {
        return 'Queue';
      }
      const stoppedMatching = terms.requiredAntiAffinity.some(
        (t) => termMatches(t, before, namespaceLabels) && !termMatches(t, after, namespaceLabels),
      );
      return stoppedMatching ? 'Queue' : 'Skip';
    }
    if (after) return podMatchesAllTerms(terms.requiredAffinity, after, namespaceLabels) ? 'Queue' : 'Skip';
    if (before && newObj === undefined) {
      if (matchesAnyAnti(before)) return 'Queue';
      return affinityTermsOf(before).requiredAntiAffinity.length > 0 ? 'Queue' : 'Skip';
    }
    return 'Skip';
  };
}

export const nodeChangeHint: QueueingHint = (_pod, oldObj, newObj) => {
  const before = oldObj as V1Node | undefined;
  const after = newObj as V1Node | undefined;
  if (!after) return 'Skip';
  if (!before) return 'Queue';
  const a = before.metadata?.labels ?? {};
  const b = after.metadata?.labels ?? {};
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return 'Queue';
  return 'Skip';
};

export function interPodAffinityEvents(namespaceLabels: NamespaceLabelsLookup): ClusterEventWithHint[] {
  const podHint = podChangeHint(namespaceLabels);
  return [
    { event: { resource: 'AssignedPod', action: 'Add' }, hint: podHint },
    { event: { resource: 'AssignedPod', action: 'Update' }, hint: podHint },
    { event: { resource: 'AssignedPod', action: 'Delete' }, hint: podHint },
    { event: { resource: 'Node', action: 'Add' }, hint: nodeChangeHint },
    { event: { resource: 'Node', action: 'Update' }, hint: nodeChangeHint },
  ];
}
