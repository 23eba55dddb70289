/** Measurement helpers for the store bench: latency percentiles, a concurrent op runner, RSS sampling. */

/** Latencies in milliseconds; percentiles by nearest rank on a sorted copy. */
export class Latencies {
  private values: Float64Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.values = new Float64Array(Math.max(1, capacity));
  }

  add(ms: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** p in [0, 100]; NaN when empty */
  percentile(p: number): number {
    if (this.n === 0) return Number.NaN;
    const sorted = this.values.slice(0, this.n).sort();
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1));
    return sorted[rank] ?? Number.NaN;
  }

  max(): number {
    let m = Number.NaN;
    for (let i = 0; i < this.n; i++) {
      const v = this.values[i] ?? Number.NaN;
      if (!(v <= m)) m = v;
    }
    return m;
  }
}

export interface RunResult {
  /** operations completed (may be fewer than asked if the time cap hit) */
  ops: number;
  elapsedMs: number;
  opsPerSec: number;
  latencies: Latencies;
  /** operations whose function returned false (e.g. a compare that failed) */
  failed: number;
  /** true if the run stopped early because of maxMs */
  capped: boolean;
}

/**
 * Runs `op(i)` for i = 0..ops-1 with `concurrency` workers each awaiting one op at a time,
 * timing every op. `op` returns false to count a logical failure. Stops handing out new ops
 * once maxMs has elapsed (in-flight ones complete).
 */
export async function runConcurrent(
  ops: number,
  concurrency: number,
  op: (i: number) => Promise<boolean>,
  maxMs = Number.POSITIVE_INFINITY,
): Promise<RunResult> {
  const latencies = new Latencies(ops);
  let next = 0;
  let done = 0;
  let failed = 0;
  let capped = false;
  const start = performance.now();
  const deadline = start + maxMs;

  const worker = async (): Promise<void> => {
    for (;;) {
      if (next >= ops) return;
      const t0 = performance.now();
      if (t0 > deadline) {
        capped = true;
        return;
      }
      const i = next++;
      const ok = await op(i);
      latencies.add(performance.now() - t0);
      done++;
      if (!ok) failed++;
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const elapsedMs = performance.now() - start;
  return { ops: done, elapsedMs, opsPerSec: (done * 1000) / elapsedMs, latencies, failed, capped };
}

/** Samples process RSS every intervalMs and keeps the maximum (bytes). */
export class RssSampler {
  private peak = process.memoryUsage.rss();
  private timer: NodeJS.Timeout | undefined;

  start(intervalMs = 20): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  stop(): void {
    this.sample();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  get peakBytes(): number {
    return this.peak;
  }
}

export const mb = (bytes: number): number => bytes / (1024 * 1024);

export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
