/**
 * kube's handleErr with maxRetries (15 for both the Endpoints and the EndpointSlice
 * controllers): a Service whose sync keeps failing is retried with backoff that many
 * times, then dropped until its next change — a TerminalError tells the worker loop so.
 */
import type { RateLimitingQueue, ReconcileResult } from '../../../client/workqueue/index.js';
import { TerminalError } from '../../../client/workqueue/index.js';

export const MAX_RETRIES = 15;

export function withRetryLimit(queue: RateLimitingQueue<string>, reconcile: (key: string) => Promise<ReconcileResult>, maxRetries = MAX_RETRIES): (key: string) => Promise<ReconcileResult> {
  return async (key) => {
    try {
      return await reconcile(key);
    } catch (err) {
      if (queue.numRequeues(key) < maxRetries) throw err;
      throw new TerminalError(`dropping service ${key} out of the queue: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  };
}
