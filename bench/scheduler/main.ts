/**
 * Scheduler bench: for each case (N nodes, M pods) a fresh `k8ts up --nodes 0` in a child
 * process, N Ready nodes created through the API, then M pods without a nodeName created
 * 64 at a time; each pod's latency runs from its create's 201 to the watch event that
 * shows it bound. Per case: pods/s (M over first create → last bind), p50/p99 latency and
 * the server's peak RSS. Prints a summary per case, then one JSON line (the last line):
 *   {"cases":[{"nodes","pods","pods_s","p50_ms","p99_ms","rss_mb"}, …]}
 *
 *   npm run build && npm run bench:scheduler -- [--cases 100x1000,1000x10000] [--timeout-s 300]
 *
 * A case whose pods are not all bound in time ends the run: one line on stderr, exit 1.
 */
import { ArgsError, parseBenchArgs, USAGE } from './args.js';
import { runCase, type CaseResult } from './run-case.js';

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const results: CaseResult[] = [];
  for (const c of args.cases) {
    const r = await runCase(c, args);
    results.push(r);
    process.stdout.write(
      [
        `${r.nodes} nodes, ${r.pods} pods (${args.concurrency} creates in flight, ${args.store} store)`,
        `  nodes ready in     ${r.detail.nodesS.toFixed(2)} s`,
        `  pod creates        ${Math.round(r.detail.createsPerS)}/s`,
        `  created -> bound   p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, max ${r.detail.maxMs.toFixed(1)} ms`,
        `  all bound after    ${r.detail.totalS.toFixed(2)} s (${r.pods_s} pods/s)`,
        `  server peak RSS    ${r.rss_mb ?? '?'} MB`,
        ...(r.detail.watchReopened > 0 ? [`  (the pod watch was ended by the server and reopened ${r.detail.watchReopened} times)`] : []),
      ].join('\n') + '\n',
    );
  }
  const cases = results.map(({ nodes, pods, pods_s, p50_ms, p99_ms, rss_mb }) => ({ nodes, pods, pods_s, p50_ms, p99_ms, rss_mb }));
  process.stdout.write(`${JSON.stringify({ cases })}\n`);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`bench:scheduler: ${message}${err instanceof ArgsError ? ' (see --help)' : ''}\n`);
  process.exit(err instanceof ArgsError ? 2 : 1);
});
