/**
 * kube's MarkPodsNotReady: when a node stops reporting, its pods' Ready conditions are
 * turned False by the control plane (the kubelet that would do it is gone), so Services
 * stop sending them traffic and workload controllers stop counting them available. Only
 * the status changes; the pods stay until taint-based eviction deletes them.
 */
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { formatTime } from '../common/time.js';

/**
 * The pod with its Ready condition False (lastTransitionTime now), or undefined when the
 * pod is not on the node, has no Ready condition, or is not ready already.
 */
export function podMarkedNotReady(pod: V1Pod, nodeName: string, now: number): V1Pod | undefined {
  if (pod.spec?.nodeName !== nodeName) return undefined;
  const conditions = pod.status?.conditions ?? [];
  const at = conditions.findIndex((c) => c.type === 'Ready');
  if (at < 0 || conditions[at]!.status === 'False') return undefined;
  const next = structuredClone(pod);
  const updated: V1PodCondition = { ...conditions[at]!, status: 'False', lastTransitionTime: formatTime(now) as unknown as Date };
  next.status!.conditions = conditions.map((c, i) => (i === at ? updated : structuredClone(c)));
  return next;
}
