/**
 * The flag parsing the `k8ts <command>` subcommands share: only `--long` string flags
 * (each at most once, each with a value: `--flag V` or `--flag=V`) and -h/--help. Stricter
 * than node's parseArgs alone: an unknown flag, a repeated one, a single-dash spelling of
 * a long flag, or a flag whose value looks like the next flag is a UsageError naming the
 * command, so a typo never turns into a default silently.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface ParsedStringFlags {
  /** flag name (without dashes) → value */
  given: Map<string, string>;
  positionals: string[];
  help: boolean;
}

/**
 * command is how the help names it ("k8ts image"); with positionals 'reject', the first
 * positional argument is a UsageError, in the order the arguments came.
 */
export function parseStringFlags(args: readonly string[], flags: readonly string[], command: string, positionals: 'collect' | 'reject'): ParsedStringFlags {
  const { tokens } = parseArgs({
    args: [...args],
    options: { ...Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])), help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const parsed: ParsedStringFlags = { given: new Map(), positionals: [], help: false };
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (positionals === 'reject') throw new UsageError(`unexpected argument ${JSON.stringify(token.value)} for "${command}" (see ${command} --help)`);
      parsed.positionals.push(token.value);
      continue;
    }
    if (token.name === 'help') {
      parsed.help = true;
      continue;
    }
    if (!flags.includes(token.name) || token.rawName !== `--${token.name}`) {
      throw new UsageError(`unknown flag ${token.rawName} for "${command}" (see ${command} --help)`);
    }
    if (parsed.given.has(token.name)) throw new UsageError(`${token.rawName} given more than once`);
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageError(`${token.rawName} needs a value (see ${command} --help)`);
    }
    parsed.given.set(token.name, token.value);
  }
  return parsed;
}
