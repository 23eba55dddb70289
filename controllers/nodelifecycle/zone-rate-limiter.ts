/**
 * One token bucket per zone (kube's RateLimitedTimedQueue limiter, burst 1) on the Clock:
 * tryAccept() takes a token when one is there. A rate of 0 accepts nothing (kube swaps in
 * a "fake always reject" limiter then). Changing the rate starts a fresh bucket, as kube's
 * SwapLimiter does.
 */
import type { Clock } from '../../client/clock.js';

export class ZoneRateLimiter {
  private tokens = 1;
  private last: number;
  private qps: number;

  constructor(
    private readonly clock: Clock,
    qps: number,
  ) {
    this.qps = qps;
    this.last = clock.now();
  }

  get rate(): number {
    return this.qps;
  }

  setRate(qps: number): void {
    if (qps === this.qps) return;
    this.qps = qps;
    this.tokens = 1;
    this.last = this.clock.now();
  }

  tryAccept(): boolean {
    if (!(this.qps > 0)) return false;
    const now = this.clock.now();
    this.tokens = Math.min(1, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
