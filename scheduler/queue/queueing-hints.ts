/**
 * Should a cluster event move an unschedulable pod back (kube's isPodWorthRequeuing)?
 *
 * Each plugin registers the events that might change its mind, optionally with a hint
 * that looks at the changed object. A pod moves when one of the plugins that rejected it
 * registered the event and that registration's hint (if any) says Queue. A pod that no
 * plugin rejected (it failed on an error, not a verdict) moves on any event of interest.
 * A hint that throws counts as Queue: a needless retry costs one cycle, a missed one
 * leaves the pod stuck until the unschedulable timeout.
 *
 * Example: pod p was rejected by NodeResourcesFit, which registered {Node, Add} without
 * a hint and {AssignedPod, Delete} with a hint checking the deleted pod freed resources.
 *   {Node, Add}           → Queue (no hint)
 *   {AssignedPod, Delete} → whatever the hint says
 *   {Node, Update}        → Skip (not registered by a plugin that rejected p)
 */
import type { ClusterEvent, ClusterEventWithHint, QueuedPodInfo } from '../framework/types.js';

export type QueueingDecision = 'Queue' | 'Skip';

/** plugin name → the events it registered (Framework.eventsToRegister()) */
export type QueueingHintMap = ReadonlyMap<string, readonly ClusterEventWithHint[]>;

export const eventKey = (event: ClusterEvent): string => `${event.resource}/${event.action}`;

export const sameEvent = (a: ClusterEvent, b: ClusterEvent): boolean => a.resource === b.resource && a.action === b.action;

/** every event some plugin registered, so events nobody cares about cost nothing */
export function eventsOfInterest(hints: QueueingHintMap): Set<string> {
  const keys = new Set<string>();
  for (const registrations of hints.values()) for (const r of registrations) keys.add(eventKey(r.event));
  return keys;
}

export function podWorthRequeuing(
  qpi: QueuedPodInfo,
  event: ClusterEvent,
  oldObj: unknown,
  newObj: unknown,
  hints: QueueingHintMap,
  onHintError?: (plugin: string, err: unknown) => void,
): QueueingDecision {
  if (qpi.unschedulablePlugins.size === 0) return 'Queue';
  for (const plugin of qpi.unschedulablePlugins) {
    for (const registration of hints.get(plugin) ?? []) {
      if (!sameEvent(registration.event, event)) continue;
      if (!registration.hint) return 'Queue';
      try {
        if (registration.hint(qpi.podInfo.pod, oldObj, newObj) === 'Queue') return 'Queue';
      } catch (err) {
        onHintError?.(plugin, err);
        return 'Queue';
      }
    }
  }
  return 'Skip';
}
