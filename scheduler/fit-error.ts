/**
 * The message of a pod that fits nowhere, shaped exactly like kube-scheduler's FitError:
 *
 *   0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
 *   2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for
 *   scheduling, 2 No preemption victims found for incoming pod.
 *
 * Every reason of every node is counted; the "N reason" strings are sorted as strings
 * (so "1 …" before "2 …", as kube's sortReasonsHistogram does); PostFilter's message follows.
 */
import type { NodeToStatusMap } from './framework/types.js';

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export function reasonHistogram(statuses: Iterable<{ reasons: readonly string[] }>): string[] {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}

export function fitErrorMessage(numAllNodes: number, statuses: NodeToStatusMap, postFilterMessage = ''): string {
  const msg = `0/${numAllNodes} nodes are available: ${reasonHistogram(statuses.values()).join(', ')}.`;
  return postFilterMessage ? `${msg} ${postFilterMessage}` : msg;
}

/** the plugins whose rejection the queue waits on (queueing hints) */
export function rejectingPlugins(statuses: NodeToStatusMap): Set<string> {
  const plugins = new Set<string>();
  for (const s of statuses.values()) if (s.plugin && (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable')) plugins.add(s.plugin);
  return plugins;
}
