/** The API bench workloads: pod creates, single GETs, full lists (JSON, Table), watch latency. */
import { Latencies, median, runConcurrent, type RunResult } from '../store/measure.js';
import type { ApiClient } from './client.js';

export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/**
 * A realistic Pod as a client sends it (no server-set fields, no status), about 1.5 KB of
 * JSON; built once as a template, each body varies only the name.
 */
export class PodBodies {
  private readonly before: string;
  private readonly after: string;

  constructor(namespace: string) {
    const [before = '', after = ''] = JSON.stringify(podTemplate(namespace, '@@NAME@@')).split('@@NAME@@');
    this.before = before;
    this.after = after;
  }

  body(name: string): string {
    return this.before + name + this.after;
  }
}

function podTemplate(namespace: string, name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '7d9c8b6f5', 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/version': '1.27.3' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/team/web:1.27.3',
          ports: [
            { containerPort: 8080, protocol: 'TCP', name: 'http' },
            { containerPort: 9090, protocol: 'TCP', name: 'metrics' },
          ],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'HTTP_PORT', value: '8080' },
            { name: 'DATABASE_URL', value: 'postgres://shop@db.shop.svc.cluster.local:5432/shop' },
            { name: 'CACHE_TTL_SECONDS', value: '300' },
            { name: 'FEATURE_FLAGS', value: 'checkout-v2,recommendations' },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 2, periodSeconds: 5 },
          livenessProbe: { httpGet: { path: '/livez', port: 8080 }, initialDelaySeconds: 10, periodSeconds: 10 },
          imagePullPolicy: 'IfNotPresent',
        },
        {
          name: 'log-shipper',
          image: 'registry.example.com/infra/fluent-bit:3.1.4',
          env: [{ name: 'OUTPUT', value: 'loki.logging.svc.cluster.local:3100' }],
          resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
    },
  };
}

export const podName = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(6, '0')}`;
export const podsPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/pods`;

export class UnexpectedStatus extends Error {}

/** POST `ops` pods named podName(prefix, i) at `concurrency`; any status other than 201 counts as failed. */
export function createPods(
  client: ApiClient,
  namespace: string,
  prefix: string,
  ops: number,
  concurrency: number,
  maxMs?: number,
  onFailure?: (status: number, body: string) => void,
): Promise<RunResult> {
  const bodies = new PodBodies(namespace);
  const path = podsPath(namespace);
  return runConcurrent(
    ops,
    concurrency,
    async (i) => {
      const res = await client.request('POST', path, bodies.body(podName(prefix, i)));
      if (res.status === 201) return true;
      onFailure?.(res.status, res.body.toString('utf8'));
      return false;
    },
    maxMs,
  );
}

/** GET single pods (cycling over `existing` names) at `concurrency`; non-200 counts as failed. */
export function getPods(client: ApiClient, namespace: string, prefix: string, existing: number, ops: number, concurrency: number): Promise<RunResult> {
  const path = podsPath(namespace);
  return runConcurrent(ops, concurrency, async (n) => {
    const res = await client.request('GET', `${path}/${podName(prefix, (n * 7919) % existing)}`);
    return res.status === 200;
  });
}

export interface ListResult {
  runsMs: number[];
  medianMs: number;
  bestMs: number;
  bytes: number;
  items: number;
  resourceVersion: string;
}

/** A full list `runs` times with the given Accept header; counts items (or Table rows). */
export async function listPods(client: ApiClient, namespace: string, accept: string, runs: number): Promise<ListResult> {
  const runsMs: number[] = [];
  let bytes = 0;
  let items = 0;
  let resourceVersion = '';
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const res = await client.request('GET', podsPath(namespace), undefined, { accept });
    runsMs.push(performance.now() - t0);
    if (res.status !== 200) throw new UnexpectedStatus(`list (${accept.slice(0, 30)}…): HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
    bytes = res.body.length;
    const parsed = JSON.parse(res.body.toString('utf8')) as { kind?: string; items?: unknown[]; rows?: unknown[]; metadata?: { resourceVersion?: string } };
    items = (parsed.kind === 'Table' ? parsed.rows?.length : parsed.items?.length) ?? -1;
    resourceVersion = parsed.metadata?.resourceVersion ?? '';
  }
  return { runsMs, medianMs: median(runsMs), bestMs: Math.min(...runsMs), bytes, items, resourceVersion };
}

export interface WatchLatencyResult {
  /** ack (201 fully received) -> ADDED event line, clamped at 0 */
  latencies: Latencies;
  /** request issued -> ADDED event line */
  fromIssue: Latencies;
  beforeAck: number;
  missing: number;
  failed: number;
  elapsedMs: number;
}

/**
 * Watch latency: one watch from `resourceVersion`; N creates issued one at a time, each
 * waiting for its ADDED event (or timeoutMs) before the next. Latency = event line arrival
 * minus the moment the create's 201 response was fully received; <= 0 counts as 0.
 */
export async function watchLatency(
  client: ApiClient,
  namespace: string,
  prefix: string,
  resourceVersion: string,
  writes: number,
  timeoutMs = 5_000,
): Promise<WatchLatencyResult> {
  const arrived = new Map<string, number>();
  let waiting: { name: string; resolve: () => void } | undefined;
  const rv = resourceVersion === '' ? '' : `&resourceVersion=${encodeURIComponent(resourceVersion)}`;
  const handle = await client.watch(`${podsPath(namespace)}?watch=true${rv}`, (line, at) => {
    const e = JSON.parse(line) as { type?: string; object?: { metadata?: { name?: string } } };
    const name = e.object?.metadata?.name;
    if (e.type !== 'ADDED' || name === undefined || !name.startsWith(prefix)) return;
    arrived.set(name, at);
    if (waiting?.name === name) waiting.resolve();
  });
  const bodies = new PodBodies(namespace);
  const path = podsPath(namespace);
  const latencies = new Latencies(writes);
  const fromIssue = new Latencies(writes);
  let beforeAck = 0;
  let missing = 0;
  let failed = 0;
  const start = performance.now();
  try {
    for (let i = 0; i < writes; i++) {
      const name = podName(prefix, i);
      const t0 = performance.now();
      const res = await client.request('POST', path, bodies.body(name));
      if (res.status !== 201) {
        failed++;
        continue;
      }
      if (!arrived.has(name)) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          waiting = { name, resolve };
          timer = setTimeout(resolve, timeoutMs);
        });
        clearTimeout(timer);
        waiting = undefined;
      }
      const at = arrived.get(name);
      if (at === undefined) {
        missing++;
        continue;
      }
      const d = at - res.endAt;
      if (d <= 0) beforeAck++;
      latencies.add(Math.max(0, d));
      fromIssue.add(at - t0);
    }
  } finally {
    handle.close();
  }
  return { latencies, fromIssue, beforeAck, missing, failed, elapsedMs: performance.now() - start };
}
