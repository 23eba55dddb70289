/**
 * The kubelet's node agent: everything that makes a Node exist and look alive.
 *   register  create the Node, or bring an existing one (a restarted kubelet) up to date
 *   status    every nodeStatusUpdateFrequency: read the Node, compute our part of its
 *             status (node-status.ts), and post it — a strategic merge PATCH of
 *             nodes/status — when it changed or nodeStatusReportFrequency has passed
 *   lease     every leaseRenewInterval: renew kube-node-lease/<nodeName>
 * Until registration succeeds, each status tick retries it. All timers run on the Clock;
 * each loop skips a tick while its previous run is still in flight. Failures are logged
 * and retried on the next tick; nothing is thrown out of a timer. stop() cancels the
 * timers and waits for what is in flight.
 */
import type { Logger } from 'pino';
import { isAlreadyExists, isConflict } from '../../client/api-error.js';
import type { Clock } from '../../client/clock.js';
import type { KubeClient, ResourceClient } from '../../client/types.js';
import type { KubeletSettings } from '../settings.js';
import { detectHostInfo, goArch, goOs, type HostInfo } from './host-info.js';
import { NodeLease } from './node-lease.js';
import { desiredNode, reconcileExistingNode, type NodeIdentity, type NodeObject } from './node-object.js';
import { computeNodeStatus, nodeStatusChanged, type OwnedNodeStatus } from './node-status.js';
import { checkRuntimeHealth, type RuntimeProbe } from './runtime-health.js';

