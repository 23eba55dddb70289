/**
 * Pods nominated to a node (kube's nominator): when preemption evicts victims for a pod,
 * the pod is "nominated" to that node until it is bound, and Filter counts it as already
 * there so lower-priority pods do not take the room it made. The nomination comes from
 * pod.status.nominatedNodeName, or is set directly by the scheduler right after
 * preemption (before the API server has echoed the status update back).
 *
 * Keyed by namespace/name (PodInfo.key), as the rest of the scheduler is. Nominated pods
 * of one node come back in the order they were nominated.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { podKey, type PodInfo } from '../framework/node-info.js';
import type { NominatedPods } from '../framework/types.js';

const statusNominatedNode = (pod: V1Pod | undefined): string => pod?.status?.nominatedNodeName ?? '';

export class Nominator implements NominatedPods {
  private readonly podsByNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeByPod = new Map<string, string>();

  /**
   * Record the pod's nomination. `nodeName` undefined: take it from
   * pod.status.nominatedNodeName; a string (even '') overrides it, '' meaning "none".
   * Any earlier nomination of the pod is replaced.
   */
  addNominatedPod(podInfo: PodInfo, nodeName?: string): void {
    this.deleteByKey(podInfo.key);
    const node = nodeName ?? statusNominatedNode(podInfo.pod);
    // a pod already bound needs no reservation: the cache counts it on its node
    if (!node || podInfo.pod.spec?.nodeName) return;
    this.nodeByPod.set(podInfo.key, node);
    let pods = this.podsByNode.get(node);
    if (!pods) this.podsByNode.set(node, (pods = new Map()));
    pods.set(podInfo.key, podInfo);
  }

  /**
   * The pod changed: swap in the new object. When neither version carries a nomination
   * but we hold one, keep it — the status update with the nominated node may simply not
   * have arrived yet (kube keeps the in-memory nomination in the same case).
   */
  updateNominatedPod(oldPod: V1Pod | undefined, newPodInfo: PodInfo): void {
    let override: string | undefined;
    if (!statusNominatedNode(oldPod) && !statusNominatedNode(newPodInfo.pod)) {
      override = this.nodeByPod.get(oldPod ? podKey(oldPod) : newPodInfo.key);
    }
    if (oldPod) this.deleteByKey(podKey(oldPod));
    this.addNominatedPod(newPodInfo, override);
  }

  deleteNominatedPodIfExists(pod: V1Pod): void {
    this.deleteByKey(podKey(pod));
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    const pods = this.podsByNode.get(nodeName);
    return pods ? [...pods.values()] : [];
  }

  /** the node the pod is nominated to, or undefined */
  nominatedNodeOf(key: string): string | undefined {
    return this.nodeByPod.get(key);
  }

  private deleteByKey(key: string): void {
    const node = this.nodeByPod.get(key);
    if (node === undefined) return;
    this.nodeByPod.delete(key);
    const pods = this.podsByNode.get(node);
    pods?.delete(key);
    if (pods?.size === 0) this.podsByNode.delete(node);
  }
}
