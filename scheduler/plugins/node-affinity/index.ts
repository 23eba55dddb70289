/**
 * NodeAffinity:
 *  PreFilter       compile the pod's nodeSelector + required node affinity once; Skip when
 *                  the pod has neither (and the profile adds none); when every required
 *                  term pins metadata.name In [...], return just those node names.
 *  Filter          the node must satisfy the profile's addedAffinity and the pod's own
 *                  constraints. Node labels do not change by evicting pods, so rejections
 *                  are UnschedulableAndUnresolvable.
 *  PreScore/Score  sum of the weights of the preferred terms (the pod's and the profile's)
 *                  the node matches; NormalizeScore scales them to 0..100.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { errorStatus, skip, success, unresolvable, type Status } from '../../framework/status.js';
import type {
  ClusterEventWithHint,
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  NodeScore,
  PluginFactory,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/types.js';
import { nodeSelectorMatcher, preferredSchedulingTermsScorer, requiredNodeAffinityMatcher as requiredNodeAffinity } from '../helpers/node-selector.js';
import { defaultNormalizeScore } from '../helpers/normalize-score.js';
import { parseNodeAffinityArgs, type NodeAffinityArgs } from './args.js';
import { requiredNodeNames } from './required.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

type NodeMatcher = (node: V1Node) => boolean;

const PRE_FILTER_STATE_KEY = 'PreFilter' + NAME;
const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

/** compiled matchers never change after they are built: clones may share them */
class Frozen<T> implements StateData {
  constructor(readonly value: T) {}
  clone(): StateData {
    return this;
  }
}

const preferredTerms = (pod: V1Pod) => pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly addedNodeSelector: NodeMatcher | undefined;
  private readonly addedPreferred: ((node: V1Node) => number) | undefined;

  constructor(args: NodeAffinityArgs) {
    const added = args.addedAffinity;
    const required = added?.requiredDuringSchedulingIgnoredDuringExecution;
    this.addedNodeSelector = required ? nodeSelectorMatcher(required) : undefined;
    const preferred = added?.preferredDuringSchedulingIgnoredDuringExecution;
    this.addedPreferred = preferred?.length ? preferredSchedulingTermsScorer(preferred) : undefined;
  }

  preFilter(state: CycleState, pod: V1Pod): { status: Status; result?: PreFilterResult } {
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !this.addedNodeSelector && !pod.spec?.nodeSelector) return { status: skip() };
    state.write(PRE_FILTER_STATE_KEY, new Frozen(requiredNodeAffinity(pod)));
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return { status: success() };
    const names = requiredNodeNames(terms);
    if (names === undefined) return { status: success() };
    if (names.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
    return { status: success(), result: { nodeNames: names } };
  }

  filter(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status {
    const node = nodeInfo.node;
    if (!node) return errorStatus('node not found');
    if (this.addedNodeSelector && !this.addedNodeSelector(node)) return unresolvable(ERR_REASON_ENFORCED);
    // PreFilter may be disabled in the profile: compute it here then
    const matches = state.read<Frozen<NodeMatcher>>(PRE_FILTER_STATE_KEY)?.value ?? requiredNodeAffinity(pod);
    return matches(node) ? success() : unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pod: V1Pod, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return success();
    const terms = preferredTerms(pod);
    if (!terms?.length && !this.addedPreferred) return skip();
    state.write(PRE_SCORE_STATE_KEY, new Frozen(preferredSchedulingTermsScorer(terms)));
    return success();
  }

  score(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): { score: number; status?: Status } {
    const node = nodeInfo.node;
    if (!node) return { score: 0, status: errorStatus('node not found') };
    const podScore = state.read<Frozen<(node: V1Node) => number>>(PRE_SCORE_STATE_KEY)?.value ?? preferredSchedulingTermsScorer(preferredTerms(pod));
    return { score: (this.addedPreferred?.(node) ?? 0) + podScore(node) };
  }

  normalizeScore(_state: CycleState, _pod: V1Pod, scores: NodeScore[]): Status {
    defaultNormalizeScore(scores, false);
    return success();
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // a node helps only if it now matches and did not before
    const hint = (pod: V1Pod, old: unknown, updated: unknown) => {
      const after = updated as V1Node | undefined;
      if (!after) return 'Skip';
      if (this.addedNodeSelector && !this.addedNodeSelector(after)) return 'Skip';
      const matches = requiredNodeAffinity(pod);
      if (!matches(after)) return 'Skip';
      const before = old as V1Node | undefined;
      return !before || !matches(before) || (this.addedNodeSelector !== undefined && !this.addedNodeSelector(before)) ? 'Queue' : 'Skip';
    };
    return [
      { event: { resource: 'Node', action: 'Add' }, hint },
      { event: { resource: 'Node', action: 'Update' }, hint },
    ];
  }
}

export const factory: PluginFactory = (args: unknown, _handle: Handle) => new NodeAffinity(parseNodeAffinityArgs(args));
