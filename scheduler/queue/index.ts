/** The scheduling queue: activeQ, backoffQ and unschedulablePods, plus nominated pods. */
export { PriorityQueue, QueueClosedError, type PendingPod, type RequeueResult, type SubQueue } from './priority-queue.js';
export { Nominator } from './nominator.js';
export { backoffDuration, backoffExpiry, isBackingOff, type BackoffSettings } from './backoff.js';
export { podWorthRequeuing, eventsOfInterest, type QueueingDecision, type QueueingHintMap } from './queueing-hints.js';
export { isPodUpdated } from './pod-updated.js';
export * from './settings.js';
