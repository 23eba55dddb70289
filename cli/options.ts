/**
 * The options of a cluster, validated in ONE place for both `k8ts up` (strings from argv)
 * and `startCluster()` (typed values from code). Every problem is a UsageError whose
 * message is one line naming the flag (or option) and the bad value, so the CLI can
 * print `k8ts: <message>` without a stack trace.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../client/clock.js';
import type { RuncRuntimeSettings } from '../kubelet/runtime/runc/settings.js';
import type { KubeletSettings } from '../kubelet/settings.js';
import type { ControllerSettings } from './start-controllers.js';
import type { SchedulerSettings } from './start-scheduler.js';
import { parseNodeCapacity, type NodeCapacity } from './node-capacity.js';
import { cidrsOverlap, parseIpv4Cidr, subnetCount, type Ipv4Cidr } from './cidr.js';
import { UsageError } from './errors.js';

export { UsageError };

export const RUNTIMES = ['auto', 'runc', 'simulated'] as const;
export const STORE_BACKENDS = ['level', 'memory'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type RuntimeChoice = (typeof RUNTIMES)[number];
export type StoreBackend = (typeof STORE_BACKENDS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A pod CIDR is cut into one /24 per node (as kube-controller-manager's node IPAM does). */
export const NODE_POD_CIDR_PREFIX = 24;

/** What startCluster() accepts; every field mirrors a `k8ts up` flag and is optional. */
export interface ClusterOptions {
  /** --data-dir (default ./.k8ts, resolved against the current directory) */
  dataDir?: string;
  /** --port (default 6443; 0 = any free port) */
  port?: number;
  /** --address (default 127.0.0.1) */
  address?: string;
  /** --nodes (default 1; 0 = control plane only) */
  nodes?: number;
  /** --runtime (default auto) */
  runtime?: RuntimeChoice;
  /** --store (default level) */
  store?: StoreBackend;
  /** --pod-cidr (default 10.244.0.0/16) */
  podCIDR?: string;
  /** --service-cidr (default 10.96.0.0/12) */
  serviceCIDR?: string;
  /** --log-level (default info); ignored when `logger` is given */
  logLevel?: LogLevel;
  /** --token-auth-file: kube's static token CSV (token,user,uid,"group1,group2"); '' = none (default) */
  tokenAuthFile?: string;
  /** --anonymous: requests without credentials run as system:anonymous instead of getting 401 (default false) */
  anonymous?: boolean;
  /** --node-capacity: what each simulated node offers (default cpu=4,memory=8Gi,pods=110) */
  nodeCapacity?: string;
  /** --scheduler-config: a KubeSchedulerConfiguration file (kubescheduler.config.k8s.io/v1); '' = kube's defaults (default) */
  schedulerConfig?: string;
  /** embedders: log through this pino logger instead of creating one */
  logger?: Logger;
  /** embedders and tests: kubelet timings (heartbeats, backoffs, log rotation) instead of kube's defaults */
  kubelet?: Partial<KubeletSettings>;
  /** embedders and tests: the runc runtime's timings and limits */
  runc?: Partial<RuncRuntimeSettings>;
  /** embedders and tests: the clock kubelets run on (default the real one) */
  clock?: Clock;
  /** tests: keep at least this much store history before compacting (default 5 minutes), to provoke 410 Gone */
  storeCompactionWindowMs?: number;
  /** embedders and tests: scheduler timings (backoffs, percentageOfNodesToScore, tie-breaking); false = no scheduler */
  scheduler?: SchedulerSettings | false;
  /** embedders and tests: controller timings; false = no controllers */
  controllers?: ControllerSettings | false;
}

/** Options only code can pass (objects, not flags); DEFAULTS and FLAGS leave them out. */
export type EmbedderOnlyOption = 'logger' | 'kubelet' | 'runc' | 'clock' | 'storeCompactionWindowMs' | 'scheduler' | 'controllers';

