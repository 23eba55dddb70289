/**
 * What PreFilter computes once per pod so Filter is a few map lookups per node (kube's
 * interpodaffinity preFilterState):
 *
 *  - existingAntiAffinity: for each topology pair, how many required anti-affinity terms
 *    of pods already running there select the incoming pod (only nodes in
 *    snapshot.havePodsWithRequiredAntiAffinityList() can contribute);
 *  - affinity: for each topology pair, how many existing pods there match ALL of the
 *    incoming pod's required affinity terms (counted once per term's topology key);
 *  - antiAffinity: for each topology pair, how many existing pods there match each of the
 *    incoming pod's required anti-affinity terms.
 *
 * updateWithPod keeps the three counts right when preemption adds or removes a pod on a
 * cloned state (PreFilterExtensions), so the what-if Filter needs no recomputation.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import {
  affinityTermsOf,
  podMatchesAllTerms,
  termMatches,
  type AffinityTerm,
  type NamespaceLabelsLookup,
  type PodAffinityTerms,
} from './affinity-term.js';
import { TopologyCounts } from './topology-counts.js';

export const PRE_FILTER_STATE_KEY = 'PreFilterInterPodAffinity';

export class PreFilterState implements StateData {
  constructor(
    readonly pod: V1Pod,
    readonly terms: PodAffinityTerms,
    /** namespace labels, cached for this cycle */
    readonly namespaceLabels: NamespaceLabelsLookup,
    readonly existingAntiAffinity: TopologyCounts,
    readonly affinity: TopologyCounts,
    readonly antiAffinity: TopologyCounts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.pod,
      this.terms,
      this.namespaceLabels,
      this.existingAntiAffinity.clone(),
      this.affinity.clone(),
      this.antiAffinity.clone(),
    );
  }

  /** account for `other` appearing on (multiplier 1) or leaving (-1) the node */
  updateWithPod(other: V1Pod, node: V1Node, multiplier: 1 | -1): void {
    addAntiAffinityMatches(this.existingAntiAffinity, affinityTermsOf(other).requiredAntiAffinity, this.pod, node, multiplier, this.namespaceLabels);
    addAffinityMatches(this.affinity, this.terms.requiredAffinity, other, node, multiplier, this.namespaceLabels);
    addAntiAffinityMatches(this.antiAffinity, this.terms.requiredAntiAffinity, other, node, multiplier, this.namespaceLabels);
  }
}

/** every term the pod matches adds to the node's pair for that term's key */
function addAntiAffinityMatches(
  counts: TopologyCounts,
  terms: readonly AffinityTerm[],
  pod: V1Pod,
  node: V1Node,
  delta: number,
  namespaceLabels: NamespaceLabelsLookup,
): void {
  for (const t of terms) if (termMatches(t, pod, namespaceLabels)) counts.update(node, t.topologyKey, delta);
}

/** only a pod matching all the terms counts, once per term's key */
function addAffinityMatches(
  counts: TopologyCounts,
  terms: readonly AffinityTerm[],
  pod: V1Pod,
  node: V1Node,
  delta: number,
  namespaceLabels: NamespaceLabelsLookup,
): void {
  if (!podMatchesAllTerms(terms, pod, namespaceLabels)) return;
  for (const t of terms) counts.update(node, t.topologyKey, delta);
}

/** a lookup that asks the lister once per namespace for the rest of the cycle */
export function cachedNamespaceLabels(lookup: NamespaceLabelsLookup): NamespaceLabelsLookup {
  const seen = new Map<string, Record<string, string> | undefined>();
  return (namespace) => {
    if (seen.has(namespace)) return seen.get(namespace);
    const labels = lookup(namespace);
    seen.set(namespace, labels);
    return labels;
  };
}

/**
 * Build the state. `allNodes` is the whole snapshot; `nodesWithRequiredAntiAffinity`
 * the subset hosting pods with required anti-affinity terms.
 */
export function computePreFilterState(
  pod: V1Pod,
  allNodes: readonly NodeInfo[],
  nodesWithRequiredAntiAffinity: readonly NodeInfo[],
  namespaceLabels: NamespaceLabelsLookup,
): PreFilterState {
  const terms = affinityTermsOf(pod);
  const existingAntiAffinity = new TopologyCounts();
  for (const nodeInfo of nodesWithRequiredAntiAffinity) {
    const node = nodeInfo.node;
    if (!node) continue;
    for (const existing of nodeInfo.podsWithRequiredAntiAffinity.values()) {
      addAntiAffinityMatches(existingAntiAffinity, affinityTermsOf(existing.pod).requiredAntiAffinity, pod, node, 1, namespaceLabels);
    }
  }

  const affinity = new TopologyCounts();
  const antiAffinity = new TopologyCounts();
  if (terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0) {
    for (const nodeInfo of allNodes) {
      const node = nodeInfo.node;
      if (!node) continue;
      for (const existing of nodeInfo.pods.values()) {
        addAffinityMatches(affinity, terms.requiredAffinity, existing.pod, node, 1, namespaceLabels);
        addAntiAffinityMatches(antiAffinity, terms.requiredAntiAffinity, existing.pod, node, 1, namespaceLabels);
      }
    }
  }
  return new PreFilterState(pod, terms, namespaceLabels, existingAntiAffinity, affinity, antiAffinity);
}
