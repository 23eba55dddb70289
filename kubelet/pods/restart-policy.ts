/**
 * Whether an exited container comes back, by the pod's restartPolicy (kube's
 * ShouldContainerBeRestarted for regular containers): Always → yes, OnFailure → only
 * after a non-zero exit, Never → no. Sidecars (init containers with restartPolicy
 * Always) always come back while the pod runs; plain init containers come back after a
 * failure unless the pod's policy is Never.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { ContainerType } from '../cri/labels.js';

export const podRestartPolicy = (pod: V1Pod): string => pod.spec?.restartPolicy ?? 'Always';

export const isSidecar = (container: V1Container): boolean => container.restartPolicy === 'Always';

export function containerTypeOf(pod: V1Pod, name: string): ContainerType | undefined {
  const init = (pod.spec?.initContainers ?? []).find((c) => c.name === name);
  if (init) return isSidecar(init) ? 'sidecar' : 'init';
  return (pod.spec?.containers ?? []).some((c) => c.name === name) ? 'regular' : undefined;
}

export function shouldRestart(restartPolicy: string, type: ContainerType, exitCode: number): boolean {
  if (type === 'sidecar') return true;
  if (type === 'init') return restartPolicy !== 'Never' && exitCode !== 0;
  if (restartPolicy === 'Always') return true;
  if (restartPolicy === 'OnFailure') return exitCode !== 0;
  return false;
}

/** the spec of a container (init or regular) by name */
export const containerSpec = (pod: V1Pod, name: string): V1Container | undefined =>
  [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
