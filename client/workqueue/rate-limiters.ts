/**
 * How long a key waits before its next retry (client-go's workqueue rate limiters).
 *
 *   ItemExponentialFailureRateLimiter  per key: base * 2^failures, capped (5 ms … 1000 s);
 *                                      forget(key) resets it after a success.
 *   BucketRateLimiter                  one token bucket for all keys (10 qps, burst 100):
 *                                      caps the overall retry rate when many keys fail.
 *   MaxOfRateLimiter                   the longest wait any of its limiters asks for.
 *   defaultControllerRateLimiter()     max(exponential, bucket), as controllers use.
 *
 * when(item) both answers and records: each call counts as one more retry.
 */
import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';

export interface RateLimiter<T = string> {
  /** how long (ms) to wait before retrying `item`; counts one more retry */
  when(item: T): number;
  /** the item succeeded: stop tracking it */
  forget(item: T): void;
  /** how many times the item has been retried since it was last forgotten */
  numRequeues(item: T): number;
}

export class ItemExponentialFailureRateLimiter<T = string> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;

  constructor(opts: { baseDelayMs?: number; maxDelayMs?: number } = {}) {
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 1000_000;
    if (!(this.baseDelayMs >= 0) || !(this.maxDelayMs >= 0)) {
      throw new Error(`rate limiter delays must be non-negative numbers (base ${this.baseDelayMs}, max ${this.maxDelayMs})`);
    }
  }

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    // 2^exp grows past max quickly; Math.pow stays finite long enough and min() caps it.
    const backoff = this.baseDelayMs * Math.pow(2, exp);
    return Number.isFinite(backoff) ? Math.min(backoff, this.maxDelayMs) : this.maxDelayMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * A token bucket holding up to `burst` tokens, refilled at `qps` per second. Each when()
 * takes one token; when the bucket is empty the caller is told to wait for its token (the
 * balance goes negative, like Go's rate.Limiter.Reserve), so waits queue up fairly.
 */
export class BucketRateLimiter<T = string> implements RateLimiter<T> {
  private tokens: number;
  private last: number;
  readonly qps: number;
  readonly burst: number;
  private readonly clock: Clock;

  constructor(opts: { qps?: number; burst?: number; clock?: Clock } = {}) {
    this.qps = opts.qps ?? 10;
    this.burst = opts.burst ?? 100;
    if (!(this.qps > 0) || !(this.burst >= 1)) {
      throw new Error(`bucket rate limiter needs qps > 0 and burst >= 1 (got qps ${this.qps}, burst ${this.burst})`);
    }
    this.clock = opts.clock ?? realClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

export class MaxOfRateLimiter<T = string> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    if (limiters.length === 0) throw new Error('MaxOfRateLimiter needs at least one limiter');
    this.limiters = limiters;
  }

  when(item: T): number {
    // Every limiter must see the call (each records it), so no short-circuit.
    let longest = 0;
    for (const l of this.limiters) longest = Math.max(longest, l.when(item));
    return longest;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let most = 0;
    for (const l of this.limiters) most = Math.max(most, l.numRequeues(item));
    return most;
  }
}

/** per-key exponential backoff (5 ms … 1000 s) and an overall 10 qps / burst 100 bucket */
export function defaultControllerRateLimiter<T = string>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(), new BucketRateLimiter<T>({ clock }));
}
