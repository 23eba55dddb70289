/**
 * `k8ts runtime --socket PATH`: serve a container runtime over the CRI-style unix socket
 * (kubelet/cri/socket-server.ts), the way containerd serves its CRI socket, so a kubelet
 * in another process — or on another k8ts build — can drive it with connectRuntime().
 *
 * Serves the simulated runtime or the runc runtime (root, runc, conmon and the CNI plugins;
 * its host resources are named by --node-name and the data dir's cluster id). The runtime
 * runs until SIGINT or SIGTERM, then the socket is closed and removed, and the runc
 * runtime removes every container, mount, netns and cgroup it made.
 */
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Runtime } from '../kubelet/cri/api.js';
import { StartupError, UsageError } from './errors.js';
import { DEFAULTS, LOG_LEVELS, type LogLevel } from './options.js';
import { resolveRuntime } from './runtime.js';
import { parseStringFlags } from './string-flags.js';

export const RUNTIME_CHOICES = ['simulated', 'runc'] as const;
export type ServedRuntime = (typeof RUNTIME_CHOICES)[number];

/** a /24 like the one `k8ts up` gives its first node */
export const DEFAULT_RUNTIME_POD_CIDR = '10.244.1.0/24';
export const DEFAULT_RUNTIME_NODE_NAME = 'k8ts-runtime';

export const RUNTIME_HELP = `Usage: k8ts runtime --socket PATH [flags]

Serves a container runtime on a unix socket (mode 0600) until SIGINT or SIGTERM; a
kubelet reaches it with the CRI-style RuntimeService and ImageService over that socket.
A stale socket file is replaced; one a live runtime serves on is not.

Flags:
  --socket PATH         the unix socket to serve on (required)
  --runtime R           ${RUNTIME_CHOICES.join('|')} (default simulated)
  --data-dir DIR        the runtime's state directory (default ${DEFAULTS.dataDir}; runc keeps
                        DIR/nodes/NODE/runtime and images in DIR/images; simulated keeps nothing)
  --node-name NAME      the node this runtime serves (default ${DEFAULT_RUNTIME_NODE_NAME}); names runc's host resources
  --pod-cidr CIDR       IPv4 range pod IPs come from (default ${DEFAULT_RUNTIME_POD_CIDR})
  --log-level L         ${LOG_LEVELS.join('|')} (default ${DEFAULTS.logLevel})
  -h, --help            show this help
`;

export interface RuntimeCommandOptions {
  socket: string;
  runtime: ServedRuntime;
  dataDir: string;
  podCIDR: string;
  logLevel: LogLevel;
  /** runc: names the host resources (with the data dir's cluster id) */
  nodeName?: string;
}

export type RuntimeCommand = { kind: 'help' } | { kind: 'serve'; options: RuntimeCommandOptions };

const STRING_FLAGS = ['socket', 'runtime', 'data-dir', 'pod-cidr', 'log-level', 'node-name'] as const;

export function parseRuntimeCommand(args: readonly string[]): RuntimeCommand {
  const { given, help } = parseStringFlags(args, STRING_FLAGS, 'k8ts runtime', 'reject');
  if (help) return { kind: 'help' };

  const socket = given.get('socket');
  if (socket === undefined || socket.trim() === '') throw new UsageError('k8ts runtime needs --socket PATH (see k8ts runtime --help)');
  const runtime = given.get('runtime') ?? 'simulated';
  if (!(RUNTIME_CHOICES as readonly string[]).includes(runtime)) throw new UsageError(`--runtime must be one of ${RUNTIME_CHOICES.join(', ')}, got ${JSON.stringify(runtime)}`);
  const logLevel = given.get('log-level') ?? DEFAULTS.logLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  const dataDir = given.get('data-dir') ?? DEFAULTS.dataDir;
  if (dataDir.trim() === '') throw new UsageError('--data-dir must be a directory path');
  return {
    kind: 'serve',
    options: {
      socket,
      runtime: runtime as ServedRuntime,
      dataDir,
      podCIDR: given.get('pod-cidr') ?? DEFAULT_RUNTIME_POD_CIDR,
      logLevel: logLevel as LogLevel,
      ...(given.has('node-name') ? { nodeName: given.get('node-name')! } : {}),
    },
  };
}

