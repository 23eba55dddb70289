/**
 * kube's slowStartBatch: make `count` calls of `fn`, in batches of 1, 2, 4, … (each batch
 * concurrently), stopping after the first batch with a failure. A ReplicaSet of 500 in a
 * namespace whose quota allows 3 pods then sends a handful of doomed creates (and records
 * a handful of FailedCreate events), not 500.
 *
 *   count 10, initial 1 → batches 1, 2, 4, 3
 */

/** the batch sizes for `count` calls when every call succeeds */
export function slowStartBatchSizes(count: number, initialBatchSize: number): number[] {
  const sizes: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

export interface SlowStartResult {
  /** calls that succeeded */
  successes: number;
  /** the first failure of the batch that stopped it; undefined when all succeeded */
  error?: unknown;
}

export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failures.length;
    if (failures.length > 0) return { successes, error: failures[0]!.reason };
    remaining -= size;
  }
  return { successes };
}
