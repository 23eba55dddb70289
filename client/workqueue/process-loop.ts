/**
 * runWorkers(): the loop every controller runs on its queue (sample-controller's
 * runWorker/processNextWorkItem), so each controller only writes reconcile(key).
 *
 * For each key: get → reconcile(key) → then, by outcome,
 *   returns nothing            success: forget (reset backoff)
 *   returns { requeueAfter }   success, look again later: forget + addAfter(key, ms)
 *   throws TerminalError       retrying will not help: forget, log, drop
 *   throws anything else       transient: log, addRateLimited(key) (exponential backoff)
 * → done(key) always, so the key can be handed out again.
 *
 * The queue guarantees one key is never reconciled by two workers at once. When the
 * signal aborts, the queue shuts down, workers stop taking keys (queued ones are left),
 * in-flight reconciles finish, and the returned promise resolves.
 */
import type { Logger } from 'pino';
import type { RateLimitingQueue } from './rate-limiting-queue.js';
import { silentLogger } from './silent-logger.js';
import { TerminalError } from './terminal-error.js';

export type ReconcileResult = void | undefined | { requeueAfter?: number };

export type Reconcile<T> = (key: T, signal: AbortSignal) => Promise<ReconcileResult> | ReconcileResult;

export interface ProcessLoopOptions {
  /** how many keys are reconciled concurrently (default 1) */
  workers?: number;
  logger?: Logger;
  /** aborting it stops the loop */
  signal: AbortSignal;
}

export async function runWorkers<T>(queue: RateLimitingQueue<T>, reconcile: Reconcile<T>, opts: ProcessLoopOptions): Promise<void> {
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a positive integer, got ${workers}`);
  const logger = opts.logger ?? silentLogger;
  const { signal } = opts;
  const onAbort = () => queue.shutDown();
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(Array.from({ length: workers }, () => worker(queue, reconcile, logger, signal)));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function worker<T>(queue: RateLimitingQueue<T>, reconcile: Reconcile<T>, logger: Logger, signal: AbortSignal): Promise<void> {
  for (;;) {
    const next = await queue.get();
    if (next.shutdown) return;
    const key = next.item;
    if (signal.aborted) {
      queue.done(key);
      return;
    }
    try {
      await processOne(queue, reconcile, key, logger, signal);
    } finally {
      queue.done(key);
    }
  }
}

async function processOne<T>(queue: RateLimitingQueue<T>, reconcile: Reconcile<T>, key: T, logger: Logger, signal: AbortSignal): Promise<void> {
  let result: ReconcileResult;
  try {
    result = await reconcile(key, signal);
  } catch (err) {
    if (err instanceof TerminalError) {
      queue.forget(key);
      logger.error({ key, err }, 'reconcile failed for good; dropping the key');
      return;
    }
    logger.warn({ key, err, requeues: queue.numRequeues(key) }, 'reconcile failed; will retry with backoff');
    queue.addRateLimited(key);
    return;
  }
  queue.forget(key);
  const after = result?.requeueAfter;
  // As in controller-runtime, requeueAfter <= 0 means "no timed requeue".
  if (after !== undefined && after > 0) queue.addAfter(key, after);
}
