/**
 * The message when preemption finds no candidate, shaped like kube's (a FitError over the
 * preemption's own per-node reasons, prefixed "preemption: "):
 *
 *   preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling,
 *   2 No preemption victims found for incoming pod.
 *
 * Nodes the dry run did not check (not Unschedulable in the Filter results) count as
 * "Preemption is not helpful for scheduling". The scheduler appends this to the
 * FailedScheduling message after the Filters' own "0/3 nodes are available: …".
 */
import { fitErrorMessage } from '../../fit-error.js';
import { unresolvable, type Status } from '../../framework/status.js';

export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MESSAGE_PREFIX = 'preemption: ';

/** every node's preemption status: the checked ones as given, the rest "not helpful" */
export function preemptionNodeStatuses(allNodeNames: readonly string[], checked: ReadonlyMap<string, Status>): Map<string, Status> {
  const notHelpful = unresolvable(PREEMPTION_NOT_HELPFUL);
  const out = new Map<string, Status>();
  for (const name of allNodeNames) out.set(name, checked.get(name) ?? notHelpful);
  return out;
}

/** "0/N nodes are available: <counted reasons>." (the plugin adds the prefix to every message it returns) */
export function preemptionFitError(numAllNodes: number, statuses: ReadonlyMap<string, Status>): string {
  return fitErrorMessage(numAllNodes, statuses as Map<string, Status>);
}

/** "preemption: 0/N nodes are available: <counted reasons>." */
export function preemptionFailureMessage(numAllNodes: number, statuses: ReadonlyMap<string, Status>): string {
  return MESSAGE_PREFIX + preemptionFitError(numAllNodes, statuses);
}
