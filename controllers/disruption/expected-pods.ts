/**
 * How many pods a budget expects and how many it wants healthy (kube's
 * getExpectedPodCount / getExpectedScale):
 *
 *   minAvailable: 3       expected = the pods selected, desired = 3
 *   minAvailable: "50%"   expected = Σ scale of the pods' controllers, desired = ⌈50% · expected⌉
 *   maxUnavailable: 1|"%" expected = Σ scale of the pods' controllers, desired = max(0, expected − ⌈max⌉)
 *
 * A percentage or maxUnavailable needs to know how many pods there SHOULD be, which only
 * the pods' controllers know (a ReplicaSet's spec.replicas, …), so each controlled pod's
 * controller is looked up once (by uid). Pods without a controller are left out and
 * reported (kube: an "UnmanagedPods" warning, not a failure, so such budgets do not
 * hot-loop); a controller that cannot be found is an error → the budget's SyncFailed.
 */
import type { V1OwnerReference, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { scaledValue } from '../common/int-or-percent.js';

export interface ControllerScale {
  uid: string;
  scale: number;
}

/** finds the controller a pod's controllerRef names and its desired size; undefined when it is not (or not this kind) */
export type ControllerFinder = (ref: V1OwnerReference, namespace: string) => Promise<ControllerScale | undefined>;

export interface ExpectedPods {
  expectedCount: number;
  desiredHealthy: number;
  /** names of selected pods that have no controller (only looked for when the scale matters) */
  unmanagedPods: string[];
}

/** metav1.GetControllerOf: the owner reference marked controller: true */
export const controllerOf = (obj: { metadata?: { ownerReferences?: V1OwnerReference[] } }): V1OwnerReference | undefined =>
  obj.metadata?.ownerReferences?.find((ref) => ref.controller === true);

/** kube's getExpectedScale: Σ over distinct controllers of their scale; each finder is tried in order */
export async function expectedScale(pods: V1Pod[], finders: ControllerFinder[]): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
  // keyed by the controller found (a Deployment, for pods of its ReplicaSets), so each counts once
  const scales = new Map<string, number>();
  // the pods' own controllerRefs already resolved, so sibling pods are not looked up again
  const resolved = new Set<string>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata?.name ?? '');
      continue;
    }
    if (resolved.has(ref.uid) || scales.has(ref.uid)) continue;
    let found: ControllerScale | undefined;
    for (const finder of finders) {
      found = await finder(ref, pod.metadata?.namespace ?? '');
      if (found) break;
    }
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata?.name ?? '')}`);
    scales.set(found.uid, found.scale);
    resolved.add(ref.uid);
  }
  let expectedCount = 0;
  for (const scale of scales.values()) expectedCount += scale;
  return { expectedCount, unmanagedPods };
}

export async function expectedPodCount(pdb: V1PodDisruptionBudget, pods: V1Pod[], finders: ControllerFinder[]): Promise<ExpectedPods> {
  const spec = pdb.spec ?? {};
  const maxUnavailable = spec.maxUnavailable as number | string | undefined;
  const minAvailable = spec.minAvailable as number | string | undefined;
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, finders);
    const unavailable = scaledValue(maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - unavailable), unmanagedPods };
  }
  if (typeof minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
  if (typeof minAvailable === 'string') {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, finders);
    return { expectedCount, desiredHealthy: scaledValue(minAvailable, expectedCount, true), unmanagedPods };
  }
  // neither is set (validation forbids it): kube leaves both counts at zero
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}
