/**
 * The soft half of PodTopologySpread (whenUnsatisfiable: ScheduleAnyway, and the default
 * constraints): fewer matching pods in a node's domains is better.
 *
 *  PreScore  registers the domains of the nodes that passed Filter (nodes missing a
 *            topology key are ignored and score 0), then counts matching pods over ALL
 *            nodes into those domains. Hostname domains are counted per node in Score.
 *  Score     raw = Σ over constraints (count × log(domains + 2) + maxSkew − 1), rounded.
 *            The log weight makes a constraint with many domains (hostname) weigh more
 *            per pod than one with few (zone); maxSkew − 1 waters down small differences.
 *  Normalize reversed min–max: score = 100 × (max + min − raw) / max, so the least
 *            crowded node gets 100; all zeros → 100 everywhere; ignored nodes → 0.
 *
 * Worked example: one zone constraint, maxSkew 1, 2 zones → weight log(4) ≈ 1.386. Zone A
 * has 3 matching pods, B has 1: raw A = round(4.16) = 4, raw B = round(1.39) = 1;
 * normalized A = 100 × (4 + 1 − 4) / 4 = 25, B = 100 × (4 + 1 − 1) / 4 = 100.
 *
 * With the system default constraints a node without a zone label still gets hostname
 * spreading (kube's requireAllTopologies is false only in that case).
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { MAX_NODE_SCORE, type NodeScore } from '../../framework/types.js';
import { countMatchingPods, LABEL_HOSTNAME, nodeHasAllTopologyKeys, nodeIncluded, type SpreadConstraint } from './constraints.js';

export const PRE_SCORE_STATE_KEY = 'PreScorePodTopologySpread';

export class PreScoreState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    /** nodes that passed Filter but lack a required topology key: they score 0 */
    readonly ignoredNodes: ReadonlySet<string>,
    /** per constraint: matching pods by topology value (not for hostname) */
    readonly counts: readonly ReadonlyMap<string, number>[],
    /** per constraint: log(number of domains + 2) */
    readonly weights: readonly number[],
  ) {}

  // Score and NormalizeScore only read it, and preemption never touches it.
  clone(): PreScoreState {
    return this;
  }
}

export const topologyNormalizingWeight = (domains: number): number => Math.log(domains + 2);

export const scoreForCount = (count: number, maxSkew: number, weight: number): number => count * weight + (maxSkew - 1);

export function computePreScoreState(
  pod: V1Pod,
  constraints: readonly SpreadConstraint[],
  filteredNodes: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  requireAllTopologies: boolean,
  affinityAdmits: (node: V1Node) => boolean,
): PreScoreState {
  const ignored = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const info of filteredNodes) {
    const labels = info.node?.metadata?.labels ?? {};
    if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) {
      ignored.add(info.name);
      continue;
    }
    constraints.forEach((c, i) => {
      // hostname domains are one node each: Score counts them directly
      if (c.topologyKey === LABEL_HOSTNAME) return;
      // kube registers the domain even for a node without the key (value ""), which only
      // happens with the system defaults; Score then skips that constraint for the node
      const value = labels[c.topologyKey] ?? '';
      if (!counts[i]!.has(value)) counts[i]!.set(value, 0);
    });
  }
  const weights = constraints.map((c, i) =>
    topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - ignored.size : counts[i]!.size),
  );

  const namespace = pod.metadata?.namespace ?? '';
  for (const info of allNodes) {
    const node = info.node;
    if (!node) continue;
    const labels = node.metadata?.labels ?? {};
    if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!nodeIncluded(c, pod, node, affinityAdmits)) return;
      const value = labels[c.topologyKey] ?? '';
      const current = counts[i]!.get(value);
      // only domains of candidate nodes matter (hostname is never registered here)
      if (current === undefined) return;
      counts[i]!.set(value, current + countMatchingPods(info.pods.values(), c, namespace));
    });
  }
  return new PreScoreState(constraints, ignored, counts, weights);
}

/** the raw score: lower means fewer matching pods around the node */
export function scoreNode(s: PreScoreState, pod: V1Pod, nodeInfo: NodeInfo): number {
  if (s.ignoredNodes.has(nodeInfo.name)) return 0;
  const labels = nodeInfo.node?.metadata?.labels ?? {};
  const namespace = pod.metadata?.namespace ?? '';
  let score = 0;
  s.constraints.forEach((c, i) => {
    if (!Object.hasOwn(labels, c.topologyKey)) return;
    const count = c.topologyKey === LABEL_HOSTNAME ? countMatchingPods(nodeInfo.pods.values(), c, namespace) : (s.counts[i]!.get(labels[c.topologyKey]!) ?? 0);
    score += scoreForCount(count, c.maxSkew, s.weights[i]!);
  });
  return Math.round(score);
}

/** reverse min–max normalization in place; ignored nodes get 0 */
export function normalizeScores(s: PreScoreState, scores: NodeScore[]): void {
  let min = Infinity;
  let max = 0;
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) continue;
    if (sc.score < min) min = sc.score;
    if (sc.score > max) max = sc.score;
  }
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) sc.score = 0;
    else if (max === 0) sc.score = MAX_NODE_SCORE;
    // integer division as in kube (int64 maths truncate; every term is non-negative)
    else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
  }
}
