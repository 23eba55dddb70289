/**
 * Find preemption candidates (kube's findCandidates + DryRunPreemption).
 *
 * Only nodes the Filters rejected as Unschedulable can help: UnschedulableAndUnresolvable
 * (a taint, a node selector) stays so whatever is evicted. Starting at a random offset
 * (so successive preemptions spread over the cluster), each potential node gets a
 * simulated victim selection on clones; the search stops once it has `numCandidates`
 * candidates of which at least one violates no PDB. Kube checks nodes in parallel; the
 * cycle here is single-threaded, so the nodes are checked in order from the offset.
 *
 * Candidates come back non-PDB-violating first; every node checked without becoming a
 * candidate gets its status (why preemption there would not help).
 */
import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { CycleState } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { errorStatus, type Status } from '../../framework/status.js';
import type { Handle, NodeToStatusMap } from '../../framework/types.js';
import type { Candidate } from './pick-node.js';
import { selectVictimsOnNode } from './select-victims.js';

export interface DryRunResult {
  candidates: Candidate[];
  /** the nodes checked that are not candidates, with the reason */
  nodeStatuses: Map<string, Status>;
}

/** the nodes whose rejection removing pods might fix */
export function potentialNodes(all: readonly NodeInfo[], filtered: NodeToStatusMap): NodeInfo[] {
  return all.filter((n) => filtered.get(n.name)?.code === 'Unschedulable');
}

type DryRunHandle = Pick<Handle, 'runFilterPluginsWithNominatedPods' | 'runPreFilterExtensionAddPod' | 'runPreFilterExtensionRemovePod'>;

export function dryRunPreemption(
  handle: DryRunHandle,
  state: CycleState,
  pod: V1Pod,
  nodes: readonly NodeInfo[],
  pdbs: readonly V1PodDisruptionBudget[],
  offset: number,
  numCandidates: number,
  now: number,
): DryRunResult {
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  const nodeStatuses = new Map<string, Status>();
  for (let i = 0; i < nodes.length; i++) {
    const nodeInfo = nodes[(offset + i) % nodes.length]!;
    const selection = selectVictimsOnNode(handle, state.clone(), pod, nodeInfo.clone(), pdbs, now);
    if (selection.status.code === 'Success') {
      if (selection.victims.length === 0) {
        // the Filters said Unschedulable, yet it fits without evicting anything: an inconsistency, as in kube
        nodeStatuses.set(nodeInfo.name, errorStatus(`expected at least one victim pod on node "${nodeInfo.name}"`));
        continue;
      }
      const candidate: Candidate = { nodeName: nodeInfo.name, victims: selection.victims.map((v) => v.pod), numPdbViolations: selection.numPdbViolations };
      (candidate.numPdbViolations === 0 ? nonViolating : violating).push(candidate);
      if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
      continue;
    }
    nodeStatuses.set(nodeInfo.name, selection.status);
  }
  return { candidates: [...nonViolating, ...violating], nodeStatuses };
}
