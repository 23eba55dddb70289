/**
 * One profile's plugins, run at their extension points (kube's frameworkruntime). Built
 * from the registry and the resolved profile; it is also the Handle's filter runner, so
 * preemption can ask "would the pod fit here without these pods?".
 *
 * Filter stops at a node's first rejecting plugin (as kube does), and the status says
 * which plugin it was: that is what the FailedScheduling message and the decision
 * record report per node.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { ExtensionPoint } from '../config/types.js';
import { CycleState } from './cycle-state.js';
import { podKey, type NodeInfo, type PodInfo } from './node-info.js';
import { errorStatus, isSuccess, success, withPlugin, type Status } from './status.js';
import {
  MAX_NODE_SCORE,
  type BindPlugin,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeScore,
  type NodeToStatusMap,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
  type NominatedPods,
} from './types.js';
import type { ResolvedPlugins } from './resolve-plugins.js';

export interface ScoreResult {
  /** weighted totals, in the order of the nodes given */
  totals: NodeScore[];
  /** per plugin: the weighted, normalized score of each node, in the order of totals */
  byPlugin: Map<string, number[]>;
}

/** a plugin that throws is an internal Error status, never a crashed scheduler */
function guard(plugin: Plugin, fn: () => Status): Status {
  try {
    return withPlugin(fn(), plugin.name);
  } catch (err) {
    return withPlugin(errorStatus(`${plugin.name}: ${(err as Error).message}`), plugin.name);
  }
}

export class Framework {
  readonly queueSort: QueueSortPlugin | undefined;
  readonly preFilter: PreFilterPlugin[];
  readonly filter: FilterPlugin[];
  readonly postFilter: PostFilterPlugin[];
  readonly preScore: PreScorePlugin[];
  readonly score: ScorePlugin[];
  readonly reserve: ReservePlugin[];
  readonly permit: PermitPlugin[];
  readonly bind: BindPlugin[];
  readonly postBind: PostBindPlugin[];
  private nominator: NominatedPods | undefined;

  constructor(
    readonly profileName: string,
    readonly plugins: ReadonlyMap<string, Plugin>,
    readonly resolved: ResolvedPlugins,
    readonly percentageOfNodesToScore: number | undefined,
  ) {
    const at = <T>(point: ExtensionPoint): T[] => resolved.points[point].map((n) => plugins.get(n) as T).filter(Boolean);
    this.queueSort = at<QueueSortPlugin>('queueSort')[0];
    this.preFilter = at('preFilter');
    this.filter = at('filter');
    this.postFilter = at('postFilter');
    this.preScore = at('preScore');
    this.score = at('score');
    this.reserve = at('reserve');
    this.permit = at('permit');
    this.bind = at('bind');
    this.postBind = at('postBind');
  }

  setNominator(nominator: NominatedPods): void {
    this.nominator = nominator;
  }

  /** plugin name → the cluster events that may make pods it rejected schedulable */
  eventsToRegister(): Map<string, ClusterEventWithHint[]> {
    const out = new Map<string, ClusterEventWithHint[]>();
    for (const [name, plugin] of this.plugins) {
      const ext = plugin as Partial<EnqueueExtensions>;
      if (typeof ext.eventsToRegister === 'function') out.set(name, ext.eventsToRegister());
    }
    return out;
  }

