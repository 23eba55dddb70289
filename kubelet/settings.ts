/**
 * Every timing and sizing default of a kubelet, in one place. Production values are
 * kube's; tests shorten them (and inject a Clock) instead of waiting them out.
 */

export interface KubeletSettings {
  /** renew the node's Lease in kube-node-lease this often (kube: 10 s) */
  leaseRenewIntervalMs: number;
  /** Lease spec.leaseDurationSeconds (kube: 40 s) */
  leaseDurationSeconds: number;
  /** look for node status changes this often (kube: nodeStatusUpdateFrequency 10 s) */
  nodeStatusUpdateFrequencyMs: number;
  /** post node status even without changes this often (kube: nodeStatusReportFrequency 5 min) */
  nodeStatusReportFrequencyMs: number;
  /** re-sync every pod this often, even without events (kube: syncFrequency 1 min) */
  podResyncIntervalMs: number;
  /** ask the runtime for container state changes this often (kube's PLEG relist: 1 s) */
  plegRelistIntervalMs: number;
  /** CrashLoopBackOff: first delay, doubling up to the max (kube: 10 s, 5 min) */
  crashLoopBackoffInitialMs: number;
  crashLoopBackoffMaxMs: number;
  /** a container that ran this long resets its backoff (kube: 10 min) */
  crashLoopBackoffResetMs: number;
  /** rotate a container log when it passes this size (kube: containerLogMaxSize 10Mi) */
  containerLogMaxBytes: number;
  /** rotated files kept per container, the live one included (kube: containerLogMaxFiles 5) */
  containerLogMaxFiles: number;
  /** check log sizes this often (kube: containerLogMonitorInterval 10 s) */
  containerLogMonitorIntervalMs: number;
  /** close an exec/attach/port-forward connection idle this long (kube: streamingConnectionIdleTimeout 4 h) */
  streamingConnectionIdleTimeoutMs: number;
  /** a streaming client must open the streams it announced within this (kube: 30 s) */
  streamCreationTimeoutMs: number;
  /** sample container CPU counters this often, for the usage rates of /stats/summary (kube: 10 s) */
  statsSamplingIntervalMs: number;
}

export const DEFAULT_KUBELET_SETTINGS: KubeletSettings = {
  leaseRenewIntervalMs: 10_000,
  leaseDurationSeconds: 40,
  nodeStatusUpdateFrequencyMs: 10_000,
  nodeStatusReportFrequencyMs: 5 * 60_000,
  podResyncIntervalMs: 60_000,
  plegRelistIntervalMs: 1_000,
  crashLoopBackoffInitialMs: 10_000,
  crashLoopBackoffMaxMs: 5 * 60_000,
  crashLoopBackoffResetMs: 10 * 60_000,
  containerLogMaxBytes: 10 * 1024 * 1024,
  containerLogMaxFiles: 5,
  containerLogMonitorIntervalMs: 10_000,
  streamingConnectionIdleTimeoutMs: 4 * 60 * 60_000,
  streamCreationTimeoutMs: 30_000,
  statsSamplingIntervalMs: 10_000,
};

export const kubeletSettings = (overrides: Partial<KubeletSettings> = {}): KubeletSettings => ({ ...DEFAULT_KUBELET_SETTINGS, ...overrides });
