/**
 * The pod-startup measure both halves of bench:pods use (simulated nodes in ./main.ts, a
 * runc node in ./runc-pods.ts): watch the namespace's pods from the current
 * resourceVersion, create N pods `concurrency` at a time, and time each from its create's
 * 201 to the watch event that first shows it Running. A watch event can beat the 201 back
 * to us; that pod then counts as 0 ms rather than being lost.
 */
import type { ApiClient } from '../api/client.js';
import { Latencies, runConcurrent, type RunResult } from '../store/measure.js';

export interface CreateToRunningOptions {
  namespace: string;
  pods: number;
  concurrency: number;
  timeoutS: number;
  podName: (i: number) => string;
  podBody: (i: number) => string;
  /** put before the timeout error's message ("runc: ") */
  errorPrefix?: string;
  /**
   * closed loop: a create slot is free again only once its pod is Running, so at most
   * `concurrency` pods are starting at any time (default: open loop, the creates go out as
   * fast as the API answers and the pods queue up on the nodes)
   */
  slotUntilRunning?: boolean;
}

export interface CreateToRunningResult {
  /** created → Running, one per pod (ms) */
  latencies: Latencies;
  /** the creates themselves */
  creates: RunResult;
  /** performance.now() before the first create, and when the last pod was seen Running */
  startedAt: number;
  lastRunningAt: number;
}

type PodEvent = { object: { metadata: { name: string }; status?: { phase?: string } } };

export async function measureCreateToRunning(client: ApiClient, opts: CreateToRunningOptions): Promise<CreateToRunningResult> {
  const { namespace: ns, pods, podName } = opts;
  const list = await client.request('GET', `/api/v1/namespaces/${ns}/pods?limit=1`);
  const rv = (JSON.parse(list.body.toString()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const createdAt = new Map<string, number>();
  const runningAt = new Map<string, number>();
  const latencies = new Latencies(pods);
  let lastRunningAt = 0;
  let allRunning!: () => void;
  const done = new Promise<void>((resolve) => (allRunning = resolve));
  const waiting = new Map<string, () => void>();
  const watch = await client.watch(`/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=${rv}`, (line, at) => {
    const event = JSON.parse(line) as PodEvent;
    const name = event.object.metadata.name;
    if (event.object.status?.phase !== 'Running' || runningAt.has(name)) return;
    runningAt.set(name, at);
    const created = createdAt.get(name);
    if (created !== undefined) latencies.add(at - created);
    lastRunningAt = at;
    waiting.get(name)?.();
    if (runningAt.size === pods) allRunning();
  });
  try {
    const startedAt = performance.now();
    const creates = await runConcurrent(pods, opts.concurrency, async (i) => {
      const res = await client.request('POST', `/api/v1/namespaces/${ns}/pods`, opts.podBody(i));
      if (res.status !== 201) throw new Error(`create ${podName(i)}: HTTP ${res.status} ${res.body.toString().slice(0, 200)}`);
      createdAt.set(podName(i), res.endAt);
      // a watch event that beat the 201 back to us
      const seen = runningAt.get(podName(i));
      if (seen !== undefined) latencies.add(Math.max(0, seen - res.endAt));
      else if (opts.slotUntilRunning) await new Promise<void>((resolve) => waiting.set(podName(i), resolve));
      return true;
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([done.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), opts.timeoutS * 1000)))]);
    clearTimeout(timer);
    if (timedOut) throw new Error(`${opts.errorPrefix ?? ''}only ${runningAt.size} of ${pods} pods reached Running within ${opts.timeoutS} s`);
    return { latencies, creates, startedAt, lastRunningAt };
  } finally {
    watch.close();
  }
}
