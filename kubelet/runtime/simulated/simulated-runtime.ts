/**
 * The simulated runtime: the whole CRI (RuntimeService + ImageService) in memory, for
 * nodes that run no processes (kwok-like scale tests, machines without runc). Sandboxes
 * get real-looking IPs from the podCIDR, containers follow their pod's sim.k8ts.io/*
 * annotations (./sim-annotations.ts) on the injected clock, and logs are written where a
 * real runtime would write them, so the kubelet and `kubectl logs` cannot tell.
 *
 * Built to be cheap at 1,000 nodes × 30 pods in one process: plain Maps keyed by id, no
 * polling, a timer only while a transition is due, no file kept open.
 *
 * Semantics worth knowing (containerd's, unless noted):
 * - Names are reserved: a second sandbox with the same name/namespace/uid/attempt, or a
 *   second container with the same name/attempt in one sandbox, is AlreadyExists.
 * - stopPodSandbox kills its containers at once (exit 137) and releases the pod IP (the
 *   status then has no IP); removePodSandbox and removeContainer are idempotent;
 *   stopPodSandbox of an unknown sandbox is NotFound.
 * - stopContainer with timeout 0 is a SIGKILL at once (137), without a SIGTERM first.
 * - Stopping a created (never started) container leaves it CREATED.
 * - After close() every call fails with Unavailable.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../../client/clock.js';
import type {
  Container,
  ContainerConfig,
  ContainerStats,
  FilesystemUsage,
  Image,
  ImageSpec,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxState,
  PodSandboxStatus,
  ProbeAction,
  ProbeContainerResponse,
  Runtime,
  VersionResponse,
  ContainerFilter,
  ContainerStatsFilter,
  PodSandboxFilter,
  ContainerStatus,
  RuntimeCondition,
  AuthConfig,
} from '../../cri/api.js';
import { CriError } from '../../cri/errors.js';
import { CONTAINER_TYPE_ANNOTATION, type ContainerType } from '../../cri/labels.js';
import { containerMatches, sandboxMatches, type FilterableContainer } from '../../cri/list-filters.js';
import { containerSummary, podSandboxStatus, podSandboxSummary, type SandboxFacts } from '../../cri/list-summaries.js';
import * as checks from '../../cri/request-checks.js';
import { copyImage, ImageStore, MISSING_IMAGE_MARKER } from './image-store.js';
import { PodIpAllocator } from './pod-ip-allocator.js';
import { readContainerLifecycle, SIM_ANNOTATION_PREFIX } from './sim-annotations.js';
import { SimulatedContainer, type ContainerEnvironment } from './simulated-container.js';
import { syntheticStats } from './synthetic-stats.js';

export const SIMULATED_RUNTIME_NAME = 'k8ts-simulated';
export const SIMULATED_RUNTIME_VERSION = '0.1.0';
/** where the simulated images and writable layers "live", for imageFsInfo and stats */
const IMAGE_FS_MOUNTPOINT = '/var/lib/k8ts/simulated';

export interface SimulatedRuntimeOptions {
  /** the node's pod CIDR, e.g. '10.244.1.0/24' */
  podCIDR: string;
  clock: Clock;
  logger?: Logger;
  nodeName?: string;
}

class SimulatedSandbox {
  state: PodSandboxState = 'SANDBOX_READY';
  readonly containers = new Map<string, SimulatedContainer>();
  /** the pod's sim.k8ts.io/* annotations only: usually none, so each container reads its lifecycle from an empty object */
  readonly simAnnotations: Record<string, string>;

  constructor(
    readonly id: string,
    readonly config: PodSandboxConfig,
    readonly runtimeHandler: string,
    readonly createdAtMs: number,
    public ip: string | undefined,
  ) {
    this.simAnnotations = {};
    for (const key in config.annotations) {
      if (key.startsWith(SIM_ANNOTATION_PREFIX)) this.simAnnotations[key] = config.annotations[key]!;
    }
  }

  isReady(): boolean {
    return this.state === 'SANDBOX_READY';
  }

  podIp(): string {
    return this.ip ?? '';
  }
}

/** 64 hex digits like containerd's ids; randomUUID draws from a cached entropy pool, so it stays cheap at 30,000 ids */
const newId = (): string => (randomUUID() + randomUUID()).replaceAll('-', '');

export class SimulatedRuntime implements Runtime {
  private readonly sandboxes = new Map<string, SimulatedSandbox>();
  private readonly containers = new Map<string, SimulatedContainer>();
  /** reserved names → id */
  private readonly sandboxNames = new Map<string, string>();
  private readonly containerNames = new Map<string, string>();
  private readonly images = new ImageStore();
  private readonly ips: PodIpAllocator;
  private readonly env: ContainerEnvironment;
  /** image pulls waiting out their pull-ms */
  private readonly pendingPulls = new Set<{ cancel: () => void; reject: (err: unknown) => void }>();
  private closed = false;

