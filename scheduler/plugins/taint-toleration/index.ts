/**
 * TaintToleration:
 *  Filter          the node's NoSchedule/NoExecute taints must all be tolerated; the first
 *                  one that is not is named in the reason. Evicting pods never removes a
 *                  taint, so the rejection is UnschedulableAndUnresolvable.
 *  PreScore/Score  count the node's PreferNoSchedule taints the pod does not tolerate
 *                  (only tolerations with an empty or PreferNoSchedule effect count).
 *  NormalizeScore  reversed: the node with the fewest such taints gets 100.
 */
import type { V1Node, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { errorStatus, success, unresolvable, type Status } from '../../framework/status.js';
import type {
  ClusterEventWithHint,
  EnqueueExtensions,
  FilterPlugin,
  NodeScore,
  PluginFactory,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/types.js';
import { defaultNormalizeScore } from '../helpers/normalize-score.js';
import { findUntoleratedTaint, taintEffectIn, taintToleratedByTolerations } from '../helpers/tolerations.js';

export const NAME = 'TaintToleration';
const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

/** kube's DoNotScheduleTaintsFilterFunc: the effects Filter enforces */
const doNotSchedule = taintEffectIn('NoSchedule', 'NoExecute');

export const untoleratedTaintReason = (taint: V1Taint): string => `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;

/** the first NoSchedule/NoExecute taint of the node the pod does not tolerate */
export function untoleratedTaint(node: V1Node | undefined, pod: V1Pod): V1Taint | undefined {
  return findUntoleratedTaint(node?.spec?.taints, pod.spec?.tolerations, doNotSchedule);
}

/** how many PreferNoSchedule taints of the node these tolerations leave untolerated */
export function countIntolerablePreferNoSchedule(taints: readonly V1Taint[] | undefined, tolerations: readonly V1Toleration[]): number {
  let n = 0;
  for (const taint of taints ?? []) {
    if (taint.effect === 'PreferNoSchedule' && !taintToleratedByTolerations(taint, tolerations)) n++;
  }
  return n;
}

class PreScoreState implements StateData {
  constructor(readonly tolerationsPreferNoSchedule: readonly V1Toleration[]) {}
  // never changed after PreScore, so sharing is safe
  clone(): StateData {
    return this;
  }
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    if (!nodeInfo.node) return errorStatus('invalid nodeInfo');
    const taint = untoleratedTaint(nodeInfo.node, pod);
    return taint ? unresolvable(untoleratedTaintReason(taint)) : success();
  }

  preScore(state: CycleState, pod: V1Pod): Status {
    // an empty effect tolerates every effect, PreferNoSchedule included
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(tolerations));
    return success();
  }

  score(state: CycleState, _pod: V1Pod, nodeInfo: NodeInfo): { score: number; status?: Status } {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return { score: 0, status: errorStatus(`failed to read "${PRE_SCORE_STATE_KEY}" from cycleState: not found`) };
    return { score: countIntolerablePreferNoSchedule(nodeInfo.node?.spec?.taints, s.tolerationsPreferNoSchedule) };
  }

  normalizeScore(_state: CycleState, _pod: V1Pod, scores: NodeScore[]): Status {
    defaultNormalizeScore(scores, true);
    return success();
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // worth a retry only when a node goes from having an untolerated taint to not
    const nodeHint = (pod: V1Pod, old: unknown, updated: unknown) => {
      if (!updated) return 'Skip';
      const was = old === undefined || untoleratedTaint(old as V1Node, pod) !== undefined;
      const is = untoleratedTaint(updated as V1Node, pod) !== undefined;
      return was && !is ? 'Queue' : 'Skip';
    };
    // a pod may gain a toleration; only the pod itself matters
    const podHint = (pod: V1Pod, _old: unknown, updated: unknown) =>
      (updated as V1Pod | undefined)?.metadata?.uid === pod.metadata?.uid ? 'Queue' : 'Skip';
    return [
      { event: { resource: 'Node', action: 'Add' }, hint: nodeHint },
      { event: { resource: 'Node', action: 'Update' }, hint: nodeHint },
      { event: { resource: 'UnscheduledPod', action: 'Update' }, hint: podHint },
    ];
  }
}

export const factory: PluginFactory = () => new TaintToleration();