export interface ResolvedClusterOptions {
  dataDir: string;
  port: number;
  address: string;
  nodes: number;
  runtime: RuntimeChoice;
  store: StoreBackend;
  podCIDR: Ipv4Cidr;
  serviceCIDR: Ipv4Cidr;
  logLevel: LogLevel;
  /** absolute path, or '' for none */
  tokenAuthFile: string;
  anonymous: boolean;
  nodeCapacity: NodeCapacity;
  /** absolute path, or '' for kube's defaults; its contents are read and checked at startup */
  schedulerConfig: string;
}

export const DEFAULTS = {
  dataDir: './.k8ts',
  port: 6443,
  address: '127.0.0.1',
  nodes: 1,
  runtime: 'auto',
  store: 'level',
  podCIDR: '10.244.0.0/16',
  serviceCIDR: '10.96.0.0/12',
  logLevel: 'info',
  tokenAuthFile: '',
  anonymous: false,
  nodeCapacity: 'cpu=4,memory=8Gi,pods=110',
  schedulerConfig: '',
} as const satisfies Required<Omit<ClusterOptions, EmbedderOnlyOption>>;


type Key = keyof typeof DEFAULTS;

/** Options before validation: argv strings, or whatever a JavaScript caller passed. */
export type RawClusterOptions = { [K in Key]?: unknown };

/** The CLI flag of each option; the CLI parser and the error messages both use it. */
export const FLAGS: Record<Key, string> = {
  dataDir: '--data-dir',
  port: '--port',
  address: '--address',
  nodes: '--nodes',
  runtime: '--runtime',
  store: '--store',
  podCIDR: '--pod-cidr',
  serviceCIDR: '--service-cidr',
  logLevel: '--log-level',
  tokenAuthFile: '--token-auth-file',
  anonymous: '--anonymous',
  nodeCapacity: '--node-capacity',
  schedulerConfig: '--scheduler-config',
};

/** Flags that take no value (`--anonymous`; `--anonymous=false` also works). */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([FLAGS.anonymous]);

/** Messages name the flag for CLI users and the option for API users. */
export type Source = 'cli' | 'api';
const label = (key: Key, source: Source) => (source === 'cli' ? FLAGS[key] : key);
const shown = (raw: unknown) => (typeof raw === 'string' ? JSON.stringify(raw) : String(raw));

/** Non-negative integers arrive as digit strings from argv and as numbers from code. */
function toInt(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw === 'string' && /^[0-9]{1,9}$/.test(raw)) return Number(raw);
  return undefined;
}

/** true/false from code, "true"/"false" from argv. */
function toBool(key: Key, source: Source, raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new UsageError(`${label(key, source)} must be true or false, got ${shown(raw)}`);
}

function oneOf<T extends string>(key: Key, source: Source, raw: unknown, allowed: readonly T[]): T {
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`${label(key, source)} must be one of ${allowed.join('|')}, got ${shown(raw)}`);
}

function cidr(key: Key, source: Source, raw: unknown, rule: string, ok: (c: Ipv4Cidr) => boolean): Ipv4Cidr {
  const name = label(key, source);
  const parsed = typeof raw === 'string' ? parseIpv4Cidr(raw) : undefined;
  if (parsed?.ok === false && parsed.reason === 'host-bits') {
    throw new UsageError(`${name} ${shown(raw)} has host bits set (did you mean ${parsed.suggestion}?)`);
  }
  if (!parsed?.ok || !ok(parsed.cidr)) throw new UsageError(`${name} must be ${rule}, got ${shown(raw)}`);
  return parsed.cidr;
}

/**
 * Fill in defaults and validate. `source` only changes how names appear in messages.
 * Cross-field rules (room for the nodes, CIDRs not overlapping) are checked last.
 */
