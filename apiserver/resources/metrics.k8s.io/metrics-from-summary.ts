/**
 * NodeMetrics and PodMetrics (metrics.k8s.io/v1beta1) from kubelet Summaries, as
 * metrics-server builds them — pure, so the rules are table-tested:
 *
 * - NodeMetrics: the node's CPU rate (usageNanoCores) and memory working set; a node
 *   whose kubelet gave neither (not yet sampled, or unreachable) has no metrics.
 * - PodMetrics: only for Running pods (metrics-server skips the rest), found in their
 *   node's Summary by namespace/name — and uid, so a pod re-created under the same name
 *   never shows its predecessor's numbers. Every container needs both numbers, else the
 *   pod is left out (a container's first CPU sample has no rate yet); a pod with no
 *   container stats is left out too.
 * - metadata: name (namespace), labels of the node or pod, and creationTimestamp = now
 *   (metrics objects are made on request). `timestamp` is the sample's time, `window`
 *   the interval its rate covers. Items carry no kind/apiVersion: in a list they are
 *   typed, as metrics-server's are; a single GET adds them (withTypeMeta).
 */
import type { KubeObject } from '../../catalogue/resource-def.js';
import { rfc3339 } from '../../registry/generic-registry.js';
import type { KubeletSummary, SummaryCpu, SummaryMemory } from './kubelet-summary.js';
import { cpuQuantity, goDurationString, memoryQuantity } from './usage-quantities.js';

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';

export interface MetricsContext {
  now: Date;
  /** the interval the kubelet's CPU rates are averaged over */
  windowMs: number;
}

const usageOf = (cpu: SummaryCpu | undefined, memory: SummaryMemory | undefined) =>
  cpu?.usageNanoCores === undefined || memory?.workingSetBytes === undefined ? undefined : { cpu: cpuQuantity(cpu.usageNanoCores), memory: memoryQuantity(memory.workingSetBytes) };

const labelsOf = (obj: KubeObject) => (obj.metadata.labels && Object.keys(obj.metadata.labels).length ? { labels: { ...obj.metadata.labels } } : {});

export function nodeMetricsOf(node: KubeObject, summary: KubeletSummary | undefined, ctx: MetricsContext): KubeObject | undefined {
  const usage = usageOf(summary?.node.cpu, summary?.node.memory);
  if (!usage || !summary) return undefined;
  return {
    metadata: { name: node.metadata.name, creationTimestamp: rfc3339(ctx.now), ...labelsOf(node) },
    timestamp: summary.node.cpu?.time ?? rfc3339(ctx.now),
    window: goDurationString(ctx.windowMs),
    usage,
  };
}

export function podMetricsOf(pod: KubeObject, summary: KubeletSummary | undefined, ctx: MetricsContext): KubeObject | undefined {
  if ((pod['status'] as { phase?: string } | undefined)?.phase !== 'Running' || !summary) return undefined;
  const { name, namespace, uid } = pod.metadata;
  const stats = summary.pods.find((p) => p.podRef.name === name && p.podRef.namespace === namespace && (!p.podRef.uid || !uid || p.podRef.uid === uid));
  if (!stats?.containers.length) return undefined;
  const containers: Array<{ name: string; usage: { cpu: string; memory: string } }> = [];
  let timestamp = '';
  for (const c of stats.containers) {
    const usage = usageOf(c.cpu, c.memory);
    if (!usage) return undefined;
    containers.push({ name: c.name, usage });
    if (c.cpu?.time && c.cpu.time > timestamp) timestamp = c.cpu.time;
  }
  return {
    metadata: { name, namespace, creationTimestamp: rfc3339(ctx.now), ...labelsOf(pod) },
    timestamp: timestamp || rfc3339(ctx.now),
    window: goDurationString(ctx.windowMs),
    containers,
  };
}

/** one object of a GET: kind and apiVersion first */
export const withTypeMeta = (kind: string, obj: KubeObject): KubeObject => ({ kind, apiVersion: METRICS_API_VERSION, ...obj });