  /**
   * PreFilter: the first rejection ends it; Skip marks the plugin's Filter as not needed;
   * the nodes that can fit are the intersection of the plugins' node sets.
   */
  runPreFilterPlugins(state: CycleState, pod: V1Pod, nodes: readonly NodeInfo[]): { status: Status; nodeNames?: Set<string> } {
    let nodeNames: Set<string> | undefined;
    for (const p of this.preFilter) {
      let result: { status: Status; result?: { nodeNames?: Set<string> } };
      try {
        result = p.preFilter(state, pod, nodes);
      } catch (err) {
        return { status: withPlugin(errorStatus(`${p.name}: ${(err as Error).message}`), p.name) };
      }
      if (result.status.code === 'Skip') {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (!isSuccess(result.status)) return { status: withPlugin(result.status, p.name) };
      const names = result.result?.nodeNames;
      if (names) nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => names.has(n))) : new Set(names);
    }
    return { status: success(), ...(nodeNames ? { nodeNames } : {}) };
  }

  runFilterPlugins(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    for (const p of this.filter) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const s = guard(p, () => p.filter(state, pod, nodeInfo));
      if (!isSuccess(s)) return s;
    }
    return success();
  }

  /**
   * kube's RunFilterPluginsWithNominatedPods: pods nominated to this node with at least the
   * pod's priority count as already there (so a preemptor's room is not taken); if the pod
   * fits with them, it must also fit without them (anti-affinity to them must not help).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    const nominated = this.nominator?.nominatedPodsForNode(nodeInfo.name) ?? [];
    const priority = pod.spec?.priority ?? 0;
    const self = podKey(pod);
    const relevant = nominated.filter((p) => p.priority >= priority && p.key !== self);
    if (relevant.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const withState = state.clone();
    const withNode = nodeInfo.clone();
    for (const p of relevant) {
      withNode.addPod(p);
      const s = this.runPreFilterExtensionAddPod(withState, pod, p, withNode);
      if (!isSuccess(s)) return s;
    }
    const first = this.runFilterPlugins(withState, pod, withNode);
    if (!isSuccess(first)) return first;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: V1Pod, podInfo: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilter) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = guard(p, () => ext.addPod(state, podToSchedule, podInfo, nodeInfo));
      if (!isSuccess(s)) return s;
    }
    return success();
  }

  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: V1Pod, podInfo: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilter) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = guard(p, () => ext.removePod(state, podToSchedule, podInfo, nodeInfo));
      if (!isSuccess(s)) return s;
    }
    return success();
  }

  /** the first PostFilter that succeeds (or fails with something other than Unschedulable) wins */
  async runPostFilterPlugins(state: CycleState, pod: V1Pod, filtered: NodeToStatusMap): Promise<{ status: Status; result?: PostFilterResult }> {
    const reasons: string[] = [];
    let lastResult: PostFilterResult | undefined;
    for (const p of this.postFilter) {
      let out: { status: Status; result?: PostFilterResult };
      try {
        out = await p.postFilter(state, pod, filtered);
      } catch (err) {
        return { status: withPlugin(errorStatus(`${p.name}: ${(err as Error).message}`), p.name) };
      }
      if (isSuccess(out.status)) return { status: success(), ...(out.result ? { result: out.result } : {}) };
      if (out.status.code !== 'Unschedulable' && out.status.code !== 'UnschedulableAndUnresolvable') return { status: withPlugin(out.status, p.name) };
      reasons.push(...out.status.reasons);
      if (out.result) lastResult = out.result; // e.g. nominatedNodeName '' clears a stale nomination
    }
    return { status: { code: 'Unschedulable', reasons }, ...(lastResult ? { result: lastResult } : {}) };
  }

  runPreScorePlugins(state: CycleState, pod: V1Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preScore) {
      const s = guard(p, () => p.preScore(state, pod, nodes));
      if (s.code === 'Skip') {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      if (!isSuccess(s)) return s;
    }
    return success();
  }

  /** every Score plugin on every node, normalized and weighted; an Error status aborts */
  runScorePlugins(state: CycleState, pod: V1Pod, nodes: readonly NodeInfo[]): { status: Status; result?: ScoreResult } {
    const totals: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    const byPlugin = new Map<string, number[]>();
    for (const p of this.score) {
      if (state.skipScorePlugins.has(p.name)) continue;
      const scores: NodeScore[] = new Array(nodes.length);
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i]!;
        let out: { score: number; status?: Status };
        try {
          out = p.score(state, pod, n);
        } catch (err) {
          return { status: withPlugin(errorStatus(`${p.name}: ${(err as Error).message}`), p.name) };
        }
        if (out.status && !isSuccess(out.status)) return { status: withPlugin(out.status, p.name) };
        scores[i] = { name: n.name, score: out.score };
      }
      if (p.normalizeScore) {
        const s = guard(p, () => p.normalizeScore!(state, pod, scores));
        if (!isSuccess(s)) return { status: s };
      }
      const weight = this.resolved.weights.get(p.name) ?? 1;
      const weighted = new Array<number>(scores.length);
      for (let i = 0; i < scores.length; i++) {
        const raw = scores[i]!.score;
        if (raw > MAX_NODE_SCORE || raw < 0)
          return { status: withPlugin(errorStatus(`${p.name} returned score ${raw} for node ${scores[i]!.name}, outside [0, ${MAX_NODE_SCORE}]`), p.name) };
        weighted[i] = raw * weight;
        totals[i]!.score += raw * weight;
      }
      byPlugin.set(p.name, weighted);
    }
    return { status: success(), result: { totals, byPlugin } };
  }

  /** Reserve in order; on a failure, Unreserve everything (in reverse) and report it */
  runReservePlugins(state: CycleState, pod: V1Pod, nodeName: string): Status {
    for (const p of this.reserve) {
      const s = guard(p, () => p.reserve(state, pod, nodeName));
      if (!isSuccess(s)) {
        this.runUnreservePlugins(state, pod, nodeName);
        return s;
      }
    }
    return success();
  }

  runUnreservePlugins(state: CycleState, pod: V1Pod, nodeName: string): void {
    for (const p of [...this.reserve].reverse()) {
      try {
        p.unreserve(state, pod, nodeName);
      } catch {
        // unreserve must not stop the others; the plugin's own state is its problem
      }
    }
  }

  /** k8ts has no waiting pods: a Wait from Permit is treated as a rejection with its reason */
  runPermitPlugins(state: CycleState, pod: V1Pod, nodeName: string): Status {
    for (const p of this.permit) {
      const s = guard(p, () => p.permit(state, pod, nodeName).status);
      if (!isSuccess(s)) return s.code === 'Wait' ? { code: 'Unschedulable', reasons: s.reasons.length ? s.reasons : ['rejected by permit'], plugin: p.name } : s;
    }
    return success();
  }

  /** the first binder that does not Skip binds */
  async runBindPlugins(state: CycleState, pod: V1Pod, nodeName: string): Promise<Status> {
    for (const p of this.bind) {
      let s: Status;
      try {
        s = await p.bind(state, pod, nodeName);
      } catch (err) {
        return withPlugin(errorStatus((err as Error).message), p.name);
      }
      if (s.code === 'Skip') continue;
      return withPlugin(s, p.name);
    }
    return errorStatus('no bind plugin bound the pod');
  }

  runPostBindPlugins(state: CycleState, pod: V1Pod, nodeName: string): void {
    for (const p of this.postBind) {
      try {
        p.postBind(state, pod, nodeName);
      } catch {
        // informational only
      }
    }
  }

  newCycleState(): CycleState {
    return new CycleState();
  }
}