export function resolveClusterOptions(options: RawClusterOptions, source: Source = 'api'): ResolvedClusterOptions {
  const get = <K extends Key>(key: K): unknown => options[key] ?? DEFAULTS[key];

  const dataDirRaw = get('dataDir');
  if (typeof dataDirRaw !== 'string' || dataDirRaw.trim() === '') {
    throw new UsageError(`${label('dataDir', source)} must be a directory path, got ${shown(dataDirRaw)}`);
  }

  const port = toInt(get('port'));
  if (port === undefined || port > 65535) {
    throw new UsageError(`${label('port', source)} must be an integer 0-65535, got ${shown(get('port'))}`);
  }

  const address = get('address');
  if (typeof address !== 'string' || isIP(address) === 0) {
    throw new UsageError(`${label('address', source)} must be an IP address to listen on, got ${shown(address)}`);
  }

  const nodes = toInt(get('nodes'));
  if (nodes === undefined) {
    throw new UsageError(`${label('nodes', source)} must be a non-negative integer, got ${shown(get('nodes'))}`);
  }

  const runtime = oneOf('runtime', source, get('runtime'), RUNTIMES);
  const store = oneOf('store', source, get('store'), STORE_BACKENDS);
  const logLevel = oneOf('logLevel', source, get('logLevel'), LOG_LEVELS);

  const podCIDR = cidr('podCIDR', source, get('podCIDR'), 'an IPv4 CIDR of /24 or larger (one /24 per node)', (c) => c.prefix <= NODE_POD_CIDR_PREFIX);
  // kube-apiserver refuses service ranges larger than /12; /28 still leaves room for
  // the kubernetes service (.1) and cluster DNS (.10).
  const serviceCIDR = cidr('serviceCIDR', source, get('serviceCIDR'), 'an IPv4 CIDR from /12 to /28', (c) => c.prefix >= 12 && c.prefix <= 28);

  const tokenAuthFile = get('tokenAuthFile');
  if (typeof tokenAuthFile !== 'string') {
    throw new UsageError(`${label('tokenAuthFile', source)} must be a file path, got ${shown(tokenAuthFile)}`);
  }
  const anonymous = toBool('anonymous', source, get('anonymous'));
  const capacityRaw = get('nodeCapacity');
  const nodeCapacity = typeof capacityRaw === 'string' ? parseNodeCapacity(capacityRaw) : `expected text like ${DEFAULTS.nodeCapacity}`;
  if (typeof nodeCapacity === 'string') throw new UsageError(`${label('nodeCapacity', source)}: ${nodeCapacity}`);
  const schedulerConfig = get('schedulerConfig');
  if (typeof schedulerConfig !== 'string') {
    throw new UsageError(`${label('schedulerConfig', source)} must be a file path, got ${shown(schedulerConfig)}`);
  }

  const room = subnetCount(podCIDR, NODE_POD_CIDR_PREFIX);
  if (nodes > room) {
    throw new UsageError(
      `${label('podCIDR', source)} ${podCIDR.text} has room for ${room} nodes (one /24 each), but ${label('nodes', source)} is ${nodes}`,
    );
  }
  if (cidrsOverlap(podCIDR, serviceCIDR)) {
    throw new UsageError(`${label('podCIDR', source)} ${podCIDR.text} overlaps ${label('serviceCIDR', source)} ${serviceCIDR.text}`);
  }

  return {
    dataDir: resolve(dataDirRaw),
    port,
    address,
    nodes,
    runtime,
    store,
    podCIDR,
    serviceCIDR,
    logLevel,
    tokenAuthFile: tokenAuthFile === '' ? '' : resolve(tokenAuthFile),
    anonymous,
    nodeCapacity,
    schedulerConfig: schedulerConfig === '' ? '' : resolve(schedulerConfig),
  };
}

/** Back from resolved to plain options (what `k8ts up` hands to startCluster). */
export function toClusterOptions(r: ResolvedClusterOptions): Required<Omit<ClusterOptions, EmbedderOnlyOption>> {
  const nodeCapacity = Object.entries(r.nodeCapacity)
    .map(([name, quantity]) => `${name}=${quantity}`)
    .join(',');
  return { ...r, podCIDR: r.podCIDR.text, serviceCIDR: r.serviceCIDR.text, nodeCapacity };
}
