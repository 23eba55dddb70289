/**
 * The node lifecycle controller's settings: kube-controller-manager's flags of the same
 * names, each optional with kube's default. Tests shorten them; production keeps kube's.
 */

export interface NodeLifecycleSettings {
  /** how often every node's health is checked (--node-monitor-period, 5 s) */
  nodeMonitorPeriodMs?: number;
  /** a node whose kubelet posted nothing (Lease or status) for this long is Unknown (--node-monitor-grace-period: 40 s, kube 1.32+ says 50 s) */
  nodeMonitorGracePeriodMs?: number;
  /** the same for a node whose kubelet never posted a status yet (--node-startup-grace-period, 60 s) */
  nodeStartupGracePeriodMs?: number;
  /** nodes per second given NoExecute taints in a healthy zone (--node-eviction-rate, 0.1) */
  evictionLimiterQPS?: number;
  /** the same in a partially disrupted zone of a large cluster (--secondary-node-eviction-rate, 0.01) */
  secondaryEvictionLimiterQPS?: number;
  /** up to this many nodes a partially disrupted zone stops tainting instead (--large-cluster-size-threshold, 50) */
  largeClusterSizeThreshold?: number;
  /** a zone with at least this share of nodes not ready (and more than 2) is partially disrupted (--unhealthy-zone-threshold, 0.55) */
  unhealthyZoneThreshold?: number;
  /** nodes whose NoSchedule taints are synced at once (kube: 8 node update workers) */
  workers?: number;
}

export type ResolvedNodeLifecycleSettings = Required<NodeLifecycleSettings>;

export const DEFAULT_NODE_LIFECYCLE_SETTINGS: ResolvedNodeLifecycleSettings = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  evictionLimiterQPS: 0.1,
  secondaryEvictionLimiterQPS: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
  workers: 8,
};

/** kube's defaults under the caller's settings; throws on values kube would refuse */
export function resolveNodeLifecycleSettings(settings: NodeLifecycleSettings = {}): ResolvedNodeLifecycleSettings {
  const s = { ...DEFAULT_NODE_LIFECYCLE_SETTINGS, ...stripUndefined(settings) };
  const problems: string[] = [];
  for (const k of ['nodeMonitorPeriodMs', 'nodeMonitorGracePeriodMs', 'nodeStartupGracePeriodMs'] as const) if (!(s[k] > 0)) problems.push(`${k} must be positive, got ${s[k]}`);
  for (const k of ['evictionLimiterQPS', 'secondaryEvictionLimiterQPS', 'unhealthyZoneThreshold', 'largeClusterSizeThreshold'] as const) if (!(s[k] >= 0)) problems.push(`${k} must be >= 0, got ${s[k]}`);
  if (!Number.isInteger(s.workers) || s.workers < 1) problems.push(`workers must be a positive integer, got ${s.workers}`);
  if (problems.length) throw new Error(`node-lifecycle: ${problems.join('; ')}`);
  return s;
}

const stripUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
