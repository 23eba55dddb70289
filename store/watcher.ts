/**
 * One watch: an async iterator of event batches in revision order.
 *
 * A watcher that starts in the past is fed from three sources, strictly in this order:
 *   1. `cold`: events older than the in-memory history, read from the revision log in
 *      chunks as the consumer asks for them (so catching up costs bounded memory);
 *   2. `queue` seeded with the in-memory history the watcher needs (a snapshot taken
 *      when it was registered);
 *   3. live events appended to `queue` by the hub as revisions commit.
 * Registration and the snapshot happen in one synchronous step, so no event can fall
 * between history and live and none is delivered twice.
 *
 * Writers never wait for a watcher: when more live events are queued than the bound,
 * the watcher is cancelled ('slow-consumer') and tells the consumer the last revision
 * it was given so it can resume.
 */
import { CompactedError, WatchCancelledError } from './errors.js';
import { inRange } from './keys.js';
import type { Watch, WatchEvent } from './types.js';

export interface WatcherSettings {
  id: number;
  key: string;
  rangeEnd: string | undefined;
  prevKv: boolean;
  /** events below this revision are not delivered */
  startRevision: number;
  backlogLimit: number;
  /** throws CompactedError if history needed from `revision` on may be gone */
  assertNotCompacted: (revision: number) => void;
  onClose: (w: Watcher) => void;
}

type Waiter = { resolve: (r: IteratorResult<WatchEvent[]>) => void; reject: (e: unknown) => void };

const MAX_BATCH = 1000;

export class Watcher implements Watch, AsyncIterator<WatchEvent[]> {
  readonly id: number;
  private queue: WatchEvent[] = [];
  private queueHead = 0;
  private liveBacklog = 0;
  private cold: AsyncIterator<WatchEvent[]> | undefined;
  private coldFrom = 0;
  private waiter: Waiter | undefined;
  private failure: Error | undefined;
  private finished = false;
  /** the last revision handed to the consumer */
  lastRevision: number;

  constructor(private readonly s: WatcherSettings) {
    this.id = s.id;
    this.lastRevision = s.startRevision - 1;
  }

  matches(key: string): boolean {
    return inRange(key, this.s.key, this.s.rangeEnd);
  }

  get wantsPrevKv(): boolean {
    return this.s.prevKv;
  }

  /** Sets the catch-up source read before anything queued. */
  setCold(events: AsyncIterable<WatchEvent[]>, fromRevision: number): void {
    this.cold = events[Symbol.asyncIterator]();
    this.coldFrom = fromRevision;
  }

  /** History from memory, queued at registration (not counted against the backlog). */
  seed(events: WatchEvent[]): void {
    for (const e of events) if (e.kv.modRevision >= this.s.startRevision && this.matches(e.kv.key)) this.queue.push(e);
  }

  /** Called by the hub for each committed event this watcher matches. */
  deliver(e: WatchEvent): void {
    if (this.finished || e.kv.modRevision < this.s.startRevision) return;
    this.queue.push(e);
    if (++this.liveBacklog > this.s.backlogLimit) {
      this.fail(new WatchCancelledError('slow-consumer', this.lastRevision));
      return;
    }
    if (this.waiter && !this.cold) this.wake();
  }

  /** Ends the watch with an error the consumer sees on its next read. */
  fail(error: Error): void {
    if (this.finished) return;
    this.failure = error;
    this.close();
  }

  cancel(): void {
    this.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent[]> {
    return this;
  }

  async return(): Promise<IteratorResult<WatchEvent[]>> {
    this.failure = undefined;
    this.close();
    return { done: true, value: undefined };
  }

  next(): Promise<IteratorResult<WatchEvent[]>> {
    if (this.waiter) return Promise.reject(new Error('watch: next() called while a read is pending'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      if (this.cold) void this.readCold();
      else this.wake();
    });
  }

  private close(): void {
    if (this.finished) return;
    this.finished = true;
    this.queue = [];
    this.queueHead = 0;
    const cold = this.cold;
    this.cold = undefined;
    void cold?.return?.();
    this.s.onClose(this);
    this.wake();
  }

  private async readCold(): Promise<void> {
    try {
      const r = await this.cold!.next();
      if (this.finished) return this.wake();
      if (r.done) {
        this.cold = undefined;
        return this.wake();
      }
      // The log may have been compacted under the read; its deletions follow the
      // compaction point, so checking after the read catches every such chunk.
      this.s.assertNotCompacted(this.coldFrom);
      const events = r.value.filter((e) => e.kv.modRevision >= this.s.startRevision && this.matches(e.kv.key));
      const last = r.value.at(-1);
      if (last) this.coldFrom = last.kv.modRevision;
      if (events.length === 0) return void this.readCold();
      this.lastRevision = events.at(-1)!.kv.modRevision;
      this.take()?.resolve({ done: false, value: this.s.prevKv ? events : events.map(stripPrevKv) });
    } catch (err) {
      if (err instanceof CompactedError) this.fail(err);
      else this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private take(): Waiter | undefined {
    const w = this.waiter;
    this.waiter = undefined;
    return w;
  }

  private wake(): void {
    if (!this.waiter) return;
    if (this.finished) {
      const w = this.take()!;
      if (this.failure) w.reject(this.failure);
      else w.resolve({ done: true, value: undefined });
      return;
    }
    if (this.queueHead >= this.queue.length) return;
    const end = Math.min(this.queue.length, this.queueHead + MAX_BATCH);
    const batch = this.queue.slice(this.queueHead, end);
    this.queueHead = end;
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
      this.liveBacklog = 0;
    } else {
      this.liveBacklog = Math.min(this.liveBacklog, this.queue.length - this.queueHead);
    }
    this.lastRevision = batch.at(-1)!.kv.modRevision;
    this.take()!.resolve({ done: false, value: this.s.prevKv ? batch : batch.map(stripPrevKv) });
  }
}

function stripPrevKv(e: WatchEvent): WatchEvent {
  return e.prevKv === undefined ? e : { type: e.type, kv: e.kv };
}
