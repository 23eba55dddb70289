/**
 * NodeResourcesBalancedAllocation (kube-scheduler's noderesources.BalancedAllocation): a
 * Score plugin preferring nodes whose resources would be used evenly with the pod on them
 * (see balanced-score.ts for the formula). It counts real requests, not the 100m / 200Mi
 * stand-ins NodeResourcesFit scores with.
 *
 *   PreScore  the pod's request per resource; a pod requesting none of them Skips the plugin
 *             (as current kube-scheduler does: otherwise every best-effort pod piles onto the node that
 *             happens to look balanced, kubernetes/kubernetes#129138)
 *   Score     balancedResourceScore over (node's requests + pod's) / allocatable
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { CycleState } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { skip, success, type Status } from '../../framework/status.js';
import type { PluginFactory, PreScorePlugin, ScorePlugin } from '../../framework/types.js';
import { allocationVectors, PodRequestsState, podRequestList } from '../node-resources-fit/resource-allocation.js';
import { validateArgs, type NodeResourcesBalancedAllocationArgs } from './args.js';
import { balancedResourceScore } from './balanced-score.js';

export const NAME = 'NodeResourcesBalancedAllocation';
export { validateArgs } from './args.js';

const PRE_SCORE_STATE_KEY = `PreScore${NAME}`;

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  private readonly resourceNames: string[];

  constructor(readonly args: NodeResourcesBalancedAllocationArgs) {
    this.resourceNames = args.resources.map((r) => r.name);
  }

  preScore(state: CycleState, pod: V1Pod, _nodes: readonly NodeInfo[]): Status {
    const requests = podRequestList(pod, this.resourceNames, true);
    if (requests.every((r) => r === 0)) return skip();
    state.write(PRE_SCORE_STATE_KEY, new PodRequestsState(requests));
    return success();
  }

  score(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): { score: number; status?: Status } {
    // PreScore may be disabled in a profile while Score is on: compute the requests then
    const requests = state.read<PodRequestsState>(PRE_SCORE_STATE_KEY)?.podRequests ?? podRequestList(pod, this.resourceNames, true);
    const { requested, allocatable } = allocationVectors(nodeInfo, this.resourceNames, requests, true);
    return { score: balancedResourceScore(requested, allocatable) };
  }
}

/** args: NodeResourcesBalancedAllocationArgs from pluginConfig (undefined: defaults); bad args throw */
export const factory: PluginFactory = (args) => new NodeResourcesBalancedAllocation(validateArgs(args));
