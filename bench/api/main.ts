/**
 * API bench: a real cluster (`k8ts up` in a child process, LevelDB store, no nodes), driven
 * over HTTPS with the admin client certificate through a keep-alive agent: pod creates (c1,
 * c64), single GETs (c64), full lists of 10,000 pods as JSON and as a Table, watch latency
 * (201 received -> ADDED line) and the server's peak RSS. Prints a table, then one JSON line
 * (the last line).
 *
 *   npm run build && npm run bench:api -- [--creates 10000] [--store level|memory] [--in-process]
 *
 * By default the server has its own process (as users run it), so the client's CPU (TLS,
 * parsing) is not charged to the server; --in-process runs startCluster() in this process
 * instead, where the client's work is part of every figure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer, type Server } from './server.js';
import { mb, RssSampler, round, type RunResult } from '../store/measure.js';
import { ApiClient } from './client.js';
import { createPods, getPods, listPods, PodBodies, podName, TABLE_ACCEPT, watchLatency } from './workloads.js';

const USAGE = `usage: bench:api [options]
  --creates N       pods created at concurrency 64 and then listed (default 10000)
  --c1-creates N    pods created at concurrency 1 (default 1000)
  --c1-max-s S      stop the c1 create after S seconds (default 60)
  --gets N          single-pod GETs at concurrency 64 (default 20000)
  --watch-writes N  sequential creates for the watch-latency run (default 1000)
  --list-runs N     full lists to time per format; the median is reported (default 5)
  --warmup N        creates + GETs in kube-system before measuring (default 500)
  --concurrency N   the high concurrency (default 64)
  --store level|memory  backend (default level)
  --in-process      run the cluster in this process (client and server share one event loop)`;

const NS = 'default';

/** The references printed beside the figures. */
const REF = {
  create: { target: '>= 3,500/s', ref: 'bare Fastify+Map ~7,000/s' },
  get: { target: '', ref: 'bare Fastify+Map ~7,000/s' },
} as const;

interface Args {
  creates: number;
  c1Creates: number;
  c1MaxS: number;
  gets: number;
  watchWrites: number;
  listRuns: number;
  warmup: number;
  concurrency: number;
  backend: 'level' | 'memory';
  inProcess: boolean;
}

