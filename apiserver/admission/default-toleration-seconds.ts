/**
 * kube-apiserver's DefaultTolerationSeconds admission plugin: every pod written through the
 * main resource (create and update, not subresources) tolerates the node lifecycle
 * controller's NoExecute taints `node.kubernetes.io/not-ready` and
 * `node.kubernetes.io/unreachable` for a bounded time, so a node that stops answering has
 * its pods evicted (and replaced elsewhere) after five minutes instead of never.
 *
 * kube's rule for "already tolerates", kept exactly: a toleration counts when its key is
 * that taint's key or empty, and its effect is NoExecute or empty — the operator is not
 * looked at. A pod that already tolerates a taint keeps its own toleration untouched.
 *
 * The seconds are kube-apiserver flags (--default-not-ready-toleration-seconds,
 * --default-unreachable-toleration-seconds, both 300); k8ts has no API server setting for
 * them, so they are constants with kube's value.
 */
import type { V1PodSpec, V1Toleration } from '@kubernetes/client-node';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** --default-not-ready-toleration-seconds */
export const DEFAULT_NOT_READY_TOLERATION_SECONDS = 300;
/** --default-unreachable-toleration-seconds */
export const DEFAULT_UNREACHABLE_TOLERATION_SECONDS = 300;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** kube's test: key equal or empty, effect NoExecute or empty (operator ignored) */
export function toleratesNoExecuteTaint(toleration: V1Toleration, taintKey: string): boolean {
  if (!isObject(toleration)) return false;
  const keyMatches = toleration.key === taintKey || !toleration.key;
  const effectMatches = toleration.effect === 'NoExecute' || !toleration.effect;
  return keyMatches && effectMatches;
}

/**
 * Append the default tolerations the pod spec lacks (not-ready first, then unreachable, as
 * kube does). A spec whose tolerations are not a list is left for validation to reject.
 */
export function admitDefaultTolerationSeconds(spec: V1PodSpec): void {
  if (spec.tolerations !== undefined && spec.tolerations !== null && !Array.isArray(spec.tolerations)) return;
  const tolerations = spec.tolerations ?? [];
  const defaults: Array<[string, number]> = [
    [TAINT_NODE_NOT_READY, DEFAULT_NOT_READY_TOLERATION_SECONDS],
    [TAINT_NODE_UNREACHABLE, DEFAULT_UNREACHABLE_TOLERATION_SECONDS],
  ];
  const missing = defaults.filter(([key]) => !tolerations.some((t) => toleratesNoExecuteTaint(t, key)));
  if (missing.length === 0) return;
  spec.tolerations = [...tolerations, ...missing.map(([key, seconds]): V1Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }))];
}
