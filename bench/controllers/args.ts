/** The controllers bench's flags; a bad one is an ArgsError with a one-line message. */
import { parseArgs } from 'node:util';

export interface ControllerBenchArgs {
  replicas: number;
  nodes: number;
  /** give up when the Deployment is not available this long after its create */
  timeoutS: number;
  store: 'level' | 'memory';
}

export const USAGE = `usage: bench:controllers [options]
  --replicas N           the Deployment's replicas (default 1000)
  --nodes N              simulated nodes (default 10)
  --timeout-s S          give up when not all available after S seconds (default 600)
  --store level|memory   backend (default level)`;

export class ArgsError extends Error {}

export function parseControllerBenchArgs(argv: string[]): ControllerBenchArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { replicas: { type: 'string' }, nodes: { type: 'string' }, 'timeout-s': { type: 'string' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new ArgsError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values.help) return 'help';
  const int = (raw: string | undefined, fallback: number, name: string) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) throw new ArgsError(`--${name} must be an integer >= 1, got ${JSON.stringify(raw)}`);
    return n;
  };
  const store = values.store ?? 'level';
  if (store !== 'level' && store !== 'memory') throw new ArgsError(`--store must be level or memory, got ${JSON.stringify(store)}`);
  return { replicas: int(values.replicas, 1000, 'replicas'), nodes: int(values.nodes, 10, 'nodes'), timeoutS: int(values['timeout-s'], 600, 'timeout-s'), store };
}
