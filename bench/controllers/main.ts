/**
 * Controllers bench: a fresh cluster in this process (`--nodes` simulated kubelets,
 * scheduler, controllers), then ONE Deployment of `--replicas` pods; measures the time
 * from its create to the Deployment reporting every replica updated and available, and
 * the API writes per pod the whole control plane made on the way (from the server's
 * apiserver_request_total, by resource). Last line, one JSON object:
 *   {"deploy_1000_available_s","writes_per_pod", "replicas", "nodes"}
 *
 *   npm run build && npm run bench:controllers -- [--replicas 1000] [--nodes 10] [--timeout-s 600] [--store level|memory]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster, type Cluster } from '../../cli/start-cluster.js';
import { ApiClient } from '../api/client.js';
import { ArgsError, parseControllerBenchArgs, USAGE, type ControllerBenchArgs } from './args.js';
import { countsSince, writeCounts } from './write-counts.js';

const NAMESPACE = 'default';

function deployment(replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bench', namespace: NAMESPACE },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'bench' } },
      template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9' }] } },
    },
  };
}

async function json(client: ApiClient, path: string): Promise<any> {
  const res = await client.request('GET', path);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return JSON.parse(res.body.toString('utf8'));
}

async function metrics(client: ApiClient) {
  const res = await client.request('GET', '/metrics', undefined, { accept: 'text/plain' });
  if (res.status !== 200) throw new Error(`GET /metrics: HTTP ${res.status}`);
  return writeCounts(res.body.toString('utf8'));
}

async function waitFor(what: string, deadline: number, check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function run(args: ControllerBenchArgs, cluster: Cluster): Promise<void> {
  const admin = cluster.credentials('admin');
  const client = new ApiClient(cluster.url, { ca: cluster.ca, cert: admin.cert, key: admin.key }, 8);
  try {
    const deadline = performance.now() + args.timeoutS * 1000;
    await waitFor(`${args.nodes} Ready nodes`, deadline, async () => {
      const nodes = await json(client, '/api/v1/nodes');
      return nodes.items.filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length === args.nodes;
    });
    await waitFor('the default ServiceAccount', deadline, async () => (await client.request('GET', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/default`)).status === 200);
    const before = await metrics(client);
    const started = performance.now();
    const created = await client.request('POST', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, JSON.stringify(deployment(args.replicas)));
    if (created.status !== 201) throw new Error(`create deployment: HTTP ${created.status} ${created.body.toString('utf8').slice(0, 200)}`);
    let lastReport = started;
    await waitFor(`${args.replicas} available replicas`, deadline, async () => {
      const d = await json(client, `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/bench`);
      const s = d.status ?? {};
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        process.stdout.write(`  ${((lastReport - started) / 1000).toFixed(0)} s: ${s.replicas ?? 0} replicas, ${s.updatedReplicas ?? 0} updated, ${s.availableReplicas ?? 0} available\n`);
      }
      return (s.observedGeneration ?? 0) >= d.metadata.generation && s.updatedReplicas === args.replicas && s.availableReplicas === args.replicas && s.replicas === args.replicas;
    });
    const availableS = (performance.now() - started) / 1000;
    // writes still in flight when the status flipped (the last events, kubelet statuses) belong to the rollout too
    await sleep(1000);
    const writes = countsSince(before, await metrics(client));
    const total = [...writes.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`deployment of ${args.replicas} replicas on ${args.nodes} nodes (${args.store} store)\n`);
    process.stdout.write(`  available after   ${availableS.toFixed(2)} s\n`);
    process.stdout.write(`  API writes        ${total} (${(total / args.replicas).toFixed(2)} per pod)\n`);
    for (const [key, n] of [...writes].sort((a, b) => b[1] - a[1])) process.stdout.write(`    ${key.padEnd(28)} ${n}\n`);
    process.stdout.write(`${JSON.stringify({ deploy_1000_available_s: Number(availableS.toFixed(2)), writes_per_pod: Number((total / args.replicas).toFixed(2)), replicas: args.replicas, nodes: args.nodes })}\n`);
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  const args = parseControllerBenchArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-controllers-'));
  const cluster = await startCluster({
    dataDir,
    port: 0,
    store: args.store,
    nodes: args.nodes,
    runtime: 'simulated',
    logLevel: 'warn',
    nodeCapacity: `cpu=64,memory=256Gi,pods=${Math.ceil((args.replicas * 2) / args.nodes) + 10}`,
    scheduler: {},
    controllers: {},
  });
  try {
    await run(args, cluster);
  } finally {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:controllers: ${err instanceof Error ? err.message : String(err)}${err instanceof ArgsError ? ' (see --help)' : ''}\n`);
  process.exit(err instanceof ArgsError ? 2 : 1);
});
