/**
 * The kubelet's stats Summary (GET /stats/summary), the subset of kube's
 * k8s.io/kubelet/pkg/apis/stats/v1alpha1 that a CRI-stats kubelet fills: node and pod
 * CPU/memory, per-container CPU/memory/rootfs. Field names and JSON shape are kube's,
 * so metrics consumers written against kube (metrics-server 0.3, `kubectl get --raw
 * /api/v1/nodes/N/proxy/stats/summary` scripts) read ours unchanged.
 *
 * Times are metav1.Time: RFC 3339 in whole seconds, UTC.
 */

export interface CpuStats {
  time: string;
  /** a rate: CPU nanoseconds per second, averaged over the last sampling window; absent until a second sample */
  usageNanoCores?: number;
  /** cumulative CPU time since the container started */
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  /** memory capacity minus the working set (node level only) */
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
}

export interface FsStats {
  time: string;
  usedBytes?: number;
  inodesUsed?: number;
}

export interface ContainerStatsSummary {
  name: string;
  /** the container's creation time (kube's CRI stats provider says so too) */
  startTime: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
  rootfs?: FsStats;
}

export interface PodReference {
  name: string;
  namespace: string;
  uid: string;
}

export interface PodStatsSummary {
  podRef: PodReference;
  /** the sandbox's creation time */
  startTime: string;
  containers: ContainerStatsSummary[];
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface NodeStatsSummary {
  nodeName: string;
  startTime: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface Summary {
  node: NodeStatsSummary;
  pods: PodStatsSummary[];
}

/** metav1.Time's JSON form: RFC 3339, whole seconds */
export const metaTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
