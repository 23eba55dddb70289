/**
 * InterPodAffinity's Filter decisions on one node, from the PreFilter counts (kube's
 * interpodaffinity/filtering.go). Three checks, in kube's order, each with its own
 * user-facing reason:
 *
 *  1. the incoming pod's required affinity: every term's topology key must be on the node
 *     and some pod matching all the terms must run in each of those domains.
 *     UnschedulableAndUnresolvable: evicting pods never creates a matching pod.
 *  2. the incoming pod's required anti-affinity: no matching pod in any term's domain.
 *  3. existing pods' required anti-affinity: no pod in the node's domains rejects it.
 *  2 and 3 are Unschedulable: preemption may remove the offending pods.
 */
import type { V1Node } from '@kubernetes/client-node';
import { success, unresolvable, unschedulable, type Status } from '../../framework/status.js';
import { podMatchesAllTerms } from './affinity-term.js';
import type { PreFilterState } from './prefilter-state.js';

export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";

export function satisfiesPodAffinity(state: PreFilterState, node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  let podsExist = true;
  for (const term of state.terms.requiredAffinity) {
    const value = labels[term.topologyKey];
    // a node without the topology label is in no domain at all: never a fit
    if (value === undefined) return false;
    if (state.affinity.get(term.topologyKey, value) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group whose affinity selects itself would wait forever for a
  // partner; when no pod anywhere matches and the pod matches its own terms, let it in
  // (on a node that has all the topology keys, checked above).
  return state.affinity.size === 0 && podMatchesAllTerms(state.terms.requiredAffinity, state.pod, state.namespaceLabels);
}

export function satisfiesPodAntiAffinity(state: PreFilterState, node: V1Node): boolean {
  if (state.antiAffinity.size === 0) return true;
  const labels = node.metadata?.labels ?? {};
  for (const term of state.terms.requiredAntiAffinity) {
    const value = labels[term.topologyKey];
    if (value !== undefined && state.antiAffinity.get(term.topologyKey, value) > 0) return false;
  }
  return true;
}

export function satisfiesExistingPodsAntiAffinity(state: PreFilterState, node: V1Node): boolean {
  return !state.existingAntiAffinity.anyLabelCounted(node);
}

export function filterNode(state: PreFilterState, node: V1Node): Status {
  if (!satisfiesPodAffinity(state, node)) return unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  if (!satisfiesPodAntiAffinity(state, node)) return unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
  if (!satisfiesExistingPodsAntiAffinity(state, node)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
  return success();
}
