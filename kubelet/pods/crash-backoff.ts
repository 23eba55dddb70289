/**
 * Per-key exponential backoff with kube's flowcontrol.Backoff semantics, used for
 * CrashLoopBackOff (key: pod uid + container name) and ImagePullBackOff (pod uid + image).
 *
 * Worked example (initial 10 s, max 5 min), a container that keeps exiting at once:
 *   exit #1 at t=0:  no entry → not in backoff → next(): delay 10 s, restart now
 *   exit #2 at t=0+: inBackoffSince(t) is true until t+10 s → CrashLoopBackOff "back-off 10s"
 *   t=10 s:          no longer in backoff → next(): delay 20 s, restart
 *   …                40 s, 1m20s, 2m40s, 5m0s, 5m0s …
 * An event that comes more than `resetMs` after the entry's last update (the container
 * ran long enough) starts again from the initial delay.
 */
import type { Clock } from '../../client/clock.js';

interface BackoffEntry {
  delayMs: number;
  lastUpdateMs: number;
}

export class Backoff {
  private readonly entries = new Map<string, BackoffEntry>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly resetMs: number,
  ) {}

  /** the current delay of a key (0 when it has none) */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** true while `now` is within the key's delay counted from `eventMs` (e.g. the container's finish time) */
  inBackoffSince(key: string, eventMs: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, eventMs)) return false;
    return this.clock.now() - eventMs < entry.delayMs;
  }

  /** true while `now` is within the key's delay counted from its last next() (image pulls) */
  inBackoffSinceUpdate(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    const now = this.clock.now();
    if (this.expired(entry, now)) return false;
    return now - entry.lastUpdateMs < entry.delayMs;
  }

  /** when the backoff counted from the last next() ends (0 without an entry) */
  expiresSinceUpdate(key: string): number {
    const entry = this.entries.get(key);
    return entry ? entry.lastUpdateMs + entry.delayMs : 0;
  }

  /** when the backoff counted from `eventMs` ends */
  expiresAt(key: string, eventMs: number): number {
    return eventMs + this.delay(key);
  }

  /** record one more attempt: the first (or first after a reset) gets the initial delay, later ones double it */
  next(key: string, eventMs: number): void {
    const entry = this.entries.get(key);
    const delayMs = !entry || this.expired(entry, eventMs) ? this.initialMs : Math.min(entry.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdateMs: this.clock.now() });
  }

  /** forget a key (the pod is gone, or the image finally pulled) */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** forget every key starting with `prefix` */
  resetPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private expired(entry: BackoffEntry, eventMs: number): boolean {
    return eventMs - entry.lastUpdateMs > this.resetMs;
  }
}
