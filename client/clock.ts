/**
 * Time, injected. Everything in client/, controllers/, scheduler/ and kubelet/ that waits
 * (workqueue delays, backoffs, lease renewals, heartbeats, probes) takes a Clock, so tests
 * drive time with a FakeClock instead of sleeping.
 */

export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
  /** run `fn` after `ms`; the returned function cancels it (idempotent) */
  setTimer(ms: number, fn: () => void): () => void;
  /** resolves after `ms`, or rejects with the signal's reason when it aborts first */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
  sleep: (ms, signal) => sleepOn(realClock, ms, signal),
};

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      cancel();
      reject(signal!.reason);
    };
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when told. Timers due at the same instant fire in the order
 * they were set. `step` fires timers one at a time, advancing `now` to each one's time,
 * so a timer set by a firing timer (a renewal loop) fires within the same step if due.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: FakeTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** how many timers are waiting */
  get pending(): number {
    return this.timers.length;
  }

  /** advance by `ms`, firing every timer that falls due on the way */
  step(ms: number): void {
    const until = this.current + ms;
    while (this.fireNextDue(until));
    this.current = until;
  }

  /** step, then let promise callbacks run (for code that awaits between timers) */
  async advance(ms: number): Promise<void> {
    const until = this.current + ms;
    do await flushMicrotasks();
    while (this.fireNextDue(until));
    this.current = until;
    await flushMicrotasks();
  }

  /** fire the earliest timer due by `until`, moving `now` to its time; false when none is */
  private fireNextDue(until: number): boolean {
    const next = this.nextDue(until);
    if (!next) return false;
    this.timers.splice(this.timers.indexOf(next), 1);
    this.current = next.at;
    next.fn();
    return true;
  }

  private nextDue(until: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.at <= until && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    return best;
  }
}

/** let queued promise callbacks (and one macrotask turn) run */
export const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
