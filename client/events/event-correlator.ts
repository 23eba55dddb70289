/**
 * Which recorded events are repeats, as client-go's EventCorrelator decides it (the
 * aggregation half, simplified): an event is a repeat when the same source said the same
 * thing (type, reason, message) about the same object part (uid, fieldPath) within the
 * last `windowMs` (10 minutes). A repeat becomes a PATCH of the Event already written —
 * count + 1, a new lastTimestamp — instead of a new Event.
 *
 *   t=0    Pulled "image x"   → create web.1a2b (count 1)
 *   t=30s  Pulled "image x"   → patch  web.1a2b (count 2, lastTimestamp t=30s)
 *   t=31s  Pulled "image y"   → create web.1a2c (a different message is a different event)
 *   t=11m  Pulled "image x"   → create web.1f00 (the window since the last repeat passed)
 *
 * The memory is a bounded LRU (client-go keeps 4096 entries too).
 */

export interface SeenEvent {
  namespace: string;
  name: string;
  count: number;
  /** Clock ms of the first occurrence */
  first: number;
  /** Clock ms of the latest occurrence */
  last: number;
}

export const AGGREGATION_WINDOW_MS = 10 * 60_000;
export const MAX_REMEMBERED_EVENTS = 4096;

export class EventCorrelator {
  private readonly seen = new Map<string, SeenEvent>();

  constructor(
    private readonly windowMs = AGGREGATION_WINDOW_MS,
    private readonly maxEntries = MAX_REMEMBERED_EVENTS,
  ) {}

  /**
   * The Event to patch when `key` repeats one seen within the window (its count and last
   * time already advanced to `now`), else undefined: the caller creates a new Event and
   * `remember`s it.
   */
  repeat(key: string, now: number): SeenEvent | undefined {
    const prior = this.seen.get(key);
    if (!prior) return undefined;
    this.seen.delete(key); // re-inserted below or by remember(): most recent last
    if (now - prior.last > this.windowMs) return undefined;
    const next = { ...prior, count: prior.count + 1, last: now };
    this.seen.set(key, next);
    return next;
  }

  remember(key: string, event: SeenEvent): void {
    this.seen.delete(key);
    this.seen.set(key, event);
    while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
  }

  get size(): number {
    return this.seen.size;
  }
}
