/**
 * One worker per pod UID (kube's pod_workers): syncs of a pod never overlap; requests
 * that arrive during a sync coalesce into exactly one more sync, which reads the latest
 * pod. Different pods' workers run concurrently. A sync that throws is logged and retried
 * after a short delay; a sync may also ask to run again at a clock time (a backoff ends),
 * and only the earliest such time is kept — that sync asks again for anything later.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import { errorMessage } from './api-error-code.js';
import type { SyncResult } from './sync-context.js';

export interface PodWorkerOptions {
  sync(): Promise<SyncResult>;
  clock: Clock;
  errorRetryDelayMs: number;
  logger: Logger;
  /** the sync said the pod is gone for good */
  onDone(): void;
}

export class PodWorker {
  private running: Promise<void> | undefined;
  private pending = false;
  private stopped = false;
  private timerAtMs = Infinity;
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly opts: PodWorkerOptions) {}

  /** sync now, or once more right after the sync in progress */
  requestSync(): void {
    if (this.stopped) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = this.loop();
  }

  /** sync at this clock time (or earlier, when asked to) */
  resyncAt(atMs: number): void {
    if (this.stopped || atMs >= this.timerAtMs) return;
    this.cancelTimer?.();
    this.timerAtMs = atMs;
    this.cancelTimer = this.opts.clock.setTimer(atMs - this.opts.clock.now(), () => {
      this.timerAtMs = Infinity;
      this.cancelTimer = undefined;
      this.requestSync();
    });
  }

  /** no more syncs; resolves when the one in progress (if any) has finished */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAtMs = Infinity;
    await this.running;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** resolves when no sync is running */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.pending = false;
        let result: SyncResult;
        try {
          result = await this.opts.sync();
        } catch (err) {
          this.opts.logger.warn({ err: errorMessage(err) }, 'pod sync failed; retrying');
          result = { retrySoon: true };
        }
        if (result.done) {
          this.stopped = true;
          this.cancelTimer?.();
          this.opts.onDone();
          return;
        }
        if (result.resyncAtMs !== undefined) this.resyncAt(result.resyncAtMs);
        if (result.retrySoon) this.resyncAt(this.opts.clock.now() + this.opts.errorRetryDelayMs);
      } while (this.pending && !this.stopped);
    } finally {
      this.running = undefined;
    }
  }
}
