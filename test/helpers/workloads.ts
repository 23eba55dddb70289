/**
 * What the controllers' end-to-end tests share: a cluster of simulated nodes whose kubelet
 * and scheduler run on short timings (pods Running and Ready in well under a second), a
 * wait for the nodes to register, the "web" Deployment manifest, a GET straight to the API
 * (polling through kubectl costs a process per read), and the API server's write counts
 * from /metrics, to show a converged control plane goes quiet.
 */
import type { ClusterOptions } from '../../index.js';
import type { E2e } from './e2e.js';
import { httpsRequest } from './https-get.js';
import { until } from './poll.js';

/** cluster options for `nodes` simulated nodes with short kubelet and scheduler timings; `extra` adds to or overrides them */
export function fastNodes(nodes: number, extra: ClusterOptions = {}): ClusterOptions {
  return {
    nodes,
    runtime: 'simulated',
    kubelet: { leaseRenewIntervalMs: 500, nodeStatusUpdateFrequencyMs: 500, plegRelistIntervalMs: 100, podResyncIntervalMs: 2_000 },
    scheduler: { podInitialBackoffSeconds: 0.1, podMaxBackoffSeconds: 0.5 },
    ...extra,
  };
}

/** a GET as admin, straight to the API; undefined unless 200 */
export async function apiGet(e: E2e, path: string): Promise<any> {
  const admin = e.cluster.credentials('admin');
  const res = await httpsRequest(`${e.cluster.url}${path}`, { ca: e.cluster.ca, cert: admin.cert, key: admin.key });
  return res.status === 200 ? res.json() : undefined;
}

/** until `n` nodes are registered */
export const untilNodes = (e: E2e, n: number) =>
  until(
    () => apiGet(e, '/api/v1/nodes'),
    (list) => list?.items?.length === n,
  );

/**
 * The "web" Deployment: 3 replicas of nginx:1.25 with app=web, change-cause "first",
 * pods that go at once (grace 0). `strategy` and `ports` are added as YAML lines.
 */
export function webDeployment(o: { strategy?: string; ports?: string } = {}): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    kubernetes.io/change-cause: first
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
${o.strategy ? `  strategy:\n    ${o.strategy}\n` : ''}  template:
    metadata:
      labels: { app: web }
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: app
        image: nginx:1.25
${o.ports ? `        ports:\n        - ${o.ports}\n` : ''}`;
}

/** the API server's write requests so far (POST, PUT, PATCH, APPLY, DELETE) per resource[/subresource], from apiserver_request_total */
export async function writeCounts(e: E2e): Promise<Map<string, number>> {
  const admin = e.cluster.credentials('admin');
  const res = await httpsRequest(`${e.cluster.url}/metrics`, { ca: e.cluster.ca, cert: admin.cert, key: admin.key });
  const counts = new Map<string, number>();
  for (const line of res.body.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (!['POST', 'PUT', 'PATCH', 'APPLY', 'DELETE'].includes(labels.verb ?? '')) continue;
    const key = labels.subresource ? `${labels.resource}/${labels.subresource}` : (labels.resource ?? '');
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf('}') + 1)));
  }
  return counts;
}