export type NodeAgentLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** resource name → quantity, e.g. { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' }; cpu, memory and pods are required */
export type NodeCapacity = Record<string, string>;

export interface NodeAgentOptions {
  client: KubeClient;
  nodeName: string;
  runtime: RuntimeProbe;
  clock: Clock;
  settings: Pick<KubeletSettings, 'leaseRenewIntervalMs' | 'leaseDurationSeconds' | 'nodeStatusUpdateFrequencyMs' | 'nodeStatusReportFrequencyMs'>;
  capacity: NodeCapacity;
  podCIDR?: string;
  /** the node's InternalIP */
  address: string;
  hostname: string;
  kubeletPort: number;
  /** e.g. 'v1.33.0-k8ts' */
  kubeletVersion: string;
  /** Go's names; default from process.arch / process.platform */
  arch?: string;
  os?: string;
  /** default os.release() */
  kernelVersion?: string;
  /** default PRETTY_NAME of /etc/os-release */
  osImage?: string;
  /** default the host's (in-process kubelets may want their own) */
  machineID?: string;
  systemUUID?: string;
  bootID?: string;
  logger: NodeAgentLogger;
  extraLabels?: Record<string, string>;
}

export interface NodeAgent {
  readonly nodeName: string;
  /** the Node's uid once registered */
  readonly nodeUid: string | undefined;
  /** resolves when no registration, status post or lease renewal is in flight (for tests) */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

function validate(opts: NodeAgentOptions): void {
  const problems: string[] = [];
  if (!opts.nodeName) problems.push('nodeName must not be empty');
  if (!opts.address) problems.push('address (the InternalIP) must not be empty');
  if (!opts.hostname) problems.push('hostname must not be empty');
  if (!Number.isInteger(opts.kubeletPort) || opts.kubeletPort < 0 || opts.kubeletPort > 65535) problems.push(`kubeletPort must be a port number, got ${opts.kubeletPort}`);
  for (const r of ['cpu', 'memory', 'pods'] as const) if (!opts.capacity?.[r]) problems.push(`capacity.${r} must be set`);
  const s = opts.settings;
  for (const k of ['leaseRenewIntervalMs', 'leaseDurationSeconds', 'nodeStatusUpdateFrequencyMs', 'nodeStatusReportFrequencyMs'] as const)
    if (!(Number(s?.[k]) > 0)) problems.push(`settings.${k} must be positive, got ${s?.[k]}`);
  if (problems.length) throw new Error(`node agent: ${problems.join('; ')}`);
}

export async function startNodeAgent(opts: NodeAgentOptions): Promise<NodeAgent> {
  validate(opts);
  const host = await detectHostInfo({
    architecture: opts.arch ?? goArch(),
    operatingSystem: opts.os ?? goOs(),
    ...(opts.kernelVersion ? { kernelVersion: opts.kernelVersion } : {}),
    ...(opts.osImage ? { osImage: opts.osImage } : {}),
    ...(opts.machineID ? { machineID: opts.machineID } : {}),
    ...(opts.systemUUID ? { systemUUID: opts.systemUUID } : {}),
    ...(opts.bootID ? { bootID: opts.bootID } : {}),
  });
  const agent = new NodeAgentImpl(opts, host);
  await agent.start();
  return agent;
}

class NodeAgentImpl implements NodeAgent {
  readonly nodeName: string;
  nodeUid: string | undefined;
  private readonly nodes: ResourceClient<NodeObject>;
  private readonly lease: NodeLease;
  private readonly log: NodeAgentLogger;
  private readonly identity: NodeIdentity;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Map<string, () => void>();
  private readonly busy = new Set<string>();
  private readonly abort = new AbortController();
  private lastPostedAt = -Infinity;
  private lastRuntimeVersion = '';
  private stopped = false;

  constructor(
    private readonly opts: NodeAgentOptions,
    private readonly host: HostInfo,
  ) {
    this.nodeName = opts.nodeName;
    this.nodes = opts.client.resource<NodeObject>('v1', 'Node');
    this.lease = new NodeLease(opts.client, opts.nodeName, opts.settings.leaseDurationSeconds);
    this.log = opts.logger;
    this.identity = { nodeName: opts.nodeName, operatingSystem: host.operatingSystem, architecture: host.architecture, podCIDR: opts.podCIDR, extraLabels: opts.extraLabels };
  }

  /** the first registration runs now; if it fails, the status loop keeps retrying it */
  async start(): Promise<void> {
    await this.runExclusive('status', () => this.syncStatus());
    this.every(this.opts.settings.nodeStatusUpdateFrequencyMs, 'status', () => this.syncStatus());
    this.every(this.opts.settings.leaseRenewIntervalMs, 'lease', () => this.renewLease());
  }

  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.abort.abort(new Error('node agent stopped'));
    await this.settled();
  }

  /** run `fn` every `ms` on the Clock */
  private every(ms: number, name: string, fn: () => Promise<void>): void {
    const tick = () => {
      if (this.stopped) return;
      this.timers.set(name, this.opts.clock.setTimer(ms, tick));
      void this.runExclusive(name, fn);
    };
    this.timers.set(name, this.opts.clock.setTimer(ms, tick));
  }

  /** run one loop body unless the previous run of `name` is still busy; errors are logged here so nothing escapes a timer */
  private runExclusive(name: string, fn: () => Promise<void>): Promise<void> {
    if (this.busy.has(name)) return Promise.resolve();
    this.busy.add(name);
    const run = (async () => {
      try {
        await fn();
      } catch (err) {
        if (!this.stopped) this.log.warn({ err, node: this.nodeName, loop: name }, `node ${name} sync failed; retrying on the next tick`);
      } finally {
        this.busy.delete(name);
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async computeStatus(current: NodeObject | undefined): Promise<OwnedNodeStatus> {
    const health = await checkRuntimeHealth(this.opts.runtime);
    if (health.containerRuntimeVersion) this.lastRuntimeVersion = health.containerRuntimeVersion;
    return computeNodeStatus({
      current: current?.status,
      capacity: Object.fromEntries(Object.entries(this.opts.capacity).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')),
      address: this.opts.address,
      hostname: this.opts.hostname,
      kubeletPort: this.opts.kubeletPort,
      host: this.host,
      containerRuntimeVersion: this.lastRuntimeVersion,
      kubeletVersion: this.opts.kubeletVersion,
      notReadyErrors: health.errors,
      now: this.opts.clock.now(),
    });
  }

  private async syncStatus(): Promise<void> {
    if (!this.nodeUid) {
      await this.register();
      return;
    }
    const signal = this.abort.signal;
    const current = await this.nodes.get(this.nodeName, { signal });
    if (current.metadata.uid && current.metadata.uid !== this.nodeUid) {
      this.log.info({ node: this.nodeName }, 'the Node was re-created; adopting its new uid');
      this.nodeUid = current.metadata.uid;
    }
    const next = await this.computeStatus(current);
    const reportDue = this.opts.clock.now() - this.lastPostedAt >= this.opts.settings.nodeStatusReportFrequencyMs;
    if (!reportDue && !nodeStatusChanged(current.status, next)) return;
    await this.postStatus(next);
  }

  private async postStatus(status: OwnedNodeStatus): Promise<void> {
    await this.nodes.patch(this.nodeName, 'strategic', { status }, { subresource: 'status', signal: this.abort.signal });
    this.lastPostedAt = this.opts.clock.now();
  }

  /** create the Node, or update the existing one; then post status and renew the lease at once */
  private async register(): Promise<void> {
    const signal = this.abort.signal;
    const status = await this.computeStatus(undefined);
    let node: NodeObject;
    try {
      node = await this.nodes.create(desiredNode(this.identity, status), { signal });
      this.log.info({ node: this.nodeName }, 'registered the node');
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await this.updateExisting(signal);
      this.log.info({ node: this.nodeName }, 'the node was already registered; updated it');
    }
    this.nodeUid = node.metadata.uid;
    const next = await this.computeStatus(node);
    await this.postStatus(next);
    await this.runExclusive('lease', () => this.renewLease());
  }

  private async updateExisting(signal: AbortSignal): Promise<NodeObject> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.nodes.get(this.nodeName, { signal });
      const { updated, podCIDRConflict } = reconcileExistingNode(existing, this.identity);
      if (podCIDRConflict) this.log.warn({ node: this.nodeName }, podCIDRConflict);
      if (!updated) return existing;
      try {
        return await this.nodes.update(updated, { signal });
      } catch (err) {
        if (!isConflict(err) || attempt >= 4) throw err;
      }
    }
  }

  private async renewLease(): Promise<void> {
    if (!this.nodeUid) return; // the lease is owned by the Node: register first
    await this.lease.renew(this.opts.clock.now(), { uid: this.nodeUid }, this.abort.signal);
  }
}
