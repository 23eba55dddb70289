/**
 * Taints and tolerations (v1.Toleration.ToleratesTaint, v1helper.FindMatchingUntoleratedTaint),
 * shared by TaintToleration, NodeUnschedulable, PodTopologySpread's node inclusion policy
 * and the DaemonSet-style checks.
 *
 * A toleration tolerates a taint when its effect is empty or equal, its key is empty or
 * equal, and its operator is Exists (any value) or Equal/empty (same value). So an empty
 * key with Exists tolerates every taint.
 */
import type { V1Taint, V1Toleration } from '@kubernetes/client-node';

export function toleratesTaint(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** does any of the tolerations tolerate the taint */
export function taintToleratedByTolerations(taint: V1Taint, tolerations: readonly V1Toleration[] | undefined): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/**
 * The first taint that passes `include` (all taints when omitted) and that no toleration
 * tolerates; undefined when the pod tolerates them all.
 */
export function findUntoleratedTaint(
  taints: readonly V1Taint[] | undefined,
  tolerations: readonly V1Toleration[] | undefined,
  include?: (taint: V1Taint) => boolean,
): V1Taint | undefined {
  for (const taint of taints ?? []) {
    if (include && !include(taint)) continue;
    if (!taintToleratedByTolerations(taint, tolerations)) return taint;
  }
  return undefined;
}

/** an inclusion filter keeping taints whose effect is one of these */
export const taintEffectIn =
  (...effects: string[]) =>
  (taint: V1Taint): boolean =>
    effects.includes(taint.effect);
