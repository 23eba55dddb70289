/**
 * The fewest pods to evict from one node so the preemptor fits (kube's
 * SelectVictimsOnNode), simulated on a cloned NodeInfo and CycleState:
 *
 *   1. remove every lower-priority pod (telling PreFilter extensions, so e.g. inter-pod
 *      affinity counts forget them) — none: "No preemption victims found for incoming pod";
 *   2. run the Filters (with nominated pods); if the pod still does not fit, the node
 *      cannot help and the Filter's status is the node's answer;
 *   3. reprieve: add the removed pods back one at a time, most important first — first
 *      those whose eviction would violate a PDB, then the rest — keeping each one the pod
 *      still fits beside; the ones that do not fit stay victims.
 *
 * Victims come back most important first; numPdbViolations counts PDB-violating victims.
 */
import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { CycleState } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { errorStatus, isSuccess, statusMessage, unresolvable, type Status } from '../../framework/status.js';
import type { Handle } from '../../framework/types.js';
import { isPreemptionAllowed } from './eligibility.js';
import { splitByPdbViolation } from './pdb-violation.js';
import { byImportance } from './pod-importance.js';

export const NO_VICTIMS_FOUND = 'No preemption victims found for incoming pod';

export interface VictimSelection {
  status: Status;
  /** most important first; empty unless status is Success */
  victims: PodInfo[];
  numPdbViolations: number;
}

type FilterRunner = Pick<Handle, 'runFilterPluginsWithNominatedPods' | 'runPreFilterExtensionAddPod' | 'runPreFilterExtensionRemovePod'>;

/** `state` and `nodeInfo` must be clones: they are changed */
export function selectVictimsOnNode(
  handle: FilterRunner,
  state: CycleState,
  pod: V1Pod,
  nodeInfo: NodeInfo,
  pdbs: readonly V1PodDisruptionBudget[],
  now: number,
): VictimSelection {
  const fail = (status: Status): VictimSelection => ({ status, victims: [], numPdbViolations: 0 });
  // a PreFilter extension that refuses a what-if is an internal error, as in kube (AsStatus(err))
  const extensionError = (s: Status): VictimSelection => fail(errorStatus(`running PreFilter extensions on node ${nodeInfo.name}: ${statusMessage(s)}`));
  const removePod = (info: PodInfo): Status => {
    nodeInfo.removePod(info.key);
    return handle.runPreFilterExtensionRemovePod(state, pod, info, nodeInfo);
  };
  const addPod = (info: PodInfo): Status => {
    nodeInfo.addPod(info);
    return handle.runPreFilterExtensionAddPod(state, pod, info, nodeInfo);
  };

  const potential = nodeInfo.podList().filter((p) => isPreemptionAllowed(p, pod));
  if (potential.length === 0) return fail(unresolvable(NO_VICTIMS_FOUND));
  for (const info of potential) {
    const s = removePod(info);
    if (!isSuccess(s)) return extensionError(s);
  }

  // Affinity of the preemptor to a victim is not worked around (kube decided the same:
  // affinity to lower-priority pods is not a recommended configuration).
  const fits = handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
  if (!isSuccess(fits)) return fail(fits);

  const compare = byImportance(now);
  potential.sort((a, b) => compare(a.pod, b.pod));
  const { violating, nonViolating } = splitByPdbViolation(potential, pdbs);

  const victims: PodInfo[] = [];
  /** kept: the pod still fits beside it; error: a PreFilter extension failed */
  const reprieve = (info: PodInfo): { kept: boolean; error?: Status } => {
    const added = addPod(info);
    if (!isSuccess(added)) return { kept: false, error: added };
    if (isSuccess(handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo))) return { kept: true };
    const removed = removePod(info);
    if (!isSuccess(removed)) return { kept: false, error: removed };
    victims.push(info);
    return { kept: false };
  };

  let numPdbViolations = 0;
  for (const info of violating) {
    const r = reprieve(info);
    if (r.error) return extensionError(r.error);
    if (!r.kept) numPdbViolations++;
  }
  for (const info of nonViolating) {
    const r = reprieve(info);
    if (r.error) return extensionError(r.error);
  }
  if (violating.length > 0 && nonViolating.length > 0) victims.sort((a, b) => compare(a.pod, b.pod));
  return { status: { code: 'Success', reasons: [] }, victims, numPdbViolations };
}
