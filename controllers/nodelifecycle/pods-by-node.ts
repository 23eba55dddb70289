/**
 * The pods bound to a node, from the shared pod informer (kube's podIndexer on
 * spec.nodeName). Both of this folder's controllers need it; the index is added once.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { SharedInformer } from '../../client/informers/index.js';
import type { KubeObject } from '../../client/types.js';

export const POD_NODE_NAME_INDEX = 'nodelifecycle/spec.nodeName';

export function addPodNodeNameIndex(pods: SharedInformer<KubeObject>): void {
  try {
    pods.addIndexers({ [POD_NODE_NAME_INDEX]: (pod) => [(pod as unknown as V1Pod).spec?.nodeName] });
  } catch (err) {
    // the other controller of this folder added it to the same shared informer
    if (!/already exists/.test((err as Error).message)) throw err;
  }
}

export const podsOnNode = (pods: SharedInformer<KubeObject>, nodeName: string): V1Pod[] => pods.lister().byIndex(POD_NODE_NAME_INDEX, nodeName) as unknown as V1Pod[];
