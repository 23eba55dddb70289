/**
 * argv -> what to do. node:util parseArgs in non-strict token mode does the tokenizing
 * (so --flag=value and --flag value both work); we walk the tokens ourselves so every
 * mistake gets our own one-line message instead of parseArgs' multi-sentence one.
 */
import { parseArgs } from 'node:util';
import { BOOLEAN_FLAGS, FLAGS, UsageError, resolveClusterOptions, toClusterOptions, type ClusterOptions, type EmbedderOnlyOption, type RawClusterOptions } from './options.js';

export type Command =
  | { kind: 'help'; topic: 'main' | 'up' }
  | { kind: 'version' }
  | { kind: 'up'; options: Required<Omit<ClusterOptions, EmbedderOnlyOption>> };

const KEY_OF_FLAG = new Map(Object.entries(FLAGS).map(([key, flag]) => [flag, key as keyof RawClusterOptions]));

export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { kind: 'help', topic: 'main' };
  if (first === '--version' || first === 'version') {
    if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])} after ${first}`);
    return { kind: 'version' };
  }
  if (first.startsWith('-')) throw new UsageError(`unknown flag ${flagName(first)} (see k8ts --help)`);
  if (first === 'up') return parseUp(rest);
  throw new UsageError(`unknown command ${JSON.stringify(first)} (see k8ts --help)`);
}

const flagName = (arg: string) => arg.split('=')[0] ?? arg;

function parseUp(args: string[]): Command {
  // boolean flags take no value: `--anonymous extra` must not swallow "extra" as its value
  const flagTypes = Object.fromEntries(
    [...KEY_OF_FLAG.keys()].map((f) => [f.slice(2), { type: BOOLEAN_FLAGS.has(f) ? ('boolean' as const) : ('string' as const) }]),
  );
  const { tokens } = parseArgs({
    args,
    options: { ...flagTypes, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const raw: RawClusterOptions = {};
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new UsageError(`unexpected argument ${JSON.stringify(token.value)} for "k8ts up" (see k8ts up --help)`);
    }
    if (token.name === 'help') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      help = true;
      continue;
    }
    const key = KEY_OF_FLAG.get(token.rawName);
    if (key === undefined) throw new UsageError(`unknown flag ${token.rawName} for "k8ts up" (see k8ts up --help)`);
    if (raw[key] !== undefined) throw new UsageError(`${token.rawName} given more than once`);
    if (BOOLEAN_FLAGS.has(token.rawName)) {
      // `--anonymous` alone means true; `--anonymous=false` is checked by resolveClusterOptions
      raw[key] = token.value ?? 'true';
      continue;
    }
    // `--port --nodes 2`: parseArgs took "--nodes" as the port; that is a missing value.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageError(`${token.rawName} needs a value (see k8ts up --help)`);
    }
    raw[key] = token.value;
  }
  if (help) return { kind: 'help', topic: 'up' };
  return { kind: 'up', options: toClusterOptions(resolveClusterOptions(raw, 'cli')) };
}