function parse(): Args {
  const { values } = parseArgs({
    options: {
      creates: { type: 'string' },
      'c1-creates': { type: 'string' },
      'c1-max-s': { type: 'string' },
      gets: { type: 'string' },
      'watch-writes': { type: 'string' },
      'list-runs': { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      store: { type: 'string' },
      'in-process': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, raw: string | undefined, dflt: number, min = 1): number => {
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
    return n;
  };
  const backend = values.store ?? 'level';
  if (backend !== 'level' && backend !== 'memory') throw new Error(`--store must be level or memory, got ${JSON.stringify(backend)}`);
  return {
    creates: int('creates', values.creates, 10_000),
    c1Creates: int('c1-creates', values['c1-creates'], 1_000),
    c1MaxS: int('c1-max-s', values['c1-max-s'], 60),
    gets: int('gets', values.gets, 20_000),
    watchWrites: int('watch-writes', values['watch-writes'], 1_000),
    listRuns: int('list-runs', values['list-runs'], 5),
    warmup: int('warmup', values.warmup, 500, 0),
    concurrency: int('concurrency', values.concurrency, 64),
    backend,
    inProcess: values['in-process'] === true,
  };
}

const fmtInt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fmtMs = (n: number): string => (Number.isFinite(n) ? n.toFixed(3) : '-');

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 || c >= r.length - 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

function runRow(name: string, conc: number, r: RunResult, ref: { target: string; ref: string }): string[] {
  const ops = r.capped ? `${r.ops} (capped)` : String(r.ops);
  return [name, ops, String(conc), fmtInt(r.opsPerSec), fmtMs(r.latencies.percentile(50)), fmtMs(r.latencies.percentile(99)), fmtMs(r.latencies.max()), String(r.failed), ref.target, ref.ref];
}

/** First failure bodies, so a rejected pod is visible rather than just counted. */
function failureReporter(label: string): (status: number, body: string) => void {
  let shown = 0;
  return (status, body) => {
    if (shown++ < 3) console.error(`${label}: HTTP ${status}: ${body.slice(0, 500)}`);
  };
}

async function main(): Promise<void> {
  const args = parse();
  const rss = new RssSampler();
  rss.start(20);
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-api-'));
  let cluster: Server | undefined;
  let client: ApiClient | undefined;
  try {
    const started = performance.now();
    cluster = await startServer(dataDir, args.backend, args.inProcess);
    const startMs = performance.now() - started;
    client = new ApiClient(cluster.url, cluster.credentials, Math.max(64, args.concurrency));
    const c = args.concurrency;
    const podBytes = Buffer.byteLength(new PodBodies(NS).body(podName('web', 0)));

    console.log(`k8ts API bench: ${cluster.url}, store=${args.backend} (cluster up in ${startMs.toFixed(0)} ms)`);
    const where = args.inProcess ? 'client and server share this process' : `server in its own process (pid ${cluster.pid})`;
    console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); pod body ${podBytes} bytes of JSON; ${where}`);

    // the pod must pass validation: check the first create's status before timing anything
    const first = await client.request('POST', `/api/v1/namespaces/kube-system/pods`, new PodBodies('kube-system').body('probe-pod'));
    if (first.status !== 201) throw new Error(`the bench pod was rejected: HTTP ${first.status}: ${first.body.toString('utf8').slice(0, 1000)}`);
    const created = JSON.parse(first.body.toString('utf8')) as { metadata?: { uid?: string; resourceVersion?: string } };
    console.log(`first create: 201, uid ${created.metadata?.uid ?? '?'}, resourceVersion ${created.metadata?.resourceVersion ?? '?'}, ${first.body.length} bytes back`);

    if (args.warmup > 0) {
      const w = await createPods(client, 'kube-system', 'warm', args.warmup, c, undefined, failureReporter('warm-up create'));
      await getPods(client, 'kube-system', 'warm', args.warmup, args.warmup, c);
      await listPods(client, 'kube-system', 'application/json', 1);
      await listPods(client, 'kube-system', TABLE_ACCEPT, 1);
      console.log(`warm-up: ${args.warmup} creates + GETs + 2 lists in kube-system (${fmtInt(w.opsPerSec)} creates/s)`);
    }
    console.log('');

    const cHigh = await createPods(client, NS, 'web', args.creates, c, undefined, failureReporter(`create c${c}`));
    const existing = args.creates;
    const get = await getPods(client, NS, 'web', existing, args.gets, c);
    const listJson = await listPods(client, NS, 'application/json', args.listRuns);
    const listTable = await listPods(client, NS, TABLE_ACCEPT, args.listRuns);
    const expected = args.creates - cHigh.failed;
    if (listJson.items !== expected) console.error(`warning: JSON list returned ${listJson.items} items, expected ${expected}`);
    if (listTable.items !== expected) console.error(`warning: Table list returned ${listTable.items} rows, expected ${expected}`);
    const c1 = await createPods(client, NS, 'solo', args.c1Creates, 1, args.c1MaxS * 1000, failureReporter('create c1'));
    const watch = await watchLatency(client, NS, 'watched', listJson.resourceVersion, args.watchWrites);

    client.close();
    client = undefined;
    const serverPeakMb = await cluster.peakRssMb();
    const stopped = performance.now();
    await cluster.stop();
    cluster = undefined;
    const stopMs = performance.now() - stopped;
    rss.stop();
    // in process: sampled here; otherwise the server's own high-water mark (VmHWM)
    const rssMb = serverPeakMb ?? mb(rss.peakBytes);
    const kernelPeakMb = serverPeakMb ?? process.resourceUsage().maxRSS / 1024;

    const listRow = (name: string, l: typeof listJson): string[] => [
      `${name} (median of ${l.runsMs.length})`,
      String(l.items),
      '1',
      '-',
      fmtMs(l.medianMs),
      `best ${fmtMs(l.bestMs)}`,
      fmtMs(Math.max(...l.runsMs)),
      '0',
      `${(l.bytes / 1e6).toFixed(2)} MB`,
      '',
    ];
    const rows: string[][] = [
      ['workload', 'ops', 'conc', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'failed', 'target', 'reference'],
      runRow('POST pod (create)', 1, c1, { target: '', ref: '' }),
      runRow('POST pod (create)', c, cHigh, REF.create),
      runRow('GET pod', c, get, REF.get),
      listRow('LIST pods JSON', listJson),
      listRow('LIST pods Table', listTable),
      ['watch 201->ADDED', String(watch.latencies.count), '1', fmtInt((watch.latencies.count * 1000) / watch.elapsedMs), fmtMs(watch.latencies.percentile(50)), fmtMs(watch.latencies.percentile(99)), fmtMs(watch.latencies.max()), String(watch.missing + watch.failed), '', ''],
    ];
    console.log(table(rows));
    console.log('');
    console.log(`list JSON runs ms: ${listJson.runsMs.map((x) => x.toFixed(1)).join(', ')}; ${listJson.bytes.toLocaleString('en-US')} bytes`);
    console.log(`list Table runs ms: ${listTable.runsMs.map((x) => x.toFixed(1)).join(', ')}; ${listTable.bytes.toLocaleString('en-US')} bytes`);
    console.log(`watch: issue->event p50 ${fmtMs(watch.fromIssue.percentile(50))} ms, p99 ${fmtMs(watch.fromIssue.percentile(99))} ms; ${watch.beforeAck}/${watch.latencies.count} events arrived no later than the 201 (counted as 0 ms); ${watch.missing} missing, ${watch.failed} creates failed`);
    const rssHow = serverPeakMb === undefined ? `sampled every 20 ms (kernel maxRSS ${kernelPeakMb.toFixed(1)} MB)` : "the server process's VmHWM";
    console.log(`peak RSS: ${rssMb.toFixed(1)} MB, ${rssHow}; cluster stop ${stopMs.toFixed(0)} ms`);
    console.log(`references: bare Fastify HTTPS handler storing into a Map ~7,000 req/s on this kind of machine; target for durable creates >= 3,500/s (create c${c}: ${fmtInt(cHigh.opsPerSec)}/s, ${cHigh.opsPerSec >= 3500 ? 'meets' : 'BELOW'} target)`);

    const p = (r: RunResult, q: number): number => round(r.latencies.percentile(q));
    const result = {
      store: args.backend,
      server: args.inProcess ? 'in-process' : 'own-process',
      concurrency: c,
      create_p50_ms: p(cHigh, 50),
      create_p99_ms: p(cHigh, 99),
      create_rps: Math.round(cHigh.opsPerSec),
      get_p99_ms: p(get, 99),
      list_10k_json_ms: round(listJson.medianMs),
      list_10k_table_ms: round(listTable.medianMs),
      watch_event_p99_ms: round(watch.latencies.percentile(99), 4),
      create_ops: cHigh.ops,
      create_failed: cHigh.failed,
      create_max_ms: p(cHigh, 100),
      create_c1_rps: Math.round(c1.opsPerSec),
      create_c1_p50_ms: p(c1, 50),
      create_c1_p99_ms: p(c1, 99),
      create_c1_ops: c1.ops,
      get_rps: Math.round(get.opsPerSec),
      get_p50_ms: p(get, 50),
      get_failed: get.failed,
      list_items: listJson.items,
      list_json_bytes: listJson.bytes,
      list_table_bytes: listTable.bytes,
      list_10k_json_best_ms: round(listJson.bestMs),
      list_10k_table_best_ms: round(listTable.bestMs),
      watch_event_p50_ms: round(watch.latencies.percentile(50), 4),
      watch_issue_p99_ms: round(watch.fromIssue.percentile(99)),
      watch_writes: watch.latencies.count,
      watch_before_ack: watch.beforeAck,
      watch_missing: watch.missing,
      pod_body_bytes: podBytes,
      rss_peak_mb: round(rssMb, 1),
      rss_kernel_max_mb: round(kernelPeakMb, 1),
      ref_fastify_map_rps: 7000,
      target_create_rps: 3500,
    };
    console.log(JSON.stringify(result));
  } finally {
    rss.stop();
    client?.close();
    if (cluster !== undefined) await cluster.stop().catch((err: unknown) => console.error('cluster stop failed:', err));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main()
  .catch((err: unknown) => {
    const usage = err instanceof Error && /^ERR_PARSE_ARGS|^--/.test(String((err as { code?: unknown }).code ?? err.message));
    console.error(usage ? `${err instanceof Error ? err.message : String(err)}\n${USAGE}` : err);
    process.exitCode = 1;
  })
  .finally(() => {
    setTimeout(() => {
      console.error('warning: the process did not exit 5 s after the bench finished (open handles); forcing exit');
      process.exit(process.exitCode ?? 0);
    }, 5_000).unref();
  });
