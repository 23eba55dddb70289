/**
 * get and list of NodeMetrics and PodMetrics, computed on request (metrics-server's role,
 * built in, without its cache): find the nodes or pods the request selects in the API,
 * scrape the kubelets they live on — each at most once per request, all in parallel — and
 * convert (metrics-from-summary.ts). Kubelets that fail are simply missing from the answer.
 *
 * Errors are metrics-server's: a node or pod that does not exist is the lister's NotFound
 * (`node "x" not found`, `pod "x" not found`); one that exists but has no metrics is
 * NotFound for nodemetrics / podmetrics (`podmetrics.metrics.k8s.io "ns/x" not found`).
 */
import type { KubeObject } from '../../catalogue/resource-def.js';
import { ApiError } from '../../errors/api-error.js';
import type { KubeletSummary } from './kubelet-summary.js';
import { nodeMetricsOf, podMetricsOf, type MetricsContext } from './metrics-from-summary.js';
import type { SummaryScraper } from './scrape-kubelet.js';

export interface MetricsSource {
  listNodes(): Promise<KubeObject[]>;
  getNode(name: string): Promise<KubeObject | undefined>;
  /** '' = every namespace */
  listPods(namespace: string): Promise<KubeObject[]>;
  getPod(namespace: string, name: string): Promise<KubeObject | undefined>;
  scrape: SummaryScraper;
  now(): Date;
  windowMs: number;
}

export type ObjectMatcher = (obj: KubeObject) => boolean;

const listerNotFound = (resource: 'node' | 'pod', name: string) => new ApiError('NotFound', `${resource} "${name}" not found`, { name, group: '', kind: resource });
const metricsNotFound = (resource: 'nodemetrics' | 'podmetrics', name: string) =>
  new ApiError('NotFound', `${resource}.metrics.k8s.io "${name}" not found`, { name, group: 'metrics.k8s.io', kind: resource });

const byName = (a: KubeObject, b: KubeObject) => {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

const contextOf = (src: MetricsSource): MetricsContext => ({ now: src.now(), windowMs: src.windowMs });

export async function listNodeMetrics(src: MetricsSource, matches?: ObjectMatcher): Promise<KubeObject[]> {
  const nodes = (await src.listNodes()).filter((n) => !matches || matches(n)).sort(byName);
  const summaries = await Promise.all(nodes.map((n) => src.scrape(n)));
  const ctx = contextOf(src);
  return nodes.map((n, i) => nodeMetricsOf(n, summaries[i], ctx)).filter((m): m is KubeObject => m !== undefined);
}

export async function getNodeMetrics(src: MetricsSource, name: string): Promise<KubeObject> {
  const node = await src.getNode(name);
  if (!node) throw listerNotFound('node', name);
  const metrics = nodeMetricsOf(node, await src.scrape(node), contextOf(src));
  if (!metrics) throw metricsNotFound('nodemetrics', name);
  return metrics;
}

export async function listPodMetrics(src: MetricsSource, namespace: string, matches?: ObjectMatcher): Promise<KubeObject[]> {
  const pods = (await src.listPods(namespace)).filter((p) => !matches || matches(p)).sort(byName);
  const summaries = await summariesOfNodes(src, pods);
  const ctx = contextOf(src);
  return pods.map((p) => podMetricsOf(p, summaries.get(nodeNameOf(p)), ctx)).filter((m): m is KubeObject => m !== undefined);
}

export async function getPodMetrics(src: MetricsSource, namespace: string, name: string): Promise<KubeObject> {
  const pod = await src.getPod(namespace, name);
  if (!pod) throw listerNotFound('pod', name);
  const summaries = await summariesOfNodes(src, [pod]);
  const metrics = podMetricsOf(pod, summaries.get(nodeNameOf(pod)), contextOf(src));
  if (!metrics) throw metricsNotFound('podmetrics', `${namespace}/${name}`);
  return metrics;
}

const nodeNameOf = (pod: KubeObject) => (pod['spec'] as { nodeName?: string } | undefined)?.nodeName ?? '';

/** the Summary of every node the pods are bound to, each scraped once */
async function summariesOfNodes(src: MetricsSource, pods: readonly KubeObject[]): Promise<Map<string, KubeletSummary | undefined>> {
  const names = [...new Set(pods.map(nodeNameOf).filter((n) => n !== ''))];
  const entries = await Promise.all(
    names.map(async (name): Promise<[string, KubeletSummary | undefined]> => {
      const node = await src.getNode(name);
      return [name, node ? await src.scrape(node) : undefined];
    }),
  );
  return new Map(entries);
}
