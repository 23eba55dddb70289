/**
 * The kubelet's stats Summary provider: GET /stats/summary asks it, and it asks the
 * runtime (sandboxes, containers, container stats) and assembles (build-summary.ts).
 *
 * CPU rates need a sampler: CRI runtimes report a cumulative counter, and kube's kubelet
 * turns it into usageNanoCores from two samples taken by ONE periodic caller (the
 * eviction manager, every 10 s) — never from the requests themselves, whose rate would
 * then depend on who asks how often. So does this: start() samples at once and every
 * `samplingIntervalMs`; /stats/summary only reads the cache. A container appears with a
 * rate from the second sample after it started (or at once when the runtime gives its own
 * usageNanoCores, as the simulated runtime does).
 *
 * Errors of a sampling round are logged and the round skipped: the cache keeps its last
 * good state, and the next round tries again.
 */
import type { Clock } from '../../../client/clock.js';
import type { RuntimeService } from '../../cri/api.js';
import { buildSummary } from './build-summary.js';
import { updateCpuUsageCache, type CpuUsageRecord } from './cpu-usage-rate.js';
import type { Summary } from './summary-types.js';

/** kube's eviction manager samples every 10 s (its monitoring interval) */
export const DEFAULT_STATS_SAMPLING_INTERVAL_MS = 10_000;

export interface SummaryProviderOptions {
  nodeName: string;
  runtime: Pick<RuntimeService, 'listPodSandbox' | 'listContainers' | 'listContainerStats'>;
  clock: Clock;
  /** how often CPU counters are sampled into rates (default 10 s) */
  samplingIntervalMs?: number;
  /** the node's memory capacity, for node.memory.availableBytes */
  memoryCapacityBytes?: number;
  logger: { warn(obj: object, msg: string): void };
}

export interface SummaryProvider {
  summary(): Promise<Summary>;
  /** take one CPU sample now (the periodic loop calls this; tests may too) */
  sample(): Promise<void>;
  /** begin periodic sampling; idempotent */
  start(): void;
  /** end it; idempotent */
  stop(): void;
}

export function createSummaryProvider(options: SummaryProviderOptions): SummaryProvider {
  const { runtime, clock } = options;
  const intervalMs = options.samplingIntervalMs ?? DEFAULT_STATS_SAMPLING_INTERVAL_MS;
  const startTimeMs = clock.now();
  const cache = new Map<string, CpuUsageRecord>();
  let cancelTimer: (() => void) | undefined;
  let running = false;

  const sample = async () => {
    try {
      const { stats } = await runtime.listContainerStats({});
      updateCpuUsageCache(
        cache,
        stats.map((s) => ({
          id: s.attributes.id,
          ...(s.cpu?.usageCoreNanoSeconds ? { sample: { timestampNs: s.cpu.timestamp, usageCoreNanoSeconds: s.cpu.usageCoreNanoSeconds.value } } : {}),
        })),
      );
    } catch (err) {
      options.logger.warn({ err, node: options.nodeName }, 'stats: sampling container CPU usage failed');
    }
  };

  const loop = () => {
    cancelTimer = clock.setTimer(intervalMs, () => {
      void sample().then(() => {
        if (running) loop();
      });
    });
  };

  return {
    async summary() {
      const [sandboxes, containers, stats] = await Promise.all([runtime.listPodSandbox({}), runtime.listContainers({}), runtime.listContainerStats({})]);
      return buildSummary({
        nodeName: options.nodeName,
        nodeStartTimeMs: startTimeMs,
        nowMs: clock.now(),
        sandboxes: sandboxes.items,
        containers: containers.containers,
        stats: stats.stats,
        cachedUsageNanoCores: (id) => cache.get(id)?.usageNanoCores,
        ...(options.memoryCapacityBytes !== undefined ? { memoryCapacityBytes: options.memoryCapacityBytes } : {}),
      });
    },
    sample,
    start() {
      if (running) return;
      running = true;
      void sample().then(() => {
        if (running) loop();
      });
    },
    stop() {
      running = false;
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
}
