/**
 * DefaultPreemption (PostFilter): when no node fits a pod, find a node where evicting
 * lower-priority pods would make it fit, evict them, and nominate the node, as
 * kube-scheduler's DefaultPreemption does:
 *
 *   1. eligibility (eligibility.ts): preemptionPolicy Never, or victims of an earlier
 *      preemption still terminating on the nominated node → no;
 *   2. candidates (dry-run.ts, select-victims.ts): the Unschedulable nodes, each
 *      simulated on clones with the fewest victims, PDBs respected where possible;
 *   3. the best candidate (pick-node.ts);
 *   4. the API writes (prepare-candidate.ts), awaited, as kube's synchronous mode.
 *
 * Success carries the nominated node; the pod is scheduled on a later attempt, once the
 * victims are gone. Without a candidate the status is Unschedulable with kube's
 * "preemption: 0/N nodes are available: …" message (failure-message.ts), and the result
 * asks to clear any earlier nomination. Every message is prefixed "preemption: ".
 *
 * Not a Filter plugin and (without kube's asynchronous preemption and its PreEnqueue
 * gate) never the plugin that rejects a pod, so it registers no cluster events.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { CycleState } from '../../framework/cycle-state.js';
import { errorStatus, statusMessage, success, unschedulable, type Status } from '../../framework/status.js';
import type { Handle, NodeToStatusMap, PluginFactory, PostFilterPlugin, PostFilterResult } from '../../framework/types.js';
import { numCandidates, resolveArgs, type DefaultPreemptionArgs, type DefaultPreemptionExtras } from './args.js';
import { dryRunPreemption, potentialNodes } from './dry-run.js';
import { ineligibilityReason } from './eligibility.js';
import { eventsFrom } from './events.js';
import { MESSAGE_PREFIX, preemptionFitError, preemptionNodeStatuses } from './failure-message.js';
import { pickOneNodeForPreemption, type Candidate } from './pick-node.js';
import { prepareCandidate } from './prepare-candidate.js';

export const NAME = 'DefaultPreemption';

export { preemptionFailureMessage, PREEMPTION_NOT_HELPFUL } from './failure-message.js';
export { NO_VICTIMS_FOUND } from './select-victims.js';
export type { PreemptionEvents } from './events.js';
export type { DefaultPreemptionArgs } from './args.js';

type Outcome = { status: Status; result?: PostFilterResult };

const randomInt = (n: number): number => Math.floor(Math.random() * n);

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = NAME;

  constructor(
    private readonly args: DefaultPreemptionArgs & DefaultPreemptionExtras,
    private readonly handle: Handle,
  ) {}

  async postFilter(state: CycleState, pod: V1Pod, filtered: NodeToStatusMap): Promise<Outcome> {
    const out = await this.preempt(state, pod, filtered);
    const message = statusMessage(out.status);
    if (!message) return out;
    return { ...out, status: { code: out.status.code, reasons: [MESSAGE_PREFIX + message] } };
  }

  private async preempt(state: CycleState, pod: V1Pod, filtered: NodeToStatusMap): Promise<Outcome> {
    const handle = this.handle;
    const snapshot = handle.snapshot();
    const nominated = pod.status?.nominatedNodeName;
    const notEligible = ineligibilityReason(pod, snapshot, nominated ? filtered.get(nominated) : undefined);
    if (notEligible) {
      handle.logger.debug({ pod: podName(pod), reason: notEligible }, 'pod is not eligible for preemption');
      return { status: unschedulable(notEligible) };
    }

    const allNodes = snapshot.list();
    if (allNodes.length === 0) return { status: errorStatus('no nodes available') };
    const potential = potentialNodes(allNodes, filtered);
    const now = handle.clock.now();
    let candidates: Candidate[] = [];
    let nodeStatuses = new Map<string, Status>();
    if (potential.length > 0) {
      const pdbs = handle.listers.podDisruptionBudgets();
      const offset = (this.args.randomInt ?? randomInt)(potential.length);
      ({ candidates, nodeStatuses } = dryRunPreemption(handle, state, pod, potential, pdbs, offset, numCandidates(this.args, potential.length), now));
    }

    if (candidates.length === 0) {
      const errors = [...nodeStatuses.values()].filter((s) => s.code === 'Error');
      if (errors.length) return { status: errorStatus(errors.map(statusMessage).join('; ')) };
      const statuses = preemptionNodeStatuses(allNodes.map((n) => n.name), nodeStatuses);
      handle.logger.debug({ pod: podName(pod) }, 'no preemption candidate is found; preemption is not helpful for scheduling');
      return { status: unschedulable(preemptionFitError(allNodes.length, statuses)), result: { nominatedNodeName: '' } };
    }

    const best = pickOneNodeForPreemption(candidates, now);
    if (!best) return { status: unschedulable('no candidate node for preemption') };
    handle.logger.debug({ pod: podName(pod), node: best.nodeName, victims: best.victims.length }, 'the target node for the preemption is determined');

    if (!handle.client) return { status: errorStatus('DefaultPreemption: no API client to evict victims') };
    const prepared = await prepareCandidate(
      { client: handle.client, events: eventsFrom(this.args, handle), logger: handle.logger, now: () => handle.clock.now(), profileName: handle.profileName },
      handle.nominator,
      best,
      pod,
    );
    if (prepared.code !== 'Success') return { status: prepared };
    return { status: success(), result: { nominatedNodeName: best.nodeName } };
  }
}

const podName = (pod: V1Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

export const factory: PluginFactory = (args, handle): PostFilterPlugin => new DefaultPreemption(resolveArgs(args), handle);
