/**
 * The DaemonSet's RollingUpdate step (kube's rollingUpdate in pkg/controller/daemon/update.go),
 * pure: given the daemon pods per node, which old pods to delete and on which nodes to
 * surge a new pod. The manage loop then fills the nodes left without a pod.
 *
 * maxSurge 0 (the default): delete old pods while the number of unavailable nodes stays
 * within maxUnavailable; an old pod that is unavailable anyway is always replaced.
 *   3 nodes, all old and available, maxUnavailable 1 → delete one old pod
 *   one new pod not yet available                     → delete nothing more
 * maxSurge > 0: start a new pod next to an old one (up to maxSurge at once; at once when
 * the old one is unavailable), and delete the old pod once the new one is available.
 */
import { isPodAvailable } from '../common/pod-status.js';
import { scaledValue } from '../common/int-or-percent.js';
import { nodeShouldRunDaemonPod, type DaemonSet, type Node, type Pod } from './daemon-pod-predicates.js';
import { isPodUpdated, templateGeneration } from './daemonset-pods.js';

export interface RollingUpdateInput {
  ds: DaemonSet;
  nodes: readonly Node[];
  /** podsByNode(pods) */
  byNode: ReadonlyMap<string, Pod[]>;
  hash: string;
  now: number;
}

export interface RollingUpdateStep {
  podsToDelete: string[];
  nodesNeedingPods: string[];
}

/**
 * findUpdatedPodsOnNode: the node's live new and old pod; ok=false when it has more than
 * one of either (the manage loop prunes those first).
 */
export function findUpdatedPodsOnNode(ds: DaemonSet, pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  const generation = templateGeneration(ds);
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}), ok: true };
}

/** updatedDesiredNodeCounts: maxSurge, maxUnavailable and how many nodes should run the pod */
export function desiredNodeCounts(ds: DaemonSet, nodes: readonly Node[]): { maxSurge: number; maxUnavailable: number; desired: number; wanted: string[] } {
  const wanted = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).map((n) => n.metadata?.name ?? '');
  const desired = wanted.length;
  const rolling = ds.spec?.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  const maxUnavailable = rolling?.maxUnavailable !== undefined && rolling.maxUnavailable !== null ? scaledValue(rolling.maxUnavailable, desired, true) : 0;
  const maxSurge = rolling?.maxSurge !== undefined && rolling.maxSurge !== null ? scaledValue(rolling.maxSurge, desired, true) : 0;
  // an impossible configuration (both 0) falls back to kube's default of one unavailable
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) return { maxSurge, maxUnavailable: 1, desired, wanted };
  return { maxSurge, maxUnavailable, desired, wanted };
}

/** one rolling-update step; see the header */
export function rollingUpdateStep(input: RollingUpdateInput): RollingUpdateStep {
  const { ds, hash, now } = input;
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const available = (pod: Pod) => isPodAvailable(pod, minReadySeconds, now);
  const { maxSurge, maxUnavailable, desired, wanted } = desiredNodeCounts(ds, input.nodes);
  // every node that should run the pod counts, with or without pods
  const byNode = new Map(input.byNode);
  for (const name of wanted) if (!byNode.has(name)) byNode.set(name, []);
  const nodesByName = new Map(input.nodes.map((n) => [n.metadata?.name ?? '', n]));
  const shouldRun = (nodeName: string) => {
    const node = nodesByName.get(nodeName);
    return node !== undefined && nodeShouldRunDaemonPod(node, ds).shouldRun;
  };
  // kube walks a Go map (random order); k8ts walks nodes by name so a step is reproducible
  const entries = [...byNode].sort(([a], [b]) => a.localeCompare(b));

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replacements: string[] = [];
    const candidates: string[] = [];
    for (const [, pods] of entries) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          replacements.push(oldPod.metadata?.name ?? '');
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) candidates.push(oldPod.metadata?.name ?? '');
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { podsToDelete: [...replacements, ...candidates.slice(0, remaining)], nodesNeedingPods: [] };
  }

  const podsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [nodeName, pods] of entries) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(nodeName)) podsToDelete.push(oldPod.metadata?.name ?? '');
        else allowedNodes.push(nodeName);
        continue;
      }
      if (!shouldRun(nodeName)) {
        shouldNotRunPodsToDelete.push(oldPod.metadata?.name ?? '');
        continue;
      }
      if (numSurge >= maxSurge) continue;
      candidateNodes.push(nodeName);
      continue;
    }
    // surged already: wait for the new pod, then retire the old one
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    podsToDelete.push(oldPod.metadata?.name ?? '');
  }
  // pods on nodes that no longer qualify go only while enough others are available
  const deletable = Math.min(Math.max(0, numAvailable - desired), shouldNotRunPodsToDelete.length);
  podsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNodes.length);
  return { podsToDelete, nodesNeedingPods: [...allowedNodes, ...candidateNodes.slice(0, remainingSurge)] };
}
