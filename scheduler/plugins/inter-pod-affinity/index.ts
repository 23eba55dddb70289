/**
 * InterPodAffinity: kube-scheduler's plugin for podAffinity and podAntiAffinity.
 *
 *  PreFilter   count, per topology pair, the matches the required terms need
 *              (prefilter-state.ts); Skip when neither the pod nor any existing pod has a
 *              required term that concerns it.
 *  Filter      three map lookups per node (filtering.ts).
 *  PreFilterExtensions  keep the counts right as preemption adds/removes pods.
 *  PreScore / Score / NormalizeScore  preferred terms of both sides, plus existing pods'
 *              required affinity weighted by hardPodAffinityWeight (scoring.ts).
 *  EventsToRegister  assigned pods and node labels (queueing-hints.ts).
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
import { parseArgs, type InterPodAffinityArgs } from './args.js';
import { filterNode } from './filtering.js';
import { cachedNamespaceLabels, computePreFilterState, PRE_FILTER_STATE_KEY, type PreFilterState } from './prefilter-state.js';
import { interPodAffinityEvents } from './queueing-hints.js';
import { computeTopologyScores, normalizeScores, PRE_SCORE_STATE_KEY, PreScoreState, scoreNode } from './scoring.js';

export const NAME = 'InterPodAffinity';

const notFound = (key: string): Status => errorStatus(`reading "${key}" from cycleState: not found`);

function hasPreferredTerms(pod: V1Pod): boolean {
  const affinity = pod.spec?.affinity;
  return Boolean(
    affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ||
      affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length,
  );
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;

  constructor(
    readonly args: InterPodAffinityArgs,
    private readonly handle: Handle,
  ) {}

  private namespaceLabels = (namespace: string): Record<string, string> | undefined => this.handle.listers.namespaceLabels(namespace);

  preFilter(state: CycleState, pod: V1Pod): { status: Status; result?: PreFilterResult } {
    const snapshot = this.handle.snapshot();
    const s = computePreFilterState(pod, snapshot.list(), snapshot.havePodsWithRequiredAntiAffinityList(), cachedNamespaceLabels(this.namespaceLabels));
    if (s.existingAntiAffinity.size === 0 && s.terms.requiredAffinity.length === 0 && s.terms.requiredAntiAffinity.length === 0) {
      return { status: skip() };
    }
    state.write(PRE_FILTER_STATE_KEY, s);
    return { status: success() };
  }

  preFilterExtensions(): PreFilterExtensions {
    // With no state PreFilter skipped the plugin: there are no counts to keep right.
    const update = (state: CycleState, info: PodInfo, nodeInfo: NodeInfo, multiplier: 1 | -1): Status => {
      const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
      if (s && nodeInfo.node) s.updateWithPod(info.pod, nodeInfo.node, multiplier);
      return success();
    };
    return {
      addPod: (state, _pod, info, nodeInfo) => update(state, info, nodeInfo, 1),
      removePod: (state, _pod, info, nodeInfo) => update(state, info, nodeInfo, -1),
    };
  }

  filter(state: CycleState, _pod: V1Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return notFound(PRE_FILTER_STATE_KEY);
    if (!nodeInfo.node) return errorStatus('node not found');
    return filterNode(s, nodeInfo.node);
  }

  preScore(state: CycleState, pod: V1Pod, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return skip();
    const preferred = hasPreferredTerms(pod);
    // Existing pods' terms alone can still favour some nodes, unless told to ignore them.
    if (this.args.ignorePreferredTermsOfExistingPods && !preferred) return skip();
    const snapshot = this.handle.snapshot();
    // Without preferred terms of its own, only pods with affinity terms can matter.
    const candidates = preferred ? snapshot.list() : snapshot.havePodsWithAffinityList();
    const scores = computeTopologyScores(pod, candidates, preferred, this.args, cachedNamespaceLabels(this.namespaceLabels));
    if (scores.size === 0) return skip();
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(scores));
    return success();
  }

  score(state: CycleState, _pod: V1Pod, nodeInfo: NodeInfo): { score: number; status?: Status } {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return { score: 0, status: notFound(PRE_SCORE_STATE_KEY) };
    return { score: scoreNode(s.topologyScores, nodeInfo.node) };
  }

  normalizeScore(state: CycleState, _pod: V1Pod, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return notFound(PRE_SCORE_STATE_KEY);
    if (s.topologyScores.size === 0) return success();
    normalizeScores(scores);
    return success();
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return interPodAffinityEvents(this.namespaceLabels);
  }
}

export const factory: PluginFactory = (args, handle) => new InterPodAffinity(parseArgs(args), handle);
