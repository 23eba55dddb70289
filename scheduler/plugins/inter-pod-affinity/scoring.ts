/**
 * InterPodAffinity's preferences (kube's interpodaffinity/scoring.go). PreScore walks the
 * existing pods once and sums weights per topology pair; Score of a node is the sum of the
 * pairs its labels belong to; NormalizeScore maps the sums onto 0..100.
 *
 * For each existing pod E on a node N (with labels), a pair (key, N's value) gains:
 *   + w  for each preferred affinity term of the incoming pod P that E matches
 *   - w  for each preferred anti-affinity term of P that E matches
 *   + hardPodAffinityWeight for each REQUIRED affinity term of E that P matches
 *        (symmetry: E insists on being near pods like P, so P should like being near E)
 *   + w  for each preferred affinity term of E that P matches
 *   - w  for each preferred anti-affinity term of E that P matches
 * The last three are skipped entirely when ignorePreferredTermsOfExistingPods is set and P
 * has no preferred terms of its own.
 *
 * Worked example: P prefers (weight 5) zone-mates with app=db. A db pod runs in zone=a:
 * pairs {zone=a: 5}; nodes in zone a score 5, others 0; normalized: 100 and 0.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { MAX_NODE_SCORE, type NodeScore } from '../../framework/types.js';
import { affinityTermsOf, termMatches, type AffinityTerm, type NamespaceLabelsLookup, type PodAffinityTerms } from './affinity-term.js';

export const PRE_SCORE_STATE_KEY = 'PreScoreInterPodAffinity';

/** topology key → value → summed weight */
export type TopologyScores = Map<string, Map<string, number>>;

export class PreScoreState implements StateData {
  constructor(readonly topologyScores: TopologyScores) {}

  /** read-only after PreScore, so the clone can share it */
  clone(): PreScoreState {
    return this;
  }
}

export interface ScoringOptions {
  hardPodAffinityWeight: number;
}

function addTerm(
  scores: TopologyScores,
  term: AffinityTerm,
  weight: number,
  pod: V1Pod,
  node: V1Node,
  namespaceLabels: NamespaceLabelsLookup,
): void {
  if (!termMatches(term, pod, namespaceLabels)) return;
  const value = node.metadata?.labels?.[term.topologyKey];
  if (value === undefined) return;
  let byValue = scores.get(term.topologyKey);
  if (!byValue) scores.set(term.topologyKey, (byValue = new Map()));
  byValue.set(value, (byValue.get(value) ?? 0) + weight);
}

function addExistingPod(
  scores: TopologyScores,
  incoming: V1Pod,
  incomingTerms: PodAffinityTerms,
  existing: PodInfo,
  node: V1Node,
  options: ScoringOptions,
  namespaceLabels: NamespaceLabelsLookup,
): void {
  for (const t of incomingTerms.preferredAffinity) addTerm(scores, t, t.weight, existing.pod, node, namespaceLabels);
  for (const t of incomingTerms.preferredAntiAffinity) addTerm(scores, t, -t.weight, existing.pod, node, namespaceLabels);
  if (!existing.hasAffinity) return;
  const existingTerms = affinityTermsOf(existing.pod);
  if (options.hardPodAffinityWeight > 0) {
    for (const t of existingTerms.requiredAffinity) addTerm(scores, t, options.hardPodAffinityWeight, incoming, node, namespaceLabels);
  }
  for (const t of existingTerms.preferredAffinity) addTerm(scores, t, t.weight, incoming, node, namespaceLabels);
  for (const t of existingTerms.preferredAntiAffinity) addTerm(scores, t, -t.weight, incoming, node, namespaceLabels);
}

/**
 * The per-pair sums. When the incoming pod has no preferred terms only pods with
 * affinity terms can contribute, so the caller passes havePodsWithAffinityList() and we
 * visit only those pods; otherwise every pod on every node.
 */
export function computeTopologyScores(
  pod: V1Pod,
  nodes: readonly NodeInfo[],
  hasPreferredTerms: boolean,
  options: ScoringOptions,
  namespaceLabels: NamespaceLabelsLookup,
): TopologyScores {
  const terms = affinityTermsOf(pod);
  const scores: TopologyScores = new Map();
  for (const nodeInfo of nodes) {
    const node = nodeInfo.node;
    // a node without labels is in no topology domain
    if (!node || Object.keys(node.metadata?.labels ?? {}).length === 0) continue;
    const pods = hasPreferredTerms ? nodeInfo.pods : nodeInfo.podsWithAffinity;
    for (const existing of pods.values()) addExistingPod(scores, pod, terms, existing, node, options, namespaceLabels);
  }
  return scores;
}

export function scoreNode(scores: TopologyScores, node: V1Node | undefined): number {
  let total = 0;
  for (const [key, value] of Object.entries(node?.metadata?.labels ?? {})) {
    total += scores.get(key)?.get(value) ?? 0;
  }
  return total;
}

/**
 * 100 * ((score - min) / (max - min)), truncated; all zero when every node scored the
 * same. The division comes first, as in kube, so float rounding truncates identically
 * (29/50*100 is 57.99…, i.e. 57, where 2900/50 would be 58).
 */
export function normalizeScores(scores: NodeScore[]): void {
  if (scores.length === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s.score > max) max = s.score;
    if (s.score < min) min = s.score;
  }
  const diff = max - min;
  for (const s of scores) s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
}