  constructor(private readonly opts: SimulatedRuntimeOptions) {
    this.ips = new PodIpAllocator(opts.podCIDR);
    this.env = { clock: opts.clock, logger: opts.logger };
  }

  // ---- runtime -----------------------------------------------------------------------------

  async version(_req: { version: string }): Promise<VersionResponse> {
    this.assertOpen();
    return { version: SIMULATED_RUNTIME_VERSION, runtimeName: SIMULATED_RUNTIME_NAME, runtimeVersion: SIMULATED_RUNTIME_VERSION, runtimeApiVersion: 'v1' };
  }

  async status(_req: { verbose: boolean }): Promise<{ status: { conditions: RuntimeCondition[] }; info: Record<string, string> }> {
    this.assertOpen();
    return {
      status: { conditions: checks.readyConditions() },
      info: { runtime: SIMULATED_RUNTIME_NAME, podCIDR: this.opts.podCIDR, ...(this.opts.nodeName ? { nodeName: this.opts.nodeName } : {}) },
    };
  }

  // ---- sandboxes ---------------------------------------------------------------------------

  async runPodSandbox(req: { config: PodSandboxConfig; runtimeHandler: string }): Promise<{ podSandboxId: string }> {
    this.assertOpen();
    const config = req.config;
    const nameKey = checks.requireNewSandbox(config, this.sandboxNames);
    const ip = this.ips.allocate();
    const id = newId();
    this.sandboxes.set(id, new SimulatedSandbox(id, config, req.runtimeHandler ?? '', this.opts.clock.now(), ip));
    this.sandboxNames.set(nameKey, id);
    this.opts.logger?.debug({ podSandboxId: id, pod: `${config.metadata.namespace}/${config.metadata.name}`, ip }, 'simulated sandbox running');
    return { podSandboxId: id };
  }

