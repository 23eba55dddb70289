/**
 * Store benchmark: durable create-if-absent (c1, c64), CAS update (c64), a full list and
 * watch latency against a fresh store; prints a table, then one JSON line (the last line).
 *
 *   npm run build && npm run bench:store -- [--ops 10000] [--store level|memory] [--dir PATH]
 */
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../../store/index.js';
import type { MvccStore } from '../../store/types.js';
import { mb, RssSampler, round, type RunResult } from './measure.js';
import { casUpdate, createIfAbsent, keyspace, listPrefix, PodValues, watchLatency } from './workloads.js';

const USAGE = `usage: bench:store [options]
  --ops N           ops for the c64 create and CAS workloads, and keys listed (default 10000)
  --c1-ops N        ops for the concurrency-1 create (default min(ops, 2000))
  --c1-max-s S      stop the c1 create after S seconds (default 60)
  --watch-writes N  writes for the watch-latency run (default 2000)
  --list-runs N     full lists to time; the median is reported (default 5)
  --store level|memory  backend (default level)
  --dir PATH        LevelDB directory (default: a fresh mkdtemp dir); must be absent or empty
  --keep            keep the directory afterwards (default: remove it)`;

/** The targets and etcd 3.4's figures on comparable hardware, for the table. */
const REF = {
  create_c1: { etcd: '~670/s', target: '' },
  create_c64: { etcd: '~3,100/s', target: '>= 15,000/s' },
  cas_c64: { etcd: '~3,100/s', target: '>= 15,000/s' },
  list: { etcd: '', target: '< 20 ms' },
  watch: { etcd: '', target: 'p99 < 0.5 ms' },
} as const;

interface Args {
  ops: number;
  c1Ops: number;
  c1MaxS: number;
  watchWrites: number;
  listRuns: number;
  backend: 'level' | 'memory';
  dir: string | undefined;
  keep: boolean;
}

