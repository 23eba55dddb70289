/**
 * One pod as the runtime sees it, found through the kubelet's labels (io.kubernetes.pod.uid),
 * so a restarted kubelet adopts the sandboxes and containers it created before: every
 * sandbox of the pod (newest first) and the full status of every container instance
 * (newest first per name).
 */
import type { ContainerStatus, PodSandbox, RuntimeService } from '../cri/api.js';
import { isCriError } from '../cri/errors.js';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from '../cri/labels.js';

export interface RuntimePod {
  sandboxes: PodSandbox[];
  containers: ContainerStatus[];
}

export async function readRuntimePod(runtime: RuntimeService, podUid: string): Promise<RuntimePod> {
  const labelSelector = { [POD_UID_LABEL]: podUid };
  const [{ items }, { containers }] = await Promise.all([runtime.listPodSandbox({ filter: { labelSelector } }), runtime.listContainers({ filter: { labelSelector } })]);
  const statuses = await Promise.all(
    containers.map((c) =>
      runtime.containerStatus({ containerId: c.id, verbose: false }).then(
        (r) => r.status,
        // removed between the list and the status call: it simply is not there any more
        (err) => {
          if (isCriError(err, 'NotFound')) return undefined;
          throw err;
        },
      ),
    ),
  );
  return {
    sandboxes: [...items].sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt),
    containers: statuses.filter((s): s is ContainerStatus => s !== undefined).sort(newestFirst),
  };
}

const newestFirst = (a: ContainerStatus, b: ContainerStatus): number => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt;

/** a container's name, from its metadata (or the kubelet's label, should a runtime drop metadata) */
export const containerName = (c: ContainerStatus): string => c.metadata.name || c.labels[CONTAINER_NAME_LABEL] || '';

/** every instance of one container, newest first */
export const instancesOf = (pod: RuntimePod, name: string): ContainerStatus[] => pod.containers.filter((c) => containerName(c) === name);

export const latestInstance = (pod: RuntimePod, name: string): ContainerStatus | undefined => instancesOf(pod, name)[0];

export const nanosToMs = (nanos: number): number => Math.floor(nanos / 1e6);
