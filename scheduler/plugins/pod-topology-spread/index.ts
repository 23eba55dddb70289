/**
 * PodTopologySpread: kube-scheduler's plugin for pod.spec.topologySpreadConstraints.
 *
 *  PreFilter   hard (DoNotSchedule) constraints: count matching pods per topology domain
 *              (filtering.ts); Skip when the pod has none (and no default applies).
 *  Filter      skew check per node, O(constraints).
 *  PreFilterExtensions  keep the counts right as preemption adds/removes pods.
 *  PreScore / Score / NormalizeScore  soft (ScheduleAnyway) constraints (scoring.ts).
 *  EventsToRegister  assigned pods and nodes (queueing-hints.ts).
 *
 * Pods without constraints of their own get the plugin's default constraints (args.ts),
 * with the selector of the Services/ReplicaSets/StatefulSets/ReplicationControllers that
 * select them (handle.listers.workloadSelectorsFor).
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { CycleState } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { errorStatus, skip, success, type Status } from '../../framework/status.js';
import type {
  ClusterEventWithHint,
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  NodeScore,
  PluginFactory,
  PreFilterExtensions,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/types.js';
import { parseArgs, type PodTopologySpreadArgs } from './args.js';
import { defaultConstraints, podConstraints, type SpreadConstraint, type WhenUnsatisfiable } from './constraints.js';
import { computePreFilterState, filterNode, PRE_FILTER_STATE_KEY, type PreFilterState } from './filtering.js';
import { podTopologySpreadEvents } from './queueing-hints.js';
import { requiredNodeAffinity } from './required-node-affinity.js';
import { computePreScoreState, normalizeScores, PRE_SCORE_STATE_KEY, scoreNode, type PreScoreState } from './scoring.js';

export const NAME = 'PodTopologySpread';

const notFound = (key: string): Status => errorStatus(`reading "${key}" from cycleState: not found`);
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  constructor(
    readonly args: PodTopologySpreadArgs,
    private readonly handle: Handle,
  ) {}

  /** the pod's constraints of one kind, or the defaults when it has none at all; throws on an invalid selector */
  constraintsFor(pod: V1Pod, action: WhenUnsatisfiable): SpreadConstraint[] {
    if (pod.spec?.topologySpreadConstraints?.length) return podConstraints(pod, action);
    if (this.args.defaultConstraints.length === 0) return [];
    const namespace = pod.metadata?.namespace ?? '';
    const labels = pod.metadata?.labels ?? {};
    return defaultConstraints(this.args.defaultConstraints, action, () => this.handle.listers.workloadSelectorsFor(namespace, labels));
  }

  preFilter(state: CycleState, pod: V1Pod): { status: Status; result?: PreFilterResult } {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, 'DoNotSchedule');
    } catch (err) {
      return { status: errorStatus(`obtaining pod's hard topology spread constraints: ${messageOf(err)}`) };
    }
    if (constraints.length === 0) return { status: skip() };
    state.write(PRE_FILTER_STATE_KEY, computePreFilterState(pod, constraints, this.handle.snapshot().list(), requiredNodeAffinity(pod)));
    return { status: success() };
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, podToSchedule: V1Pod, info: PodInfo, nodeInfo: NodeInfo, delta: 1 | -1): Status => {
      const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
      if (!s) return notFound(PRE_FILTER_STATE_KEY);
      s.updateWithPod(info.pod, podToSchedule, nodeInfo.node, delta);
      return success();
    };
    return {
      addPod: (state, podToSchedule, info, nodeInfo) => update(state, podToSchedule, info, nodeInfo, 1),
      removePod: (state, podToSchedule, info, nodeInfo) => update(state, podToSchedule, info, nodeInfo, -1),
    };
  }

  filter(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return notFound(PRE_FILTER_STATE_KEY);
    return filterNode(s, pod, nodeInfo);
  }

  preScore(state: CycleState, pod: V1Pod, nodes: readonly NodeInfo[]): Status {
    const allNodes = this.handle.snapshot().list();
    if (allNodes.length === 0) return skip();
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, 'ScheduleAnyway');
    } catch (err) {
      return errorStatus(`calculating preScoreState: obtaining pod's soft topology spread constraints: ${messageOf(err)}`);
    }
    if (constraints.length === 0) return skip();
    // only the system defaults let a node without a zone label keep its hostname spreading
    const requireAllTopologies = Boolean(pod.spec?.topologySpreadConstraints?.length) || !this.args.systemDefaulted;
    state.write(PRE_SCORE_STATE_KEY, computePreScoreState(pod, constraints, nodes, allNodes, requireAllTopologies, requiredNodeAffinity(pod)));
    return success();
  }

  score(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): { score: number; status?: Status } {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return { score: 0, status: notFound(PRE_SCORE_STATE_KEY) };
    return { score: scoreNode(s, pod, nodeInfo) };
  }

  normalizeScore(state: CycleState, _pod: V1Pod, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return notFound(PRE_SCORE_STATE_KEY);
    normalizeScores(s, scores);
    return success();
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return podTopologySpreadEvents((pod) => this.constraintsFor(pod, 'DoNotSchedule'));
  }
}

export const factory: PluginFactory = (args, handle) => new PodTopologySpread(parseArgs(args), handle);