  async stopPodSandbox(req: { podSandboxId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    await this.stopSandbox(this.getSandbox(req.podSandboxId));
    return {};
  }

  async removePodSandbox(req: { podSandboxId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    const sandbox = this.sandboxes.get(req.podSandboxId);
    if (!sandbox) return {};
    await this.stopSandbox(sandbox);
    for (const container of sandbox.containers.values()) this.forgetContainer(container);
    this.sandboxes.delete(sandbox.id);
    this.sandboxNames.delete(checks.sandboxNameKey(sandbox.config));
    return {};
  }

  async podSandboxStatus(req: { podSandboxId: string; verbose: boolean }): Promise<{ status: PodSandboxStatus; info: Record<string, string> }> {
    this.assertOpen();
    const sandbox = this.getSandbox(req.podSandboxId);
    return { status: podSandboxStatus(this.sandboxFacts(sandbox), sandbox.ip || undefined), info: {} };
  }

  async listPodSandbox(req: { filter?: PodSandboxFilter }): Promise<{ items: PodSandbox[] }> {
    this.assertOpen();
    const filter = req?.filter;
    const items: PodSandbox[] = [];
    for (const sandbox of this.sandboxes.values()) {
      if (sandboxMatches({ id: sandbox.id, state: sandbox.state, labels: sandbox.config.labels }, filter)) items.push(podSandboxSummary(this.sandboxFacts(sandbox)));
    }
    return { items };
  }

  // ---- containers --------------------------------------------------------------------------

  async createContainer(req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }): Promise<{ containerId: string }> {
    this.assertOpen();
    const sandbox = this.getSandbox(req.podSandboxId);
    const config = req.config;
    checks.requireContainerCreatable(config, { id: sandbox.id, ready: sandbox.isReady() });
    const image = this.images.find(config.image?.image ?? '');
    if (!image) throw new CriError('NotFound', `failed to resolve image ${JSON.stringify(config.image?.image ?? '')}: not found`);
    const nameKey = checks.containerNameKey(sandbox.id, config);
    checks.requireNameFree('container', nameKey, this.containerNames);

    // The sandbox's own config is the authority for the pod's annotations; the copy in
    // the request is the kubelet's and should be the same.
    const sandboxConfig = sandbox.config;
    const annotations = config.annotations ?? {};
    const type = (annotations[CONTAINER_TYPE_ANNOTATION] as ContainerType | undefined) ?? 'regular';
    const meta = sandboxConfig.metadata;
    const lifecycle = readContainerLifecycle(sandbox.simAnnotations, { namespace: meta.namespace, pod: meta.name, container: config.metadata.name, type }, (message) =>
      this.opts.logger?.warn({ pod: `${meta.namespace}/${meta.name}` }, message),
    );
    const logDirectory = sandboxConfig.logDirectory || req.sandboxConfig?.logDirectory || '';
    const logPath = logDirectory && config.logPath ? join(logDirectory, config.logPath) : '';
    const stored: ContainerConfig = {
      ...config,
      metadata: { name: config.metadata.name, attempt: config.metadata.attempt ?? 0 },
      labels: { ...config.labels },
      annotations: { ...annotations },
      mounts: (config.mounts ?? []).map((m) => ({ ...m })),
    };
    const id = newId();
    const container = new SimulatedContainer(id, sandbox, stored, image.id, logPath, lifecycle, this.env);
    this.containers.set(id, container);
    sandbox.containers.set(id, container);
    this.containerNames.set(nameKey, id);
    return { containerId: id };
  }

  async startContainer(req: { containerId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    await this.getContainer(req.containerId).start();
    return {};
  }

  async stopContainer(req: { containerId: string; timeout: number }): Promise<Record<string, never>> {
    this.assertOpen();
    await this.getContainer(req.containerId).stop(req.timeout ?? 0);
    return {};
  }

  async removeContainer(req: { containerId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    const container = this.containers.get(req.containerId);
    if (!container) return {};
    await container.stop(0);
    this.forgetContainer(container);
    this.sandboxes.get(container.sandbox.id)?.containers.delete(container.id);
    return {};
  }

  async listContainers(req: { filter?: ContainerFilter }): Promise<{ containers: Container[] }> {
    this.assertOpen();
    const filter = req?.filter;
    const containers: Container[] = [];
    for (const c of this.candidateContainers(filter?.podSandboxId)) {
      if (!containerMatches(filterable(c), filter)) continue;
      containers.push(containerSummary({ id: c.id, podSandboxId: c.sandbox.id, config: c.config, imageRef: c.imageRef, state: c.state, createdAtNs: c.createdAtMs * 1e6 }));
    }
    return { containers };
  }

  async containerStatus(req: { containerId: string; verbose: boolean }): Promise<{ status: ContainerStatus; info: Record<string, string> }> {
    this.assertOpen();
    return { status: this.getContainer(req.containerId).status(), info: {} };
  }

  async updateContainerResources(req: { containerId: string; linux?: LinuxContainerResources }): Promise<Record<string, never>> {
    this.assertOpen();
    const container = this.getContainer(req.containerId);
    if (container.state === 'CONTAINER_EXITED') throw new CriError('FailedPrecondition', `container ${container.id} has exited; its resources cannot change`);
    if (req.linux) container.resources = { ...req.linux };
    return {};
  }

  async reopenContainerLog(req: { containerId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    const container = this.getContainer(req.containerId);
    if (container.state !== 'CONTAINER_RUNNING') throw new CriError('FailedPrecondition', `container ${container.id} is not running`);
    // Every write opens the file anew, so there is no descriptor to reopen; but CRI says
    // the file exists again once this returns (the kubelet serves logs from it), so make
    // it now, empty, rather than at the next write.
    await container.reopenLog();
    return {};
  }

  async execSync(_req: { containerId: string; cmd: string[]; timeout: number }): Promise<{ stdout: Uint8Array; stderr: Uint8Array; exitCode: number }> {
    this.assertOpen();
    throw new CriError('Unimplemented', 'exec is not supported by the simulated runtime');
  }

  async containerStats(req: { containerId: string }): Promise<{ stats: ContainerStats }> {
    this.assertOpen();
    return { stats: this.statsOf(this.getContainer(req.containerId)) };
  }

  async listContainerStats(req: { filter?: ContainerStatsFilter }): Promise<{ stats: ContainerStats[] }> {
    this.assertOpen();
    const filter = req?.filter;
    const stats: ContainerStats[] = [];
    for (const c of this.candidateContainers(filter?.podSandboxId)) {
      if (containerMatches(filterable(c), filter)) stats.push(this.statsOf(c));
    }
    return { stats };
  }

  async probeContainer(req: { containerId: string; probe: ProbeAction; timeoutSeconds: number }): Promise<ProbeContainerResponse> {
    this.assertOpen();
    return this.getContainer(req.containerId).probe(req.probe ?? {});
  }

  // ---- images ------------------------------------------------------------------------------

  async listImages(req: { filter?: { image?: ImageSpec } }): Promise<{ images: Image[] }> {
    this.assertOpen();
    const wanted = req?.filter?.image?.image;
    if (wanted) {
      const image = this.images.find(wanted);
      return { images: image ? [copyImage(image)] : [] };
    }
    return { images: this.images.list().map(copyImage) };
  }

  async imageStatus(req: { image: ImageSpec; verbose: boolean }): Promise<{ image?: Image; info: Record<string, string> }> {
    this.assertOpen();
    const image = this.images.find(req.image?.image ?? '');
    return image ? { image: copyImage(image), info: {} } : { info: {} };
  }

  async pullImage(req: { image: ImageSpec; auth?: AuthConfig; sandboxConfig?: PodSandboxConfig }): Promise<{ imageRef: string }> {
    this.assertOpen();
    const reference = req.image?.image?.trim() ?? '';
    if (!reference) throw new CriError('InvalidArgument', 'image name is required');
    const { image, normalized } = ImageStore.describe(req.image);
    const pullMs = Number(req.sandboxConfig?.annotations?.[`${SIM_ANNOTATION_PREFIX}pull-ms`] ?? 0);
    if (Number.isFinite(pullMs) && pullMs > 0) await this.waitForPull(pullMs);
    if (reference.includes(MISSING_IMAGE_MARKER)) {
      throw new CriError('NotFound', `failed to pull and unpack image ${JSON.stringify(normalized.canonical)}: not found`);
    }
    const existing = this.images.find(reference);
    if (existing) return { imageRef: existing.id };
    this.images.add(image);
    return { imageRef: image.id };
  }

  async removeImage(req: { image: ImageSpec }): Promise<Record<string, never>> {
    this.assertOpen();
    this.images.remove(req.image?.image ?? '');
    return {};
  }

  async imageFsInfo(_req: Record<string, never>): Promise<{ imageFilesystems: FilesystemUsage[]; containerFilesystems: FilesystemUsage[] }> {
    this.assertOpen();
    const timestamp = this.opts.clock.now() * 1e6;
    const images = this.images.list().length;
    return {
      imageFilesystems: [{ timestamp, fsId: { mountpoint: IMAGE_FS_MOUNTPOINT }, usedBytes: { value: this.images.totalBytes }, inodesUsed: { value: images * 100 } }],
      containerFilesystems: [{ timestamp, fsId: { mountpoint: IMAGE_FS_MOUNTPOINT }, usedBytes: { value: this.containers.size * 4096 }, inodesUsed: { value: this.containers.size } }],
    };
  }

  // ---- lifetime ----------------------------------------------------------------------------

  /** cancels every timer; whoever still waits on a start, stop or pull gets Unavailable */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = closedError();
    for (const container of this.containers.values()) container.abandon(err);
    for (const pull of this.pendingPulls) {
      pull.cancel();
      pull.reject(err);
    }
    this.pendingPulls.clear();
  }

  // ---- helpers -----------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }

  private getSandbox(id: string): SimulatedSandbox {
    return checks.knownSandbox(this.sandboxes, id);
  }

  private getContainer(id: string): SimulatedContainer {
    return checks.knownContainer(this.containers, id);
  }

  private candidateContainers(podSandboxId: string | undefined): Iterable<SimulatedContainer> {
    if (!podSandboxId) return this.containers.values();
    return this.sandboxes.get(podSandboxId)?.containers.values() ?? [];
  }

  /** kill every container at once, then release the IP; idempotent */
  private async stopSandbox(sandbox: SimulatedSandbox): Promise<void> {
    const stopped: Promise<void>[] = [];
    for (const container of sandbox.containers.values()) stopped.push(container.stop(0));
    sandbox.state = 'SANDBOX_NOTREADY';
    if (sandbox.ip) {
      this.ips.release(sandbox.ip);
      sandbox.ip = undefined;
    }
    await Promise.all(stopped);
  }

  private forgetContainer(container: SimulatedContainer): void {
    this.containers.delete(container.id);
    this.containerNames.delete(checks.containerNameKey(container.sandbox.id, container.config));
  }

  private sandboxFacts(sandbox: SimulatedSandbox): SandboxFacts {
    return { id: sandbox.id, config: sandbox.config, state: sandbox.state, createdAtNs: sandbox.createdAtMs * 1e6, runtimeHandler: sandbox.runtimeHandler };
  }

  private statsOf(c: SimulatedContainer): ContainerStats {
    const attributes = { id: c.id, metadata: { ...c.config.metadata }, labels: { ...c.config.labels }, annotations: { ...c.config.annotations } };
    return syntheticStats({ attributes, running: c.state === 'CONTAINER_RUNNING', ranMs: c.ranMs(), resources: c.resources }, this.opts.clock.now(), IMAGE_FS_MOUNTPOINT);
  }

  private waitForPull(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const pull = {
        reject,
        cancel: this.opts.clock.setTimer(ms, () => {
          this.pendingPulls.delete(pull);
          resolve();
        }),
      };
      this.pendingPulls.add(pull);
    });
  }
}

const closedError = (): CriError => new CriError('Unavailable', 'the simulated runtime is closed');
const filterable = (c: SimulatedContainer): FilterableContainer => ({ id: c.id, podSandboxId: c.sandbox.id, state: c.state, labels: c.config.labels });
