/**
 * PrioritySort (QueueSort): higher spec.priority first; among equals, the pod that
 * entered the queue earlier first.
 */
import type { PluginFactory, QueuedPodInfo, QueueSortPlugin } from '../../framework/types.js';

export const NAME = 'PrioritySort';

export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.podInfo.priority;
  const pb = b.podInfo.priority;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

export const factory: PluginFactory = (): QueueSortPlugin => ({ name: NAME, less: prioritySortLess });
