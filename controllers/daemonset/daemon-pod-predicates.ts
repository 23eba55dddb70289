/**
 * Which nodes a DaemonSet's pod belongs on (kube's NodeShouldRunDaemonPod and friends in
 * pkg/controller/daemon and pkg/controller/daemon/util), pure:
 *
 *   shouldRun             the pod fits: template nodeName (if any) is this node, the
 *                         nodeSelector and required node affinity admit it, and every
 *                         NoSchedule/NoExecute taint is tolerated;
 *   shouldContinueRunning a pod already there may stay: as shouldRun, except that only
 *                         NoExecute taints must be tolerated.
 *
 * Daemon pods always get kube's default daemon tolerations (not-ready and unreachable
 * NoExecute without tolerationSeconds, so node trouble never evicts them; disk, memory
 * and pid pressure and unschedulable NoSchedule; network-unavailable with hostNetwork),
 * and are pinned to their node with a required node affinity on `metadata.name`, which
 * the scheduler honours when it binds them.
 *
 * The toleration and node-selector rules are the scheduler's pure helpers (kube's daemon
 * controller shares them with kube-scheduler through component-helpers the same way).
 */
import type { V1Affinity, V1DaemonSet, V1Node, V1Pod, V1PodSpec, V1Taint, V1Toleration } from '@kubernetes/client-node';
import type { KubeObject } from '../../client/types.js';
import { requiredNodeAffinityMatcher } from '../../scheduler/plugins/helpers/node-selector.js';
import { findUntoleratedTaint } from '../../scheduler/plugins/helpers/tolerations.js';

export type DaemonSet = V1DaemonSet & KubeObject;
export type Node = V1Node & KubeObject;
export type Pod = V1Pod & KubeObject;

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/** v1.Toleration.MatchToleration: same key, operator, value and effect */
const sameToleration = (a: V1Toleration, b: V1Toleration): boolean =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/** AddOrUpdateTolerationInPodSpec: replace a matching toleration, else append */
function addOrUpdateToleration(spec: V1PodSpec, toleration: V1Toleration): void {
  const tolerations = [...(spec.tolerations ?? [])];
  const at = tolerations.findIndex((t) => sameToleration(t, toleration));
  if (at >= 0) tolerations[at] = toleration;
  else tolerations.push(toleration);
  spec.tolerations = tolerations;
}

/** AddOrUpdateDaemonPodTolerations (mutates `spec`) */
export function addDaemonPodTolerations(spec: V1PodSpec): void {
  addOrUpdateToleration(spec, { key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_DISK_PRESSURE, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_MEMORY_PRESSURE, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_PID_PRESSURE, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: TAINT_NODE_UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' });
  if (spec.hostNetwork) addOrUpdateToleration(spec, { key: TAINT_NODE_NETWORK_UNAVAILABLE, operator: 'Exists', effect: 'NoSchedule' });
}

/** NewPod: the daemon pod as it would run on `nodeName` (for the predicates only) */
export function newDaemonPod(ds: DaemonSet, nodeName: string): V1Pod {
  const template = ds.spec?.template ?? { spec: { containers: [] } };
  const spec = structuredClone(template.spec ?? { containers: [] });
  spec.nodeName = nodeName;
  addDaemonPodTolerations(spec);
  return { metadata: { ...structuredClone(template.metadata ?? {}), namespace: ds.metadata?.namespace ?? '' }, spec };
}

const isNoScheduleOrNoExecute = (t: V1Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
const isNoExecute = (t: V1Taint) => t.effect === 'NoExecute';

export interface ShouldRun {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/** NodeShouldRunDaemonPod; see the header */
export function nodeShouldRunDaemonPod(node: V1Node, ds: DaemonSet): ShouldRun {
  const nodeName = node.metadata?.name ?? '';
  const templateNodeName = ds.spec?.template?.spec?.nodeName;
  if (templateNodeName && templateNodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  const pod = newDaemonPod(ds, nodeName);
  // an invalid affinity simply matches nothing, as kube ignores the parse error
  let fitsAffinity: boolean;
  try {
    fitsAffinity = requiredNodeAffinityMatcher(pod)(node);
  } catch {
    fitsAffinity = false;
  }
  if (!fitsAffinity) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  if (findUntoleratedTaint(taints, pod.spec?.tolerations, isNoScheduleOrNoExecute)) {
    return { shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(taints, pod.spec?.tolerations, isNoExecute) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: require `metadata.name In [nodeName]`, replacing
 * any required node-selector terms (the node was already chosen against them).
 */
export function replaceNodeNameAffinity(affinity: V1Affinity | undefined, nodeName: string): V1Affinity {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const out = structuredClone(affinity ?? {});
  out.nodeAffinity = { ...out.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } };
  return out;
}

/**
 * GetTargetNodeName: spec.nodeName once bound, else the node its affinity pins it to;
 * undefined when neither says.
 */
export function targetNodeName(pod: V1Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const field of term.matchFields ?? []) {
      if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1) return field.values[0];
    }
  }
  return undefined;
}
