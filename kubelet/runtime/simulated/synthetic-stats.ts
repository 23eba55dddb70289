/**
 * Resource usage for a simulated container, computed from its clock times only (no
 * sampling, no state): a steady trickle of CPU, so usageCoreNanoSeconds grows with run
 * time as a counter should, and a working set that is a quarter of the memory limit (or
 * 8 MiB without one). Enough for `kubectl top`-style consumers to show something sane.
 */
import type { ContainerAttributes, ContainerStats, LinuxContainerResources } from '../../cri/api.js';

/** 2 millicores */
const SIMULATED_NANO_CORES = 2_000_000;
const DEFAULT_WORKING_SET_BYTES = 8 * 1024 * 1024;
const WRITABLE_LAYER_BYTES = 4096;

export interface StatsSubject {
  attributes: ContainerAttributes;
  running: boolean;
  /** how long it has run (up to now, or until it exited) */
  ranMs: number;
  resources: LinuxContainerResources | undefined;
}

export function syntheticStats(subject: StatsSubject, nowMs: number, mountpoint: string): ContainerStats {
  const timestamp = nowMs * 1e6;
  const limit = subject.resources?.memoryLimitInBytes ?? 0;
  const workingSet = limit > 0 ? Math.floor(limit / 4) : DEFAULT_WORKING_SET_BYTES;
  return {
    attributes: subject.attributes,
    cpu: {
      timestamp,
      usageCoreNanoSeconds: { value: Math.floor(subject.ranMs * 1e6 * (SIMULATED_NANO_CORES / 1e9)) },
      usageNanoCores: { value: subject.running ? SIMULATED_NANO_CORES : 0 },
    },
    memory: { timestamp, workingSetBytes: { value: subject.running ? workingSet : 0 }, rssBytes: { value: subject.running ? workingSet : 0 } },
    writableLayer: { timestamp, fsId: { mountpoint }, usedBytes: { value: WRITABLE_LAYER_BYTES }, inodesUsed: { value: 1 } },
  };
}
