/**
 * Which cluster changes could make a pod this plugin rejected schedulable (kube's
 * PodTopologySpread EventsToRegister and queueing hints). Only the hard constraints can
 * reject, so the hints look at those.
 *
 * Assigned pods (same namespace only; other namespaces never count):
 *  - Add / Delete: the pod matches one of the constraints' selectors (it shifts a count).
 *  - Update: its labels changed so that it now matches, or no longer matches, a selector.
 * Nodes:
 *  - Add: it carries every topology key (a new domain, or room in one).
 *  - Delete: it carried them (the global minimum may change).
 *  - Update: it gained or lost the full set of keys, or it has them and a key's value or
 *    its taints changed (taints matter under nodeTaintsPolicy Honor).
 * A hint that cannot build the constraints says Queue: a needless retry costs one cycle,
 * a missed one leaves a pod pending.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import type { ClusterEventWithHint, QueueingHint } from '../../framework/types.js';
import { nodeHasAllTopologyKeys, type SpreadConstraint } from './constraints.js';

export type ConstraintsOf = (pod: V1Pod) => SpreadConstraint[];

const assignedSameNamespace = (obj: unknown, pod: V1Pod): V1Pod | undefined => {
  const other = obj as V1Pod | undefined;
  if (!other?.spec?.nodeName) return undefined;
  return (other.metadata?.namespace ?? '') === (pod.metadata?.namespace ?? '') ? other : undefined;
};

const matchesAny = (constraints: readonly SpreadConstraint[], labels: Record<string, string> | undefined): boolean =>
  constraints.some((c) => c.matches(labels ?? {}));

function withConstraints(constraintsOf: ConstraintsOf, pod: V1Pod, decide: (c: SpreadConstraint[]) => 'Queue' | 'Skip'): 'Queue' | 'Skip' {
  let constraints: SpreadConstraint[];
  try {
    constraints = constraintsOf(pod);
  } catch {
    return 'Queue';
  }
  return decide(constraints);
}

export function podChangeHint(constraintsOf: ConstraintsOf): QueueingHint {
  return (pod, oldObj, newObj) => {
    const before = assignedSameNamespace(oldObj, pod);
    const after = assignedSameNamespace(newObj, pod);
    // an object that exists but is unassigned or elsewhere: not involved in the spreading
    if ((oldObj !== undefined && !before) || (newObj !== undefined && !after)) return 'Skip';
    return withConstraints(constraintsOf, pod, (constraints) => {
      if (before && after) {
        const a = before.metadata?.labels ?? {};
        const b = after.metadata?.labels ?? {};
        if (isDeepStrictEqual(a, b)) return 'Skip';
        return constraints.some((c) => c.matches(a) !== c.matches(b)) ? 'Queue' : 'Skip';
      }
      const changed = after ?? before;
      return changed && matchesAny(constraints, changed.metadata?.labels) ? 'Queue' : 'Skip';
    });
  };
}

export function nodeChangeHint(constraintsOf: ConstraintsOf): QueueingHint {
  return (pod, oldObj, newObj) => {
    const before = oldObj as V1Node | undefined;
    const after = newObj as V1Node | undefined;
    return withConstraints(constraintsOf, pod, (constraints) => {
      const beforeMatches = before ? nodeHasAllTopologyKeys(before.metadata?.labels ?? {}, constraints) : false;
      const afterMatches = after ? nodeHasAllTopologyKeys(after.metadata?.labels ?? {}, constraints) : false;
      if (before && after) {
        if (beforeMatches !== afterMatches) return 'Queue';
        if (!afterMatches) return 'Skip';
        const a = before.metadata?.labels ?? {};
        const b = after.metadata?.labels ?? {};
        const keyChanged = constraints.some((c) => a[c.topologyKey] !== b[c.topologyKey]);
        return keyChanged || !isDeepStrictEqual(before.spec?.taints ?? [], after.spec?.taints ?? []) ? 'Queue' : 'Skip';
      }
      return (after ? afterMatches : beforeMatches) ? 'Queue' : 'Skip';
    });
  };
}

export function podTopologySpreadEvents(constraintsOf: ConstraintsOf): ClusterEventWithHint[] {
  const podHint = podChangeHint(constraintsOf);
  const nodeHint = nodeChangeHint(constraintsOf);
  return [
    { event: { resource: 'AssignedPod', action: 'Add' }, hint: podHint },
    { event: { resource: 'AssignedPod', action: 'Update' }, hint: podHint },
    { event: { resource: 'AssignedPod', action: 'Delete' }, hint: podHint },
    { event: { resource: 'Node', action: 'Add' }, hint: nodeHint },
    { event: { resource: 'Node', action: 'Update' }, hint: nodeHint },
    { event: { resource: 'Node', action: 'Delete' }, hint: nodeHint },
  ];
}
