/**
 * Collects what a sync wants afterwards: the earliest clock time to re-sync at (several
 * containers may be backing off; only the first expiry matters, that sync asks again
 * for the rest) and whether something failed and wants a quick retry.
 */
import type { SyncResult } from './sync-context.js';

export class SyncResultBuilder {
  private resyncAtMs: number | undefined;
  private retrySoon = false;

  resyncAt(ms: number): void {
    if (this.resyncAtMs === undefined || ms < this.resyncAtMs) this.resyncAtMs = ms;
  }

  retry(): void {
    this.retrySoon = true;
  }

  build(extra: SyncResult = {}): SyncResult {
    return {
      ...(this.resyncAtMs !== undefined ? { resyncAtMs: this.resyncAtMs } : {}),
      ...(this.retrySoon ? { retrySoon: true } : {}),
      ...extra,
    };
  }
}
