/**
 * client-go's flowcontrol.Backoff as the DaemonSet controller uses it for failed daemon
 * pods (1 s doubling to 15 min, per DaemonSet and node): a kubelet that keeps rejecting a
 * pod must not make the controller delete and recreate it in a hot loop. An entry unused
 * for twice the maximum starts over from the initial delay.
 */
import type { Clock } from '../../client/clock.js';

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class FailedPodsBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = 1000,
    private readonly maxMs = 15 * 60 * 1000,
  ) {}

  /** IsInBackOffSinceUpdate: still inside the delay that began at the last Next */
  inBackoff(key: string): boolean {
    const e = this.entries.get(key);
    return e !== undefined && this.clock.now() - e.lastUpdate < e.backoffMs;
  }

  /** the current delay for `key` (0 when none) */
  delay(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Next: start or double the delay */
  next(key: string): void {
    const now = this.clock.now();
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.maxMs) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
    else this.entries.set(key, { backoffMs: Math.min(e.backoffMs * 2, this.maxMs), lastUpdate: now });
  }

  /** GC: forget entries unused for twice the maximum */
  gc(): void {
    const now = this.clock.now();
    for (const [key, e] of this.entries) if (now - e.lastUpdate > 2 * this.maxMs) this.entries.delete(key);
  }
}
