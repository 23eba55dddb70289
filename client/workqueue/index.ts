/** The work queue, in layers: queue → delaying → rate-limiting; plus the worker loop. */
export { WorkQueue, type QueueItem } from './queue.js';
export { DelayingQueue } from './delaying-queue.js';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from './rate-limiters.js';
export { RateLimitingQueue, type RateLimitingQueueOptions } from './rate-limiting-queue.js';
export { runWorkers, type ProcessLoopOptions, type Reconcile, type ReconcileResult } from './process-loop.js';
export { TerminalError } from './terminal-error.js';
