/**
 * Recent history in memory: every event after `floorRevision`, oldest first, each with
 * the key's previous version (a reference to an object the store already had, so it
 * costs no copy). It serves three needs:
 *   - watches that start at a recent revision replay from here;
 *   - reads at a recent past revision start from the current state and undo the events
 *     newer than the revision they want (see MvccStore.rangeInMemory);
 *   - a failed commit rolls the current state back by undoing its events.
 *
 * Worked example: events r5 put a, r6 put b, r7 delete a, floorRevision = 4. A read at
 * revision 5 takes the current state {b} and undoes r7 (a comes back as its prevKv)
 * and r6 (b had no prevKv, so it goes): {a}. Evicting r5 sets floorRevision = 5: reads
 * at 5 and later still work from memory, reads at 4 go to the revision log.
 *
 * Bounded by an event count and by bytes of keys and values (prevKv values are counted
 * too, an over-estimate when they are shared). Events not yet durable are never evicted.
 */
import type { KeyValue } from './types.js';

export interface RingEvent {
  type: 'put' | 'delete';
  kv: KeyValue;
  prevKv: KeyValue | undefined;
}

const OVERHEAD_BYTES = 160;
const sizeOf = (e: RingEvent) => OVERHEAD_BYTES + e.kv.key.length * 2 + e.kv.value.length + (e.prevKv?.value.length ?? 0);

export class EventRing {
  private events: RingEvent[] = [];
  private head = 0;
  private bytes = 0;
  /** every event with a revision above this is held */
  floorRevision: number;

  constructor(startRevision: number, private readonly maxEvents: number, private readonly maxBytes: number) {
    this.floorRevision = startRevision;
  }

  get length(): number {
    return this.events.length - this.head;
  }

  get byteSize(): number {
    return this.bytes;
  }

  get newestRevision(): number {
    return this.events.at(-1)?.kv.modRevision ?? this.floorRevision;
  }

  push(e: RingEvent): void {
    this.events.push(e);
    this.bytes += sizeOf(e);
  }

  /** Evicts the oldest events while over a bound, never one newer than `durableRevision`. */
  trim(durableRevision: number): void {
    while (this.length > 0 && (this.length > this.maxEvents || this.bytes > this.maxBytes)) {
      const oldest = this.events[this.head]!;
      if (oldest.kv.modRevision > durableRevision) break;
      this.bytes -= sizeOf(oldest);
      this.events[this.head++] = undefined as unknown as RingEvent;
      // Part of a revision may stay behind; the floor must still exclude that revision.
      this.floorRevision = oldest.kv.modRevision;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the first event with a revision above `revision`. */
  private indexAfter(revision: number): number {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.kv.modRevision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Events with revision > `after` and <= `upTo`, oldest first (a new array). */
  slice(after: number, upTo = Infinity): RingEvent[] {
    const from = this.indexAfter(after);
    const to = upTo === Infinity ? this.events.length : this.indexAfter(upTo);
    return this.events.slice(from, to);
  }

  /** Calls fn for each event with revision > `after`, newest first. */
  forEachNewestFirst(after: number, fn: (e: RingEvent) => void): void {
    const stop = this.indexAfter(after);
    for (let i = this.events.length - 1; i >= stop; i--) fn(this.events[i]!);
  }

  /** Removes and returns the events above `revision`, newest first (for rollback). */
  popAfter(revision: number): RingEvent[] {
    const from = this.indexAfter(revision);
    const removed = this.events.splice(from).reverse();
    for (const e of removed) this.bytes -= sizeOf(e);
    return removed;
  }

  /** Drops everything at or below `revision` (compaction makes it unreadable anyway). */
  dropThrough(revision: number): void {
    const upTo = this.indexAfter(revision);
    for (let i = this.head; i < upTo; i++) this.bytes -= sizeOf(this.events[i]!);
    this.events = this.events.slice(upTo);
    this.head = 0;
    this.floorRevision = Math.max(this.floorRevision, revision);
  }
}
