/** Time, injected: the store reads the clock for lease expiry and compaction windows. */
export interface Clock {
  /** milliseconds, monotonic enough for deadlines */
  now(): number;
}

export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };

/** A clock that moves only when told to; for tests. */
export class ManualClock implements Clock {
  constructor(private ms = 0) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
