/**
 * How many feasible nodes a scheduling cycle looks for before it stops filtering and
 * scores what it has (kube-scheduler's numFeasibleNodesToFind). On big clusters checking
 * every node for every pod costs more than the placement gains, so kube samples:
 *
 *   - fewer than 100 nodes: all of them;
 *   - percentage 0 means adaptive: 50 % minus one point per 125 nodes, never under 5 %
 *     (1,000 nodes → 42 % = 420; 5,000 → 10 % = 500; 6,000+ → 5 %);
 *   - whatever the percentage, never fewer than 100 nodes.
 *
 * Integer arithmetic throughout, as in kube, so the counts match it exactly.
 */

/** below this many nodes every node is checked; also the floor of the count */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** the adaptive percentage never drops below this */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** `percentage` is 0..100 (0 = adaptive), already resolved from the profile or the scheduler-wide value */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage;
  if (p === 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const numNodes = Math.trunc((numAllNodes * p) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}
