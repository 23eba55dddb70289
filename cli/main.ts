#!/usr/bin/env node
/**
 * The `k8ts` command. Parses argv, runs `up` in the foreground, and owns everything
 * process-wide that startCluster() must not: signal handlers, exit codes, and turning
 * user-fixable errors into one line on stderr (exit 2 for usage, 1 for startup).
 */
import { k8tsVersion } from '../apiserver/version.js';
import { parseCommandLine } from './args.js';
import { StartupError, UsageError } from './errors.js';
import { MAIN_HELP, UP_HELP } from './help.js';
import type { ClusterOptions } from './options.js';

function fail(err: unknown): never {
  if (err instanceof UsageError || err instanceof StartupError) {
    process.stderr.write(`k8ts: ${err.message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
  // not the user's fault: keep the stack
  process.stderr.write(`k8ts: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}

async function up(options: ClusterOptions): Promise<void> {
  // loaded only for `up`: Fastify, the store and pino cost a noticeable part of a second
  const [{ startCluster }, { createLogger }] = await Promise.all([import('./start-cluster.js'), import('./logger.js')]);
  const log = createLogger(options.logLevel ?? 'info');
  let stopRequested: NodeJS.Signals | undefined;
  let stop: (() => Promise<void>) | undefined;

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) {
      log.warn(`${signal} again: exiting without a clean shutdown`);
      process.exit(130);
    }
    stopRequested = signal;
    log.info(`${signal} received, shutting down (send it again to exit at once)`);
    if (stop) void shutdown(stop);
    // else: startup is still running; shut down as soon as it finishes
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const cluster = await startCluster({ ...options, logger: log });
  stop = cluster.stop;
  if (stopRequested) await shutdown(stop);
}

async function shutdown(stop: () => Promise<void>): Promise<never> {
  try {
    await stop();
  } catch (err) {
    fail(err);
  }
  process.exit(0);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'runtime') {
    // its own flags and help (cli/runtime-command.ts); loaded only when asked for
    const { runRuntimeCommand } = await import('./runtime-command.js');
    return runRuntimeCommand(argv.slice(1));
  }
  if (argv[0] === 'image') {
    // its own flags and help (cli/image-command.ts); loaded only when asked for
    const { runImageCommand } = await import('./image-command.js');
    return runImageCommand(argv.slice(1));
  }
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(command.topic === 'up' ? UP_HELP : MAIN_HELP);
      return;
    case 'version':
      process.stdout.write(`k8ts ${k8tsVersion()}\n`);
      return;
    case 'up':
      return up(command.options);
  }
}

main(process.argv.slice(2)).catch(fail);
