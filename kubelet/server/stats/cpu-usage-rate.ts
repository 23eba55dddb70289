/**
 * usageNanoCores from cumulative CPU counters: CRI runtimes (our runc runtime among them)
 * report only usageCoreNanoSeconds, a counter; a rate needs two samples. This is kube's
 * criStatsProvider cache (getAndUpdateContainerUsageNanoCores), as pure functions:
 *
 *   sample 1 at t=10 s: 2.0e9 ns used  → cached, no rate yet (a new container shows none)
 *   sample 2 at t=20 s: 2.5e9 ns used  → (0.5e9 ns / 10e9 ns) × 1e9 = 50 000 000 nano-cores (50m)
 *   sample 3 with a smaller counter    → the counter was reset: cache it, no rate again
 *   sample 3 with the same timestamp   → nothing to divide by: keep what was cached
 *
 * A runtime that reports usageNanoCores itself (the simulated one) bypasses the cache,
 * as kube's provider does. Container restarts get a new container id, so they start over.
 */

export interface CpuSample {
  /** nanoseconds since the epoch */
  timestampNs: number;
  usageCoreNanoSeconds: number;
}

export interface CpuUsageRecord {
  sample: CpuSample;
  /** absent until two samples of the same counter were seen */
  usageNanoCores?: number;
}

/** the cache entry after `sample`: kube keeps the new sample and the rate since the previous one */
export function nextCpuUsageRecord(cached: CpuUsageRecord | undefined, sample: CpuSample): CpuUsageRecord {
  if (!cached || sample.usageCoreNanoSeconds < cached.sample.usageCoreNanoSeconds) return { sample };
  const intervalNs = sample.timestampNs - cached.sample.timestampNs;
  // kube logs "zero or negative interval" and leaves the cache as it was
  if (intervalNs <= 0) return cached;
  const usedNs = sample.usageCoreNanoSeconds - cached.sample.usageCoreNanoSeconds;
  return { sample, usageNanoCores: Math.floor((usedNs / intervalNs) * 1e9) };
}

/**
 * Sample every container in `samples` into `cache` (mutated); entries of containers no
 * longer reported are dropped — they were removed, and a restart brings a new id. (kube
 * drops entries not refreshed for 10 minutes; with one sampler, "not in this sample" is
 * the same thing, sooner.)
 */
export function updateCpuUsageCache(cache: Map<string, CpuUsageRecord>, samples: ReadonlyArray<{ id: string; sample?: CpuSample }>): void {
  const seen = new Set<string>();
  for (const { id, sample } of samples) {
    seen.add(id);
    if (sample) cache.set(id, nextCpuUsageRecord(cache.get(id), sample));
  }
  for (const id of [...cache.keys()]) if (!seen.has(id)) cache.delete(id);
}
