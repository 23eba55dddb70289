/**
 * What the DaemonSet's manage loop wants, pure (kube's podsShouldBeOnNode,
 * getUnscheduledPodsWithoutNode, IsPodUpdated, CreatePodTemplate):
 *
 *   node should run, has no pod              → create one there
 *   node may keep its pods                   → drop failed (with backoff, by the caller)
 *                                              and succeeded ones; keep the oldest running
 *                                              one (with maxSurge: an old and a new one
 *                                              while the new one is not yet available)
 *   node must not run it                     → delete its pods
 *   pod pinned to a node that no longer exists and never scheduled → delete
 */
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { isPodAvailable, isPodReady, isPodTerminal } from '../common/pod-status.js';
import { timeOf } from '../common/time.js';
import { addDaemonPodTolerations, nodeShouldRunDaemonPod, targetNodeName, type DaemonSet, type Node, type Pod } from './daemon-pod-predicates.js';

/** apps.DefaultDaemonSetUniqueLabelKey: the revision hash a daemon pod was made from */
export const DAEMONSET_HASH_LABEL = 'controller-revision-hash';
/** extensions.DaemonSetTemplateGenerationKey */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** where apps/v1 keeps the DaemonSet's templateGeneration */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/**
 * util.GetTemplateGeneration: the annotation kube's API server keeps; k8ts's server does
 * not write it, so metadata.generation stands in (it only ever grows, like the original).
 */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const annotated = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (annotated !== undefined) {
    const n = Number(annotated);
    return Number.isInteger(n) ? n : undefined;
  }
  return ds.metadata?.generation;
}

/** IsPodUpdated: the pod carries the current hash, or the current template generation */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const templateMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  const hashMatches = hash.length > 0 && labels[DAEMONSET_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}

/** CreatePodTemplate: the template plus daemon tolerations, generation and hash labels */
export function daemonPodTemplate(ds: DaemonSet, hash: string): V1PodTemplateSpec {
  const template = structuredClone(ds.spec?.template ?? { spec: { containers: [] } });
  template.spec ??= { containers: [] };
  addDaemonPodTolerations(template.spec);
  const labels = { ...template.metadata?.labels };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[DAEMONSET_HASH_LABEL] = hash;
  template.metadata = { ...template.metadata, labels };
  return template;
}

/**
 * podByCreationTimestampAndPhase: scheduled pods (with a nodeName) before unscheduled
 * ones, then oldest first, then by name.
 */
export function sortByCreationAndPhase(pods: readonly Pod[]): Pod[] {
  return [...pods].sort((a, b) => {
    const ra = Boolean(a.spec?.nodeName);
    const rb = Boolean(b.spec?.nodeName);
    if (ra !== rb) return ra ? -1 : 1;
    const ta = timeOf(a.metadata?.creationTimestamp);
    const tb = timeOf(b.metadata?.creationTimestamp);
    if (ta !== tb) return (Number.isNaN(ta) ? 0 : ta) - (Number.isNaN(tb) ? 0 : tb);
    return String(a.metadata?.name).localeCompare(String(b.metadata?.name));
  });
}

/**
 * getNodesToDaemonPods: the daemon's pods by the node they are on or pinned to. Pods
 * that are terminal AND being deleted are left out unless `includeDeletedTerminal`;
 * pods with no node at all are left out (kube logs them).
 */
export function podsByNode(pods: readonly Pod[], includeDeletedTerminal = false): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata?.deletionTimestamp) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }
  return byNode;
}

export interface NodeDecision {
  /** this node needs a daemon pod */
  needsPod: boolean;
  /** pod names to delete now */
  podsToDelete: string[];
  /** failed pods the caller deletes unless the node's failed-pod backoff holds them back */
  failedPods: Pod[];
}

/** podsShouldBeOnNode for one node; see the header */
export function podsShouldBeOnNode(node: Node, ds: DaemonSet, podsOnNode: readonly Pod[] | undefined, hash: string, now: number): NodeDecision {
  const decision: NodeDecision = { needsPod: false, podsToDelete: [], failedPods: [] };
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
  const exists = podsOnNode !== undefined && podsOnNode.length > 0;
  if (shouldRun && !exists) {
    decision.needsPod = true;
    return decision;
  }
  if (shouldContinueRunning) {
    const running: Pod[] = [];
    for (const pod of podsOnNode ?? []) {
      if (pod.metadata?.deletionTimestamp) continue;
      if (pod.status?.phase === 'Failed') decision.failedPods.push(pod);
      else if (pod.status?.phase === 'Succeeded') decision.podsToDelete.push(pod.metadata?.name ?? '');
      else running.push(pod);
    }
    if (!allowsSurge(ds)) {
      // without surge: one pod per node, the oldest stays
      if (running.length > 1) for (const pod of sortByCreationAndPhase(running).slice(1)) decision.podsToDelete.push(pod.metadata?.name ?? '');
      return decision;
    }
    if (running.length <= 1) {
      // surging needs at least one live pod on the node
      if (running.length === 0 && shouldRun) decision.needsPod = true;
      return decision;
    }
    // with surge: keep the oldest new pod and the oldest old pod, until the new one is available
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const pod of sortByCreationAndPhase(running)) {
      if (pod.metadata?.labels?.[DAEMONSET_HASH_LABEL] === hash) {
        if (!oldestNew) {
          oldestNew = pod;
          continue;
        }
      } else if (!oldestOld) {
        oldestOld = pod;
        continue;
      }
      decision.podsToDelete.push(pod.metadata?.name ?? '');
    }
    if (oldestNew && oldestOld) {
      if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now)) decision.podsToDelete.push(oldestOld.metadata?.name ?? '');
    }
    return decision;
  }
  if (exists) {
    for (const pod of podsOnNode ?? []) if (!pod.metadata?.deletionTimestamp) decision.podsToDelete.push(pod.metadata?.name ?? '');
  }
  return decision;
}

/** getUnscheduledPodsWithoutNode: never-scheduled pods pinned to nodes that are gone */
export function unscheduledPodsWithoutNode(nodeNames: ReadonlySet<string>, byNode: ReadonlyMap<string, Pod[]>): string[] {
  const out: string[] = [];
  for (const [node, pods] of byNode) {
    if (nodeNames.has(node)) continue;
    for (const pod of pods) if (!pod.spec?.nodeName && !pod.metadata?.deletionTimestamp) out.push(pod.metadata?.name ?? '');
  }
  return out;
}

/** util.AllowsSurge: RollingUpdate with a non-zero maxSurge */
export function allowsSurge(ds: DaemonSet): boolean {
  const strategy = ds.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate') return false;
  const surge = strategy.rollingUpdate?.maxSurge;
  if (surge === undefined || surge === null) return false;
  return surge !== 0 && surge !== '0%' && surge !== '0';
}
