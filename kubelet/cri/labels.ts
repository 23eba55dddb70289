/**
 * The labels and annotations the kubelet puts on sandboxes and containers it creates,
 * with the real kubelet's names, so the kubelet can find a pod's containers again through
 * listPodSandbox/listContainers (after a restart, or to serve logs) without state of its own.
 */

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

/** container annotations */
export const CONTAINER_RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';
export const CONTAINER_TERMINATION_MESSAGE_PATH_ANNOTATION = 'io.kubernetes.container.terminationMessagePath';
export const CONTAINER_TERMINATION_MESSAGE_POLICY_ANNOTATION = 'io.kubernetes.container.terminationMessagePolicy';
/**
 * k8ts: which kind of container this is ('init', 'sidecar' — an init container with
 * restartPolicy Always — or 'regular'). CRI does not say; the simulated runtime needs it
 * so init containers finish (exit 0 at once) by default while others run on.
 */
export const CONTAINER_TYPE_ANNOTATION = 'k8ts.io/container-type';
export type ContainerType = 'init' | 'sidecar' | 'regular';
export const POD_TERMINATION_GRACE_PERIOD_ANNOTATION = 'io.kubernetes.pod.terminationGracePeriod';

export interface PodIdentity {
  namespace: string;
  name: string;
  uid: string;
}

export const sandboxLabels = (pod: PodIdentity, podLabels: Record<string, string> = {}): Record<string, string> => ({
  ...podLabels,
  [POD_NAME_LABEL]: pod.name,
  [POD_NAMESPACE_LABEL]: pod.namespace,
  [POD_UID_LABEL]: pod.uid,
});

export const containerLabels = (pod: PodIdentity, container: string): Record<string, string> => ({
  [POD_NAME_LABEL]: pod.name,
  [POD_NAMESPACE_LABEL]: pod.namespace,
  [POD_UID_LABEL]: pod.uid,
  [CONTAINER_NAME_LABEL]: container,
});
