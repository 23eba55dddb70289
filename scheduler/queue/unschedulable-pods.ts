/**
 * Pods whose last attempt failed and that wait for a cluster event that might help them
 * (kube's unschedulablePods). A plain map: they leave on an event (a scan with queueing
 * hints), on an update of the pod itself, or when they have waited too long (a periodic
 * scan) — never in priority order, so no heap is needed.
 *
 * Gated pods (a PreEnqueue check said "not yet", e.g. spec.schedulingGates) are parked
 * here too, but only an update of the pod or activate() lets them out: cluster events and
 * the timeout skip them, because nothing outside the pod can lift the gate.
 */
import type { QueuedPodInfo } from '../framework/types.js';

export interface UnschedulableEntry {
  qpi: QueuedPodInfo;
  gated: boolean;
}

export class UnschedulablePods {
  private readonly entries = new Map<string, UnschedulableEntry>();

  get size(): number {
    return this.entries.size;
  }

  set(qpi: QueuedPodInfo, gated = false): void {
    this.entries.set(qpi.podInfo.key, { qpi, gated });
  }

  get(key: string): UnschedulableEntry | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  /** a snapshot, so callers may move entries out while they iterate */
  list(): UnschedulableEntry[] {
    return [...this.entries.values()];
  }
}
