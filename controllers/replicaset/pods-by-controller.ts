/**
 * An index of the shared pod cache by controller (kube's PodControllerUIDIndex and
 * FilterPodsByOwner): a ReplicaSet's sync needs only its own pods and the namespace's
 * orphans (which it may adopt), not every pod of the namespace — with thousands of pods
 * in one namespace, listing them all on every sync of every ReplicaSet is quadratic.
 *
 *   pod owned by controller uid U   → indexed under "U"
 *   orphan pod in namespace N       → indexed under "<orphan>/N"
 *
 * Pods owned by another controller are never claimed anyway, so the result is the same as
 * filtering the whole namespace. The index has this controller's own name: the pod cache
 * is shared by every controller, and two indexes of one name cannot coexist.
 */
import type { SharedInformer } from '../../client/informers/index.js';
import type { KubeObject } from '../../client/types.js';
import { getControllerOf } from '../common/controller-ref.js';

export const PODS_BY_CONTROLLER_INDEX = 'replicaset-controller/podControllerUID';

const orphanKey = (namespace: string) => `<orphan>/${namespace}`;

const indexed = new WeakSet<SharedInformer<KubeObject>>();

/** add the index to the shared pod informer once (idempotent per informer) */
export function addPodsByControllerIndex(pods: SharedInformer<KubeObject>): void {
  if (indexed.has(pods)) return;
  pods.addIndexers({
    [PODS_BY_CONTROLLER_INDEX]: (pod) => {
      const ref = getControllerOf(pod);
      return [ref ? ref.uid : orphanKey(pod.metadata?.namespace ?? '')];
    },
  });
  indexed.add(pods);
}

/** the pods `owner` controls plus the orphans of its namespace */
export function podsOwnedOrOrphaned(pods: SharedInformer<KubeObject>, owner: KubeObject): KubeObject[] {
  const lister = pods.lister();
  const uid = owner.metadata?.uid;
  const owned = uid ? lister.byIndex(PODS_BY_CONTROLLER_INDEX, uid) : [];
  // a pod of the same uid in another namespace cannot be ours (uids are unique; belt and braces)
  const namespace = owner.metadata?.namespace ?? '';
  return [...owned.filter((p) => p.metadata?.namespace === namespace), ...lister.byIndex(PODS_BY_CONTROLLER_INDEX, orphanKey(namespace))];
}
