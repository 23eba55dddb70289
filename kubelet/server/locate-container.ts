/**
 * The kubelet server's locateContainer, answered from the runtime alone (as the real
 * kubelet finds containers again through CRI labels): the instances of one pod container
 * are the runtime's containers labelled with its namespace, pod name and container name;
 * `previous` is the instance before the newest (kube's `kubectl logs --previous`: the
 * last terminated one), the current one is the newest. Instances of an older pod of the
 * same name (another uid) are ignored once a newer pod has containers.
 */
import type { Container, RuntimeService } from '../cri/api.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../cri/labels.js';
import type { LocatedContainer } from './kubelet-server.js';

type Runtime = Pick<RuntimeService, 'listContainers' | 'containerStatus'>;

const newestFirst = (a: Container, b: Container) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt;

export function locateContainerInRuntime(runtime: Runtime) {
  return async (namespace: string, pod: string, container: string, previous: boolean): Promise<LocatedContainer | undefined> => {
    const { containers } = await runtime.listContainers({
      filter: { labelSelector: { [POD_NAMESPACE_LABEL]: namespace, [POD_NAME_LABEL]: pod, [CONTAINER_NAME_LABEL]: container } },
    });
    const sorted = [...containers].sort(newestFirst);
    const uid = sorted[0]?.labels[POD_UID_LABEL];
    const instances = sorted.filter((c) => c.labels[POD_UID_LABEL] === uid);
    const chosen = instances[previous ? 1 : 0];
    if (!chosen) return undefined;
    const { status } = await runtime.containerStatus({ containerId: chosen.id, verbose: false });
    if (!status.logPath) return undefined;
    return {
      logPath: status.logPath,
      // a created container is about to run: a follow waits for it
      isRunning: async () => {
        try {
          const { status: now } = await runtime.containerStatus({ containerId: chosen.id, verbose: false });
          return now.state === 'CONTAINER_RUNNING' || now.state === 'CONTAINER_CREATED';
        } catch {
          return false; // removed
        }
      },
    };
  };
}