export interface ServingRuntime {
  socketPath: string;
  /** closes the socket, then the runtime */
  stop(): Promise<void>;
}

/** build the chosen runtime and serve it; everything but signals, so tests can drive it */
export async function startRuntimeService(options: RuntimeCommandOptions, logger?: Logger): Promise<ServingRuntime> {
  // loaded here, not at the top: `k8ts up` and `--help` need none of it
  const [{ createSimulatedRuntime }, { serveRuntime }] = await Promise.all([import('../kubelet/runtime/simulated/index.js'), import('../kubelet/cri/socket-server.js')]);
  let runtime: Runtime;
  if (options.runtime === 'runc') {
    runtime = await startRuncRuntime(options, logger);
  } else {
    try {
      runtime = createSimulatedRuntime({ podCIDR: options.podCIDR, logger });
    } catch (err) {
      throw new UsageError(`--pod-cidr ${JSON.stringify(options.podCIDR)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  let server;
  try {
    server = await serveRuntime(runtime, options.socket, {
      onConnectionError: (err) => logger?.warn({ err }, 'dropped a runtime client connection'),
    });
  } catch (err) {
    await runtime.close();
    throw new StartupError(`cannot serve on ${options.socket}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  logger?.info({ socket: options.socket, runtime: options.runtime, podCIDR: options.podCIDR }, 'runtime serving');
  return {
    socketPath: server.socketPath,
    stop: async () => {
      await server.close();
      await runtime.close();
    },
  };
}

/** `k8ts runtime …` in the foreground: serve until SIGINT/SIGTERM, then exit 0 */
export async function runRuntimeCommand(args: readonly string[]): Promise<void> {
  const command = parseRuntimeCommand(args);
  if (command.kind === 'help') {
    process.stdout.write(RUNTIME_HELP);
    return;
  }
  const { createLogger } = await import('./logger.js');
  const log = createLogger(command.options.logLevel);
  let stopRequested = false;
  let serving: ServingRuntime | undefined;
  const shutdown = async (service: ServingRuntime) => {
    try {
      await service.stop();
    } catch (err) {
      log.error({ err }, 'runtime did not stop cleanly');
      process.exit(1);
    }
    process.exit(0);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    log.info(`${signal} received, closing the runtime socket (send it again to exit at once)`);
    if (serving) void shutdown(serving);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  serving = await startRuntimeService(command.options, log);
  if (stopRequested) await shutdown(serving);
}

/** the runc runtime for one node, its state under the data dir, named by the data dir's cluster id */
async function startRuncRuntime(options: RuntimeCommandOptions, logger?: Logger): Promise<Runtime> {
  const problem = resolveRuntime('runc').warning;
  if (problem) throw new StartupError(`--runtime runc: ${problem}`);
  const [{ createRuncRuntime }, { imageStoreDir }, { loadOrCreateClusterId }, { pino }] = await Promise.all([
    import('../kubelet/runtime/runc/index.js'),
    import('../kubelet/images/image-names.js'),
    import('./cluster-id.js'),
    import('pino'),
  ]);
  const dataDir = resolve(options.dataDir);
  const nodeName = options.nodeName ?? DEFAULT_RUNTIME_NODE_NAME;
  try {
    return await createRuncRuntime({
      clusterId: await loadOrCreateClusterId(dataDir),
      nodeName,
      stateDir: join(dataDir, 'nodes', nodeName, 'runtime'),
      imageDir: imageStoreDir(dataDir),
      podCIDR: options.podCIDR,
      logger: logger ?? pino({ level: 'silent' }),
    });
  } catch (err) {
    throw new StartupError(`--runtime runc: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
