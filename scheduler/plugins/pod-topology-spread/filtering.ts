/**
 * The hard half of PodTopologySpread (whenUnsatisfiable: DoNotSchedule): PreFilter counts,
 * per constraint, the matching pods in every topology domain; Filter then checks one node
 * in O(constraints):
 *
 *   skew = matching pods in the node's domain + (1 if the pod matches its own selector)
 *          - global minimum over the domains
 *   the node fails when skew > maxSkew.
 *
 * Worked example: constraint zone, maxSkew 1, selector app=web; zone A has 2 web pods,
 * zone B has 0, zone C has 1. Global minimum 0 (zone B). A node in A: 2 + 1 - 0 = 3 > 1,
 * rejected; in C: 1 + 1 - 0 = 2 > 1, rejected; in B: 0 + 1 - 0 = 1, fits.
 *
 * With minDomains N and fewer than N domains, the global minimum is taken as 0, so pods
 * stop piling into the existing domains and wait for new ones (e.g. new nodes).
 *
 * A domain is a value of the topology key on a node that carries every constraint's key
 * and passes the constraint's node inclusion policies (constraints.ts); a domain with no
 * matching pods still counts (with 0).
 *
 * kube keeps only the two smallest domains ("critical paths") and patches them as
 * preemption adds and removes pods, which can go stale after several updates. We keep
 * the exact minimum instead: cached, and recomputed only after the counts change, so
 * Filter stays O(1) per node and preemption's what-ifs stay exact.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { errorStatus, success, unresolvable, unschedulable, type Status } from '../../framework/status.js';
import { countMatchingPods, nodeHasAllTopologyKeys, nodeIncluded, podCounts, type SpreadConstraint } from './constraints.js';

export const PRE_FILTER_STATE_KEY = 'PreFilterPodTopologySpread';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

/** one constraint's matching-pod counts by topology value, with the minimum kept exact */
export class DomainCounts {
  private cachedMin: number | undefined;

  constructor(readonly byValue = new Map<string, number>()) {}

  add(value: string, delta: number): void {
    this.byValue.set(value, (this.byValue.get(value) ?? 0) + delta);
    this.cachedMin = undefined;
  }

  get(value: string): number {
    return this.byValue.get(value) ?? 0;
  }

  get domains(): number {
    return this.byValue.size;
  }

  /** the smallest count over the domains; Infinity when there are none */
  min(): number {
    if (this.cachedMin === undefined) {
      let m = Infinity;
      for (const n of this.byValue.values()) if (n < m) m = n;
      this.cachedMin = m;
    }
    return this.cachedMin;
  }

  clone(): DomainCounts {
    return new DomainCounts(new Map(this.byValue));
  }
}

export class PreFilterState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly counts: readonly DomainCounts[],
    /** the incoming pod's nodeSelector/required node affinity, for the inclusion policies */
    readonly affinityAdmits: (node: V1Node) => boolean,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.counts.map((c) => c.clone()),
      this.affinityAdmits,
    );
  }

  /** the global minimum for the skew, with minDomains taken into account */
  minMatchNum(i: number): number {
    const counts = this.counts[i]!;
    if (counts.domains < this.constraints[i]!.minDomains) return 0;
    return counts.min();
  }

  /**
   * Preemption's what-if: `pod` was added to (+1) or removed from (-1) the node. The same
   * counting rule as PreFilter applies (kube's updateWithPod matches the selector without
   * the namespace/terminating/empty-selector checks; counting both ways alike keeps an
   * add-then-remove exact).
   */
  updateWithPod(pod: V1Pod, preemptor: V1Pod, node: V1Node | undefined, delta: 1 | -1): void {
    if (!node) return;
    const labels = node.metadata?.labels;
    if (!nodeHasAllTopologyKeys(labels, this.constraints)) return;
    const namespace = preemptor.metadata?.namespace ?? '';
    this.constraints.forEach((c, i) => {
      if (!podCounts(pod, c, namespace)) return;
      if (!nodeIncluded(c, preemptor, node, this.affinityAdmits)) return;
      this.counts[i]!.add(labels![c.topologyKey]!, delta);
    });
  }
}

/** PreFilter's counting over every node in the snapshot */
export function computePreFilterState(
  pod: V1Pod,
  constraints: readonly SpreadConstraint[],
  nodes: readonly NodeInfo[],
  affinityAdmits: (node: V1Node) => boolean,
): PreFilterState {
  const counts = constraints.map(() => new DomainCounts());
  const namespace = pod.metadata?.namespace ?? '';
  for (const info of nodes) {
    const node = info.node;
    if (!node) continue;
    const labels = node.metadata?.labels;
    if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!nodeIncluded(c, pod, node, affinityAdmits)) return;
      counts[i]!.add(labels![c.topologyKey]!, countMatchingPods(info.pods.values(), c, namespace));
    });
  }
  return new PreFilterState(constraints, counts, affinityAdmits);
}

/** Filter: does placing the pod on this node keep every hard constraint within maxSkew */
export function filterNode(s: PreFilterState, pod: V1Pod, nodeInfo: NodeInfo): Status {
  const node = nodeInfo.node;
  if (!node) return errorStatus('node not found');
  const labels = node.metadata?.labels ?? {};
  const podLabels = pod.metadata?.labels ?? {};
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    if (!Object.hasOwn(labels, c.topologyKey)) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    const selfMatch = c.matches(podLabels) ? 1 : 0;
    const skew = s.counts[i]!.get(labels[c.topologyKey]!) + selfMatch - s.minMatchNum(i);
    if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
  }
  return success();
}
