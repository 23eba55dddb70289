/**
 * A bounded FIFO of background writes, run one at a time in the order they were queued
 * (an Event's PATCH must follow its CREATE). Callers never wait and never see failures:
 * a failed write is logged and the queue moves on; when `maxPending` writes are waiting
 * the newest is dropped and logged, so a stalled API server costs bounded memory rather
 * than blocking the component that records events.
 */
import type { Logger } from 'pino';

export type QueueLogger = Pick<Logger, 'warn' | 'error'>;

export class OrderedWriteQueue {
  private readonly pending: Array<{ what: string; run: () => Promise<void> }> = [];
  private running = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly maxPending: number,
    private readonly log: QueueLogger,
  ) {}

  /** queue a write; false (and a log line) when the queue is full or stopped */
  push(what: string, run: () => Promise<void>): boolean {
    if (this.stopped) return false;
    if (this.pending.length >= this.maxPending) {
      this.log.warn({ what, maxPending: this.maxPending }, 'event queue is full; dropping the event');
      return false;
    }
    this.pending.push({ what, run });
    if (!this.running) void this.drain();
    return true;
  }

  get size(): number {
    return this.pending.length + (this.running ? 1 : 0);
  }

  /** resolves once every write queued so far has finished (or failed) */
  flush(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** drop what is waiting and accept nothing more; the write in flight finishes */
  stop(): void {
    this.stopped = true;
    this.pending.length = 0;
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let job = this.pending.shift(); job; job = this.pending.shift()) {
      try {
        await job.run();
      } catch (err) {
        this.log.error({ err, what: job.what }, 'could not write event');
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