function parse(): Args {
  const { values } = parseArgs({
    options: {
      ops: { type: 'string' },
      'c1-ops': { type: 'string' },
      'c1-max-s': { type: 'string' },
      'watch-writes': { type: 'string' },
      'list-runs': { type: 'string' },
      store: { type: 'string' },
      dir: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, raw: string | undefined, dflt: number): number => {
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    return n;
  };
  const backend = values.store ?? 'level';
  if (backend !== 'level' && backend !== 'memory') throw new Error(`--store must be level or memory, got ${JSON.stringify(backend)}`);
  const ops = int('ops', values.ops, 10_000);
  return {
    ops,
    c1Ops: int('c1-ops', values['c1-ops'], Math.min(ops, 2_000)),
    c1MaxS: int('c1-max-s', values['c1-max-s'], 60),
    watchWrites: int('watch-writes', values['watch-writes'], 2_000),
    listRuns: int('list-runs', values['list-runs'], 5),
    backend,
    dir: values.dir,
    keep: values.keep === true,
  };
}

async function prepareDir(args: Args): Promise<string | undefined> {
  if (args.backend === 'memory') return undefined;
  if (args.dir === undefined) return mkdtemp(join(tmpdir(), 'k8ts-bench-store-'));
  await mkdir(args.dir, { recursive: true });
  const entries = await readdir(args.dir);
  if (entries.length > 0) throw new Error(`--dir ${args.dir} is not empty; the bench needs a fresh store`);
  return args.dir;
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(p) : (await stat(p)).size;
  }
  return total;
}

const fmtInt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fmtMs = (n: number): string => (Number.isFinite(n) ? n.toFixed(3) : '-');

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

function runRow(name: string, conc: number, r: RunResult, ref: { etcd: string; target: string }): string[] {
  const ops = r.capped ? `${r.ops} (capped)` : String(r.ops);
  return [name, ops, String(conc), fmtInt(r.opsPerSec), fmtMs(r.latencies.percentile(50)), fmtMs(r.latencies.percentile(99)), fmtMs(r.latencies.max()), String(r.failed), ref.target, ref.etcd];
}

async function main(): Promise<void> {
  const args = parse();
  const rss = new RssSampler();
  rss.start(20);
  const dir = await prepareDir(args);
  let store: MvccStore | undefined;
  const c1Note =
    args.c1Ops < args.ops ? `concurrency 1 uses ${args.c1Ops} ops (not ${args.ops}) to keep the run short` : undefined;
  try {
    const db: MvccStore = await openStore(args.backend === 'level' ? { backend: 'level', path: dir } : { backend: 'memory' });
    store = db;
    const values = new PodValues();
    const sample = values.value('web-000000-bench', 1);
    const pods = keyspace('/registry/pods/default/', 'web');
    const c1Pods = keyspace('/registry/pods/c1/', 'web');
    const watchPods = keyspace('/registry/pods/watch/', 'web');
    const modRevisions = new Float64Array(args.ops);

    console.log(`k8ts store bench: backend=${args.backend}${dir !== undefined ? ` dir=${dir}` : ''}`);
    console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), value ${sample.length} bytes of pod JSON`);
    if (c1Note !== undefined) console.log(`note: ${c1Note}`);
    console.log('');

    const c1 = await createIfAbsent(db, c1Pods, values, args.c1Ops, 1, undefined, args.c1MaxS * 1000);
    const c64 = await createIfAbsent(db, pods, values, args.ops, 64, modRevisions);
    const cas = await casUpdate(db, pods, values, args.ops, 64, modRevisions, args.ops);
    const list = await listPrefix(db, pods.prefix, args.listRuns);
    if (list.count !== args.ops - c64.failed) console.error(`warning: list returned ${list.count} keys, expected ${args.ops - c64.failed}`);
    const watch = await watchLatency(db, watchPods, values, args.watchWrites);
    const revision = db.revision;
    const stats = db.stats();

    const dbBytes = dir !== undefined ? await dirBytes(dir) : 0;
    store = undefined;
    await db.close();
    rss.stop();
    const rssMb = mb(rss.peakBytes);
    // resourceUsage().maxRSS is the kernel's high-water mark in KiB (catches peaks between samples)
    const kernelPeakMb = process.resourceUsage().maxRSS / 1024;

    const rows: string[][] = [
      ['workload', 'ops', 'conc', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'failed', 'target', 'etcd 3.4'],
      runRow('create-if-absent', 1, c1, REF.create_c1),
      runRow('create-if-absent', 64, c64, REF.create_c64),
      runRow('CAS update', 64, cas, REF.cas_c64),
      [`list ${list.count} keys (median of ${list.runsMs.length})`, '1', '1', '-', fmtMs(list.medianMs), `best ${fmtMs(list.bestMs)}`, fmtMs(Math.max(...list.runsMs)), '0', REF.list.target, REF.list.etcd],
      ['watch ack->event', String(watch.latencies.count), '1', fmtInt((watch.writes * 1000) / watch.elapsedMs), fmtMs(watch.latencies.percentile(50)), fmtMs(watch.latencies.percentile(99)), fmtMs(watch.latencies.max()), String(watch.missing), REF.watch.target, REF.watch.etcd],
    ];
    console.log(table(rows));
    console.log('');
    console.log(`list runs ms: ${list.runsMs.map((x) => x.toFixed(2)).join(', ')} (list_10k_ms = median)`);
    console.log(`watch: issue->event p50 ${fmtMs(watch.fromIssue.percentile(50))} ms, p99 ${fmtMs(watch.fromIssue.percentile(99))} ms (includes the durable commit)`);
    console.log(`watch: ${watch.beforeAck}/${watch.latencies.count} events arrived no later than the ack (counted as 0 ms); ${watch.missing} missing`);
    console.log(`peak RSS: ${rssMb.toFixed(1)} MB sampled every 20 ms (kernel maxRSS ${kernelPeakMb.toFixed(1)} MB)`);
    console.log(`final revision ${revision}, ${stats.keys} keys, ${stats.memoryHistory.events} history events (${mb(stats.memoryHistory.bytes).toFixed(1)} MB) in memory${dir !== undefined ? `, ${mb(dbBytes).toFixed(1)} MB on disk` : ''}`);
    if (c1Note !== undefined) console.log(`note: ${c1Note}${c1.capped ? `; capped at ${args.c1MaxS} s after ${c1.ops} ops` : ''}`);

    const p = (r: RunResult, q: number): number => round(r.latencies.percentile(q));
    const result = {
      backend: args.backend,
      create_c1_ops_s: Math.round(c1.opsPerSec),
      create_c64_ops_s: Math.round(c64.opsPerSec),
      cas_c64_ops_s: Math.round(cas.opsPerSec),
      create_c64_p99_ms: p(c64, 99),
      list_10k_ms: round(list.medianMs),
      watch_p99_ms: round(watch.latencies.percentile(99), 4),
      rss_mb: round(rssMb, 1),
      create_c1_ops: c1.ops,
      create_c1_p50_ms: p(c1, 50),
      create_c1_p99_ms: p(c1, 99),
      create_c64_ops: c64.ops,
      create_c64_p50_ms: p(c64, 50),
      cas_c64_ops: cas.ops,
      cas_c64_p50_ms: p(cas, 50),
      cas_c64_p99_ms: p(cas, 99),
      failed: c1.failed + c64.failed + cas.failed,
      list_keys: list.count,
      list_10k_best_ms: round(list.bestMs),
      watch_writes: watch.latencies.count,
      watch_p50_ms: round(watch.latencies.percentile(50), 4),
      watch_issue_p50_ms: round(watch.fromIssue.percentile(50)),
      watch_issue_p99_ms: round(watch.fromIssue.percentile(99)),
      watch_before_ack: watch.beforeAck,
      watch_missing: watch.missing,
      rss_kernel_max_mb: round(kernelPeakMb, 1),
      db_mb: round(mb(dbBytes), 1),
    };
    console.log(JSON.stringify(result));
  } finally {
    rss.stop();
    if (store !== undefined) await store.close().catch((err: unknown) => console.error('close failed:', err));
    if (dir !== undefined && !args.keep) await rm(dir, { recursive: true, force: true });
  }
}

main()
  .catch((err: unknown) => {
    const usage = err instanceof Error && /^ERR_PARSE_ARGS|^--/.test(String((err as { code?: unknown }).code ?? err.message));
    console.error(usage ? `${err instanceof Error ? err.message : String(err)}\n${USAGE}` : err);
    process.exitCode = 1;
  })
  .finally(() => {
    // If something still holds the event loop open, say so and exit anyway.
    setTimeout(() => {
      console.error('warning: the process did not exit 5 s after the bench finished (open handles); forcing exit');
      process.exit(process.exitCode ?? 0);
    }, 5_000).unref();
  });
