/**
 * The second layer (client-go's DelayingInterface): addAfter(key, ms) queues the key once
 * `ms` has passed on the injected Clock, so tests drive delays with a FakeClock.
 *
 * Contract:
 *   - addAfter(key, ms <= 0) is add(key).
 *   - The same key waiting twice keeps the EARLIER time (a short requeueAfter is not
 *     pushed back by a later, longer one); it is queued once.
 *   - A waiting key that is also add()ed directly is still queued again when its timer
 *     fires (the dedup layer below makes that harmless).
 *   - shutDown() cancels every pending timer.
 */
import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import { WorkQueue } from './queue.js';

interface Waiting {
  readyAt: number;
  cancel: () => void;
}

export class DelayingQueue<T = string> extends WorkQueue<T> {
  protected readonly clock: Clock;
  private readonly waiting = new Map<T, Waiting>();

  constructor(opts: { clock?: Clock } = {}) {
    super();
    this.clock = opts.clock ?? realClock;
  }

  addAfter(item: T, ms: number): void {
    if (this.shuttingDown()) return;
    if (!(ms > 0)) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const existing = this.waiting.get(item);
    if (existing) {
      if (existing.readyAt <= readyAt) return;
      existing.cancel();
    }
    const cancel = this.clock.setTimer(ms, () => {
      this.waiting.delete(item);
      this.add(item);
    });
    this.waiting.set(item, { readyAt, cancel });
  }

  /** how many keys wait for their delay to pass */
  waitingLen(): number {
    return this.waiting.size;
  }

  override shutDown(): void {
    for (const w of this.waiting.values()) w.cancel();
    this.waiting.clear();
    super.shutDown();
  }
}
