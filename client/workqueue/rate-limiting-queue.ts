/**
 * The top layer (client-go's RateLimitingInterface): a delaying queue that asks a
 * RateLimiter how long a failed key should wait. Controllers call addRateLimited(key)
 * after a failure and forget(key) after a success (forget only resets the backoff; it
 * does not remove a queued key).
 */
import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import { DelayingQueue } from './delaying-queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.js';

export interface RateLimitingQueueOptions<T> {
  clock?: Clock;
  /** default: defaultControllerRateLimiter(clock) */
  rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T = string> extends DelayingQueue<T> {
  private readonly rateLimiter: RateLimiter<T>;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    const clock = opts.clock ?? realClock;
    super({ clock });
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(clock);
  }

  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
