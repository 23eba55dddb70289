/**
 * The event sink preemption writes to: only `event()` of client/'s EventRecorder, so the
 * scheduler's recorder (component default-scheduler) or a test's array fits. The plugin
 * takes it from its args (`events`) or from the handle (`handle.events`), whichever the
 * scheduler wires; without one, no event is recorded.
 */
import type { EventRecorder } from '../../../client/events/types.js';
import type { Handle } from '../../framework/types.js';

export type PreemptionEvents = Pick<EventRecorder, 'event'>;

/** the handle may carry the scheduler's recorder (the framework's Handle does not declare it) */
export function eventsFrom(args: { events?: PreemptionEvents }, handle: Handle): PreemptionEvents | undefined {
  return args.events ?? (handle as Handle & { events?: PreemptionEvents }).events;
}

/** kube's text (preemption.go): "Preempted by pod %v on node %v" with the preemptor's uid */
export const preemptedMessage = (preemptorUid: string, nodeName: string): string => `Preempted by pod ${preemptorUid} on node ${nodeName}`;
