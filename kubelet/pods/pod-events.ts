/**
 * What kubelet events point at: the Pod (apiVersion, kind, name, namespace, uid,
 * resourceVersion) and, for container events, the fieldPath kube uses
 * ("spec.containers{web}", "spec.initContainers{setup}") so `kubectl describe` groups them.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeObject } from '../../client/types.js';

export function podReference(pod: V1Pod): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.metadata?.name,
      namespace: pod.metadata?.namespace,
      uid: pod.metadata?.uid,
      resourceVersion: pod.metadata?.resourceVersion,
    },
  };
}

export function containerFieldPath(pod: V1Pod, containerName: string): string {
  const isInit = (pod.spec?.initContainers ?? []).some((c) => c.name === containerName);
  return `spec.${isInit ? 'initContainers' : 'containers'}{${containerName}}`;
}

/** kube's format.Pod: name_namespace(uid) */
export const formatPod = (pod: V1Pod): string => `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
