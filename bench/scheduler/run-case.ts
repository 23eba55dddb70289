/**
 * One bench case on a fresh cluster: `k8ts up --nodes 0` in a child process, N Ready
 * nodes, then M unscheduled pods created at the given concurrency while a pod watch
 * records when each is bound. Throws CaseTimeout when the pods are not all bound in time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient } from '../api/client.js';
import { startServerProcess, type ServerProcess } from '../api/server-process.js';
import { runConcurrent } from '../store/measure.js';
import type { Args, BenchCase } from './args.js';
import { BindTracker } from './bind-tracker.js';
import { NAMESPACE, nodeBody, nodeName, withReadyStatus, podBody, podName } from './cluster-objects.js';
import { peakRssMb } from './peak-rss.js';
import { watchPods } from './pod-watch.js';

export interface CaseResult {
  nodes: number;
  pods: number;
  pods_s: number;
  p50_ms: number;
  p99_ms: number;
  rss_mb: number | null;
  /** not in the JSON line: for the human-readable summary */
  detail: { nodesS: number; createsPerS: number; totalS: number; maxMs: number; watchReopened: number };
}

export class CaseTimeout extends Error {}

const label = (c: BenchCase) => `${c.nodes}x${c.pods}`;

function expectStatus(what: string, want: number, res: { status: number; body: Buffer }): void {
  if (res.status !== want) throw new Error(`${what}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
}

async function createNodes(client: ApiClient, count: number, concurrency: number): Promise<void> {
  await runConcurrent(count, concurrency, async (i) => {
    const name = nodeName(i);
    const created = await client.request('POST', '/api/v1/nodes', nodeBody(i));
    expectStatus(`create node ${name}`, 201, created);
    // the created object (with its resourceVersion) plus a status, PUT to the status subresource
    const update = await client.request('PUT', `/api/v1/nodes/${name}/status`, withReadyStatus(created.body, new Date()));
    expectStatus(`set status of node ${name}`, 200, update);
    return true;
  });
}

/** SIGTERM, and SIGKILL if the server has not exited within 15 s, so a stuck shutdown cannot hang the bench */
async function stopServer(server: ServerProcess): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = server.stop();
  const inTime = await Promise.race([stopped.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 15_000)))]);
  clearTimeout(timer);
  if (inTime) return;
  process.stderr.write(`bench:scheduler: k8ts up did not exit within 15 s of SIGTERM; killing it\n`);
  try {
    process.kill(server.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await stopped;
}

export async function runCase(c: BenchCase, args: Args): Promise<CaseResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-scheduler-'));
  const upArgs = ['--nodes', '0', ...(args.schedulerConfig ? ['--scheduler-config', args.schedulerConfig] : [])];
  try {
    const server = await startServerProcess(dataDir, args.store, upArgs);
    const client = new ApiClient(server.url, server.credentials, Math.max(args.concurrency, args.nodeConcurrency) + 8);
    try {
      const nodesStart = performance.now();
      await createNodes(client, c.nodes, args.nodeConcurrency);
      const nodesS = (performance.now() - nodesStart) / 1000;
      await sleep(args.settleMs);

      const list = await client.request('GET', `/api/v1/namespaces/${NAMESPACE}/pods?limit=1`);
      expectStatus('list pods', 200, list);
      const rv = (JSON.parse(list.body.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      const tracker = new BindTracker(c.pods);
      let watchFailed!: (err: Error) => void;
      const watchFailure = new Promise<never>((_, reject) => (watchFailed = reject));
      watchFailure.catch(() => undefined); // raced below
      const watch = watchPods(server.url, server.credentials, `/api/v1/namespaces/${NAMESPACE}/pods`, rv, (line, at) => tracker.onWatchLine(line, at), watchFailed);
      try {
        const timeoutMs = args.timeoutS * 1000;
        const start = performance.now();
        const creating = runConcurrent(
          c.pods,
          args.concurrency,
          async (i) => {
            const res = await client.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podBody(i, args.podCpu));
            expectStatus(`create pod ${podName(i)}`, 201, res);
            tracker.onCreated(podName(i), res.endAt);
            return true;
          },
          timeoutMs,
        );
        creating.catch(() => undefined); // awaited below; after a timeout its late failures do not matter
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          Promise.all([creating, tracker.allBound]).then(([run]) => run),
          watchFailure,
          new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
        ]).finally(() => clearTimeout(timer));
        if (outcome === 'timeout') {
          const hint = tracker.bound === 0 ? ' (is the scheduler running?)' : '';
          throw new CaseTimeout(`case ${label(c)}: only ${tracker.bound} of ${c.pods} pods bound within ${args.timeoutS} s (${tracker.created} created)${hint}`);
        }
        const rss = await peakRssMb(server.pid);
        const totalS = (tracker.lastBoundAt - start) / 1000;
        return {
          nodes: c.nodes,
          pods: c.pods,
          pods_s: Math.round(c.pods / totalS),
          p50_ms: round1(tracker.latencies.percentile(50)),
          p99_ms: round1(tracker.latencies.percentile(99)),
          rss_mb: rss === undefined ? null : Math.round(rss),
          detail: { nodesS, createsPerS: outcome.opsPerSec, totalS, maxMs: tracker.latencies.max(), watchReopened: watch.reopened },
        };
      } finally {
        watch.close();
      }
    } finally {
      client.close();
      await stopServer(server);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;
