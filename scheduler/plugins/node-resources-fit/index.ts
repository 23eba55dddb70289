/**
 * NodeResourcesFit (kube-scheduler's noderesources.Fit): does the node have room for the
 * pod's requests, and, among nodes that do, which are preferred by the configured
 * scoring strategy (LeastAllocated spreads, MostAllocated packs, RequestedToCapacityRatio
 * follows a shape).
 *
 *   PreFilter  sums the pod's requests once (init containers, sidecars, overhead) into CycleState
 *   Filter     "Too many pods", "Insufficient cpu", … — every shortfall, one Unschedulable
 *              status (preemption may free the room, so not Unresolvable)
 *   PreScore   the pod's request per scored resource, with the 100m / 200Mi stand-ins
 *   Score      the strategy over (node's non-zero requests + pod's) / allocatable
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { podRequests, type Resource } from '../../framework/resource.js';
import { errorStatus, success, unschedulable, type Status } from '../../framework/status.js';
import type {
  ClusterEventWithHint,
  EnqueueExtensions,
  FilterPlugin,
  PluginFactory,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/types.js';
import { validateArgs, type NodeResourcesFitArgs } from './args.js';
import { fitsRequest, type IgnoredResources } from './fits.js';
import { queueAfterNodeChange, queueAfterPodDelete } from './queueing-hints.js';
import { allocationVectors, PodRequestsState, podRequestList } from './resource-allocation.js';
import { scorerFor, type ResourceScorer } from './scorers.js';

export const NAME = 'NodeResourcesFit';
export { validateArgs } from './args.js';

const PRE_FILTER_STATE_KEY = `PreFilter${NAME}`;
const PRE_SCORE_STATE_KEY = `PreScore${NAME}`;

/** the pod's summed requests; never changed after PreFilter, so clone() shares it */
class PreFilterState implements StateData {
  constructor(readonly request: Resource) {}
  clone(): PreFilterState {
    return this;
  }
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly ignored: IgnoredResources;
  private readonly resourceNames: string[];
  private readonly scorer: ResourceScorer;

  constructor(readonly args: NodeResourcesFitArgs) {
    this.ignored = { names: new Set(args.ignoredResources), groups: new Set(args.ignoredResourceGroups) };
    this.resourceNames = args.scoringStrategy.resources.map((r) => r.name);
    this.scorer = scorerFor(args.scoringStrategy);
  }

  preFilter(state: CycleState, pod: V1Pod, _nodes: readonly NodeInfo[]): { status: Status; result?: PreFilterResult } {
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(podRequests(pod)));
    return { status: success() };
  }

  filter(state: CycleState, _pod: V1Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    // Filter without PreFilter is a framework bug, not a reason the pod does not fit
    if (!s) return errorStatus(`error reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`);
    const insufficient = fitsRequest(s.request, nodeInfo, this.ignored);
    if (insufficient.length === 0) return success();
    return unschedulable(...insufficient.map((r) => r.reason));
  }

  preScore(state: CycleState, pod: V1Pod, _nodes: readonly NodeInfo[]): Status {
    state.write(PRE_SCORE_STATE_KEY, new PodRequestsState(podRequestList(pod, this.resourceNames, false)));
    return success();
  }

  score(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): { score: number; status?: Status } {
    // PreScore may be disabled in a profile while Score is on: compute the requests then
    const requests = state.read<PodRequestsState>(PRE_SCORE_STATE_KEY)?.podRequests ?? podRequestList(pod, this.resourceNames, false);
    const { requested, allocatable } = allocationVectors(nodeInfo, this.resourceNames, requests, false);
    return { score: this.scorer(requested, allocatable) };
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'AssignedPod', action: 'Delete' }, hint: queueAfterPodDelete },
      { event: { resource: 'Node', action: 'Add' }, hint: queueAfterNodeChange },
      { event: { resource: 'Node', action: 'Update' }, hint: queueAfterNodeChange },
    ];
  }
}

/** args: NodeResourcesFitArgs from pluginConfig (undefined: defaults); bad args throw */
export const factory: PluginFactory = (args) => new NodeResourcesFit(validateArgs(args));
