/**
 * The scheduler bench's flags. A case is "NODESxPODS" (e.g. 1000x10000); --cases takes a
 * comma-separated list so one run can sweep cluster sizes.
 */
import { parseArgs } from 'node:util';

export interface BenchCase {
  nodes: number;
  pods: number;
}

export interface Args {
  cases: BenchCase[];
  /** pod creates in flight */
  concurrency: number;
  /** node creates (and status patches) in flight */
  nodeConcurrency: number;
  /** give up on a case when its pods are not all bound after this long (from the first pod create) */
  timeoutS: number;
  /** pause between the last node and the first pod, so the scheduler's informer has the nodes */
  settleMs: number;
  /** each pod's cpu request */
  podCpu: string;
  store: 'level' | 'memory';
  /** passed to `k8ts up --scheduler-config` ('' = none) */
  schedulerConfig: string;
}

export const DEFAULT_CASES = '100x1000,1000x10000,5000x10000';

export const USAGE = `usage: bench:scheduler [options]
  --cases NxM,...        node x pod counts, each on a fresh cluster (default ${DEFAULT_CASES})
  --concurrency N        pod creates in flight (default 64)
  --node-concurrency N   node creates in flight (default 64)
  --timeout-s S          per case: give up when pods are still unbound S seconds after the first create (default 300)
  --settle-ms MS         pause after the nodes before the first pod (default 1000)
  --pod-cpu Q            each pod's cpu request (default 10m)
  --store level|memory   backend (default memory)
  --scheduler-config F   passed to k8ts up (default none)`;

export class ArgsError extends Error {}

export function parseCases(text: string): BenchCase[] {
  const cases = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const m = /^([0-9]+)x([0-9]+)$/.exec(item);
      const nodes = Number(m?.[1]);
      const pods = Number(m?.[2]);
      if (!m || !(nodes > 0) || !(pods > 0)) throw new ArgsError(`--cases: ${JSON.stringify(item)} is not NODESxPODS with both positive, e.g. 100x1000`);
      return { nodes, pods };
    });
  if (cases.length === 0) throw new ArgsError('--cases: no cases given');
  return cases;
}

export function parseBenchArgs(argv: string[]): Args | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        cases: { type: 'string' },
        concurrency: { type: 'string' },
        'node-concurrency': { type: 'string' },
        'timeout-s': { type: 'string' },
        'settle-ms': { type: 'string' },
        'pod-cpu': { type: 'string' },
        store: { type: 'string' },
        'scheduler-config': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new ArgsError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values.help) return 'help';
  const int = (raw: string | undefined, fallback: number, name: string, min: number) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(n) || n < min) throw new ArgsError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
    return n;
  };
  const store = values.store ?? 'memory';
  if (store !== 'level' && store !== 'memory') throw new ArgsError(`--store must be level or memory, got ${JSON.stringify(store)}`);
  return {
    cases: parseCases(values.cases ?? DEFAULT_CASES),
    concurrency: int(values.concurrency, 64, 'concurrency', 1),
    nodeConcurrency: int(values['node-concurrency'], 64, 'node-concurrency', 1),
    timeoutS: int(values['timeout-s'], 300, 'timeout-s', 1),
    settleMs: int(values['settle-ms'], 1000, 'settle-ms', 0),
    podCpu: values['pod-cpu'] ?? '10m',
    store,
    schedulerConfig: values['scheduler-config'] ?? '',
  };
}
