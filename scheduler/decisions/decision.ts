/**
 * What the scheduler decided for one pod, and why: per node, which filter rejected it (or
 * that it passed) and each score plugin's weighted score. k8ts goes beyond kube-scheduler
 * here so a learner can see why a pod landed where it did: the last decision per pod is
 * served as JSON on the scheduler's /debug/decisions endpoint, and a one-line summary goes
 * into the pod's Scheduled (or FailedScheduling) event.
 */
import type { Code } from '../framework/status.js';

export interface NodeDecision {
  node: string;
  /** absent: the node passed every filter */
  rejectedBy?: { plugin?: string; code: Code; reasons: readonly string[] };
  /** weighted, normalized score per plugin (feasible nodes, when scoring ran) */
  scores?: Record<string, number>;
  total?: number;
}

export interface Decision {
  /** namespace/name */
  pod: string;
  uid: string;
  profile: string;
  /** ISO time of the attempt */
  time: string;
  attempt: number;
  outcome: 'Scheduled' | 'Unschedulable' | 'Error';
  node?: string;
  /** the FailedScheduling message, or the error */
  message?: string;
  nominatedNode?: string;
  totalNodes: number;
  /** nodes the filters ran on (fewer than total when percentageOfNodesToScore stopped early) */
  evaluatedNodes: number;
  feasibleNodes: number;
  /** the best totals, best first (for the summary) */
  top: Array<{ node: string; total: number }>;
  /** builds the per-node table on demand; dropped from old decisions to bound memory */
  table?: () => NodeDecision[];
}

/** the chosen node, how many were feasible, and the top scores: for the Scheduled event */
export function decisionSummary(d: Decision): string {
  const scores = d.top.map((n) => `${n.node}=${n.total}`).join(' ');
  const evaluated = d.evaluatedNodes < d.totalNodes ? `, ${d.evaluatedNodes} evaluated` : '';
  return `${d.feasibleNodes}/${d.totalNodes} nodes feasible${evaluated}${scores ? `; scores ${scores}` : ''}`;
}
