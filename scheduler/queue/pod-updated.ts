/**
 * Did an update change anything that could affect scheduling (kube's isPodUpdated)? A
 * pending pod's status, resourceVersion, generation, managedFields and finalizers change
 * all the time without making it any more schedulable (the scheduler itself writes its
 * PodScheduled condition), so an unschedulable pod is retried only when something else —
 * labels, spec, annotations — changed.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';

function schedulingRelevant(pod: V1Pod): unknown {
  const { resourceVersion: _rv, generation: _gen, managedFields: _mf, finalizers: _fin, ...metadata } = pod.metadata ?? {};
  // status.resize (an in-place resize in progress) is the one status field kube keeps
  const resize = (pod.status as { resize?: unknown } | undefined)?.resize;
  return { metadata, spec: pod.spec, resize };
}

export function isPodUpdated(oldPod: V1Pod | undefined, newPod: V1Pod): boolean {
  if (!oldPod) return true;
  return !isDeepStrictEqual(schedulingRelevant(oldPod), schedulingRelevant(newPod));
}
