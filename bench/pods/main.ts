/**
 * Pod startup bench: `k8ts up --nodes 10 --runtime simulated` in a child process; 1,000
 * pods with spec.nodeName set (no scheduler involved) and zero simulated start latency,
 * created 50 at a time round-robin across the nodes. Each pod's latency runs from its
 * create's 201 to the watch event that first shows it phase Running — API + kubelet
 * overhead, nothing else. Prints a table, then one JSON line (the last line).
 *
 * Then, when this host can run the runc runtime (root, runc, conmon, CNI plugins), the same
 * measure for real containers (./runc-pods.ts): 50 pods created 5 at a time on one runc
 * node with a cached image; its keys join the JSON line.
 *
 *   npm run build && npm run bench:pods -- [--pods 1000] [--nodes 10] [--concurrency 50] [--runc-pods 50] [--runc-concurrency 5] [--no-runc]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient } from '../api/client.js';
import { startServerProcess } from '../api/server-process.js';
import { round } from '../store/measure.js';
import { resolveRuntime } from '../../cli/runtime.js';
import { measureCreateToRunning } from './create-to-running.js';
import { runcBenchDataDir, runcPodsBench } from './runc-pods.js';

const USAGE = `usage: bench:pods [options]
  --pods N          pods to start (default 1000)
  --nodes N         simulated nodes (default 10)
  --concurrency N   creates in flight (default 50)
  --store level|memory  backend (default level)
  --timeout-s S     give up waiting for Running after S seconds (default 120)
  --runc-pods N     pods for the runc part (default 50)
  --runc-concurrency N  creates in flight for the runc part (default 5)
  --no-runc         skip the runc part`;

interface Args {
  pods: number;
  nodes: number;
  concurrency: number;
  store: 'level' | 'memory';
  timeoutS: number;
  runcPods: number;
  runcConcurrency: number;
  runc: boolean;
}

function parse(): Args {
  const { values } = parseArgs({
    options: {
      pods: { type: 'string' },
      nodes: { type: 'string' },
      concurrency: { type: 'string' },
      store: { type: 'string' },
      'timeout-s': { type: 'string' },
      'runc-pods': { type: 'string' },
      'runc-concurrency': { type: 'string' },
      'no-runc': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (raw: string | undefined, fallback: number, name: string) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const store = values.store ?? 'level';
  if (store !== 'level' && store !== 'memory') throw new Error('--store must be level or memory');
  return {
    pods: int(values.pods, 1000, 'pods'),
    nodes: int(values.nodes, 10, 'nodes'),
    concurrency: int(values.concurrency, 50, 'concurrency'),
    store,
    timeoutS: int(values['timeout-s'], 120, 'timeout-s'),
    runcPods: int(values['runc-pods'], 50, 'runc-pods'),
    runcConcurrency: int(values['runc-concurrency'], 5, 'runc-concurrency'),
    runc: !values['no-runc'],
  };
}

const NS = 'default';
const podName = (i: number) => `bench-${i}`;

const podBody = (i: number, nodes: number) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName(i), namespace: NS, annotations: { 'sim.k8ts.io/start-ms': '0' } },
    spec: { nodeName: `k8ts-node-${(i % nodes) + 1}`, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
  });

async function main(): Promise<void> {
  const args = parse();
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-pods-'));
  const server = await startServerProcess(dataDir, args.store, ['--nodes', String(args.nodes), '--runtime', 'simulated']);
  const client = new ApiClient(server.url, server.credentials, args.concurrency + 8);
  try {
    const { latencies, creates, startedAt, lastRunningAt } = await measureCreateToRunning(client, {
      namespace: NS,
      pods: args.pods,
      concurrency: args.concurrency,
      timeoutS: args.timeoutS,
      podName,
      podBody: (i) => podBody(i, args.nodes),
    });

    const totalS = (lastRunningAt - startedAt) / 1000;
    const result: Record<string, number> = {
      sim_p50_ms: round(latencies.percentile(50), 1),
      sim_p99_ms: round(latencies.percentile(99), 1),
      sim_pods_s: Math.round(args.pods / totalS),
    };
    process.stdout.write(
      [
        `pods ${args.pods} on ${args.nodes} simulated nodes, ${args.concurrency} creates in flight, ${args.store} store`,
        `creates:            ${Math.round(creates.opsPerSec)}/s`,
        `created -> Running: p50 ${result.sim_p50_ms} ms, p99 ${result.sim_p99_ms} ms, max ${round(latencies.max(), 1)} ms`,
        `all Running after:  ${round(totalS, 2)} s (${result.sim_pods_s} pods/s)`,
      ].join('\n') + '\n',
    );
    client.close();
    await server.stop();

    const runcProblem = resolveRuntime('runc').warning;
    if (args.runc && runcProblem === undefined) {
      const runc = await runcPodsBench(runcBenchDataDir(dataDir), args.runcPods, args.runcConcurrency, args.timeoutS);
      Object.assign(result, runc);
      process.stdout.write(
        `runc: ${args.runcPods} pods on 1 node, ${args.runcConcurrency} creates in flight, cached image: created -> Running p50 ${runc.runc_p50_ms} ms, p99 ${runc.runc_p99_ms} ms, max ${runc.runc_max_ms} ms\n`,
      );
    } else if (args.runc) {
      process.stdout.write(`runc: skipped (${runcProblem})\n`);
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    client.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:pods: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
