/**
 * Where a streaming request goes, found through the runtime by the kubelet's own labels
 * (as logs are): exec/attach reach the container's current instance; port-forward
 * reaches the pod's ready sandbox — the newest, should an old one linger.
 */
import type { Runtime } from '../../cri/api.js';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../../cri/labels.js';
import type { PodManager } from '../../pods/pod-manager.js';
import type { StreamTargets } from './upgrade-handler.js';

export function streamTargets(runtime: Pick<Runtime, 'listPodSandbox'>, pods: Pick<PodManager, 'findContainer'>): StreamTargets {
  return {
    async container(namespace, pod, container) {
      const found = await pods.findContainer(namespace, pod, container, false);
      return found ? { containerId: found.containerId, running: found.running } : undefined;
    },
    async pod(namespace, pod) {
      const { items } = await runtime.listPodSandbox({
        filter: { state: { state: 'SANDBOX_READY' }, labelSelector: { [POD_NAMESPACE_LABEL]: namespace, [POD_NAME_LABEL]: pod } },
      });
      const newest = [...items].sort((a, b) => b.createdAt - a.createdAt)[0];
      return newest ? { uid: newest.labels[POD_UID_LABEL] ?? '', sandboxId: newest.id } : undefined;
    },
  };
}
