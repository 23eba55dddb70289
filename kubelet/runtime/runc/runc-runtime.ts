/**
 * The runc runtime: the CRI (kubelet/cri/api.ts) over real Linux containers.
 *
 * - A sandbox is a pinned network namespace (no pause container) wired by the standard CNI
 *   plugins, a directory with the pod's hosts/resolv.conf/hostname, and a cgroup parent.
 * - A container is an OCI bundle whose rootfs is an overlay mount over the image's
 *   per-layer snapshots, created by runc under conmon (exit code, OOM marker, CRI-format
 *   log), inside the pod's netns and under the pod's cgroup.
 * - Images come from the node's ImageService (kubelet/images/image-service.ts).
 *
 * State lives in memory and in a record file per object (./records.ts). Every host resource
 * carries this runtime's tag (./host-names.ts). On start the runtime removes whatever a
 * previous run of the same node left behind (the kubelet then recreates the pods, as after
 * a node reboot); on close() it removes everything it made, so nothing outlives a cluster.
 *
 * Semantics follow containerd's CRI plugin where the kubelet can tell: 64-hex ids, names
 * reserved per sandbox attempt, NotFound for unknown ids, idempotent stop/remove, reasons
 * Completed / Error / OOMKilled, stopping a created container leaves it created.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../../client/clock.js';
import type {
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatsFilter,
  ContainerStatus,
  FilesystemUsage,
  Image,
  ImageSpec,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  ProbeAction,
  ProbeContainerResponse,
  Runtime,
  RuntimeCondition,
  VersionResponse,
} from '../../cri/api.js';
import { CriError, isCriError } from '../../cri/errors.js';
import { containerMatches, sandboxMatches, type FilterableContainer } from '../../cri/list-filters.js';
import { containerSummary, podSandboxStatus, podSandboxSummary } from '../../cri/list-summaries.js';
import * as checks from '../../cri/request-checks.js';
import type { NodeImageService } from '../../images/image-service.js';
import type { CgroupDriver } from './cgroups/cgroup-driver.js';
import { httpProbe, tcpProbe } from './host-probes.js';
import type { HostNames } from './host-names.js';
import { createNetns, createPinnedIpc, removeNetns } from './network/netns.js';
import { writePodFiles } from './network/pod-files.js';
import type { PodNetwork } from './network/pod-network.js';
import { buildOciSpec } from './oci/build-oci-spec.js';
import { resolveUser } from './oci/resolve-user.js';
import { readExitCode, reopenLog, resolveExecutable, startContainerUnderConmon, wasOomKilled } from './process/conmon.js';
import type { RuncCli } from './process/runc-cli.js';
import { saveRecord, type ContainerRecord, type SandboxRecord } from './records.js';
import { mountOverlay, unmount } from './rootfs/overlay.js';
import type { RuncRuntimeSettings } from './settings.js';
import { RuncStreaming } from './streaming/runc-streaming.js';
import type { RuncStreamingSettings } from './streaming/streaming-settings.js';

export const RUNC_RUNTIME_NAME = 'k8ts-runc';
export const RUNC_RUNTIME_VERSION = '0.1.0';

export interface RuncRuntimeDeps {
  names: HostNames;
  images: NodeImageService;
  network: PodNetwork;
  runc: RuncCli;
  cgroups: CgroupDriver;
  conmonPath: string;
  runcPath: string;
  seccompAvailable: boolean;
  lastCapability: number;
  /** RLIMIT_NOFILE for containers (capped at our own hard limit) */
  nofileLimit: number;
  /** memory+swap limits can be set (v1 memory.memsw) */
  swapControllerAvailable: boolean;
  settings: RuncRuntimeSettings;
  clock: Clock;
  logger: Logger;
  /** what `version` reports as the runtime's version (runc's) */
  runcVersion: string;
  /** removes every host resource of this runtime (used by close) */
  cleanupHost: () => Promise<void>;
  /** exec/attach/port-forward timings (defaults in streaming/streaming-settings.ts) */
  streamingSettings?: Partial<RuncStreamingSettings>;
}

const newId = (): string => randomBytes(32).toString('hex');

export class RuncRuntime implements Runtime {
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly sandboxNames = new Map<string, string>();
  private readonly containerNames = new Map<string, string>();
  /** one operation at a time per object id (a stop racing a remove must not double-unmount) */
  private readonly locks = new Map<string, Promise<unknown>>();
  private closed = false;
  /** exec, attach and port-forward (./streaming/), over a narrow view of this runtime's records */
  readonly streaming: RuncStreaming;

  constructor(private readonly deps: RuncRuntimeDeps) {
    this.streaming = new RuncStreaming(
      {
        runcPath: () => resolveExecutable(deps.runcPath),
        runcRoot: deps.names.runcRoot,
        socketsDir: deps.names.socketsDir,
        clock: deps.clock,
        runningContainer: async (id) => {
          const c = this.container(id);
          await this.refresh(c);
          if (c.state !== 'CONTAINER_RUNNING') throw new CriError('FailedPrecondition', `container ${c.id} is not running`);
          return { id: c.id, bundle: c.bundle, stdin: c.config.stdin ?? false, tty: c.config.tty ?? false };
        },
        exitCodeOf: async (id) => {
          const c = this.containers.get(id);
          if (!c) return undefined;
          await this.refresh(c);
          return c.state === 'CONTAINER_EXITED' ? c.exitCode : undefined;
        },
        sandboxAddress: async (id) => {
          const s = this.sandbox(id);
          if (s.state !== 'SANDBOX_READY') throw new CriError('FailedPrecondition', `sandbox ${s.id} is not ready`);
          if (!s.netnsPath) return '127.0.0.1';
          if (!s.ip) throw new CriError('FailedPrecondition', `sandbox ${s.id} has no pod IP`);
          return s.ip;
        },
      },
      deps.streamingSettings,
    );
  }

  // ---- runtime -----------------------------------------------------------------------------

  async version(_req: { version: string }): Promise<VersionResponse> {
    this.assertOpen();
    return { version: RUNC_RUNTIME_VERSION, runtimeName: RUNC_RUNTIME_NAME, runtimeVersion: this.deps.runcVersion, runtimeApiVersion: 'v1' };
  }

  async status(_req: { verbose: boolean }): Promise<{ status: { conditions: RuntimeCondition[] }; info: Record<string, string> }> {
    this.assertOpen();
    return {
      status: { conditions: checks.readyConditions() },
      info: { runtime: RUNC_RUNTIME_NAME, cgroups: this.deps.cgroups.mode, tag: this.deps.names.tag, seccomp: String(this.deps.seccompAvailable) },
    };
  }

  // ---- sandboxes ---------------------------------------------------------------------------

  async runPodSandbox(req: { config: PodSandboxConfig; runtimeHandler: string }): Promise<{ podSandboxId: string }> {
    this.assertOpen();
    const config = req.config;
    const nameKey = checks.requireNewSandbox(config, this.sandboxNames);
    const id = newId();
    this.sandboxNames.set(nameKey, id);
    const namespaces = config.linux?.securityContext?.namespaceOptions;
    const hostNetwork = namespaces?.network === 'NODE';
    const hostIpc = namespaces?.ipc === 'NODE';
    const record: SandboxRecord = {
      id,
      config,
      runtimeHandler: req.runtimeHandler ?? '',
      createdAtNs: this.nowNs(),
      state: 'SANDBOX_READY',
      dir: join(this.deps.names.sandboxesDir, id),
      cgroupParent: `${this.deps.names.cgroupParent}/pod${config.metadata.uid}`,
      ...(hostNetwork ? {} : { netnsPath: join(this.deps.names.netnsDir, id) }),
      ...(hostIpc ? {} : { ipcPath: join(this.deps.names.netnsDir, `${id}.ipc`) }),
      ...(hostNetwork ? {} : { utsPath: join(this.deps.names.netnsDir, `${id}.uts`) }),
    };
    this.sandboxes.set(id, record);
    try {
      await saveRecord(record.dir, record);
      await mkdir(this.deps.names.netnsDir, { recursive: true });
      if (record.netnsPath) {
        await createNetns(record.netnsPath, {
          ...(record.ipcPath ? { ipcPath: record.ipcPath } : {}),
          ...(record.utsPath ? { uts: { path: record.utsPath, hostname: config.hostname || config.metadata.name } } : {}),
        });
        const { ip } = await this.deps.network.setUp(id, record.netnsPath, config.portMappings ?? []);
        record.ip = ip;
      } else if (record.ipcPath) {
        await createPinnedIpc(record.ipcPath);
      }
      await writePodFiles(record.dir, {
        hostname: config.hostname || config.metadata.name,
        podIP: record.ip ?? '',
        ...(config.dnsConfig ? { dnsConfig: config.dnsConfig } : {}),
        hostNetwork,
      });
      await saveRecord(record.dir, record);
    } catch (err) {
      this.deps.logger.warn({ err: String(err), pod: `${config.metadata.namespace}/${config.metadata.name}` }, 'runc: sandbox setup failed; undoing it');
      await this.teardownSandboxHost(record).catch(() => undefined);
      await rm(record.dir, { recursive: true, force: true }).catch(() => undefined);
      this.sandboxes.delete(id);
      this.sandboxNames.delete(nameKey);
      throw isCriError(err) ? err : new CriError('Unknown', `failed to set up sandbox for pod ${config.metadata.namespace}/${config.metadata.name}: ${errorText(err)}`);
    }
    return { podSandboxId: id };
  }

  async stopPodSandbox(req: { podSandboxId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    const sandbox = this.sandbox(req.podSandboxId);
    await this.locked(sandbox.id, async () => {
      for (const container of this.containersOf(sandbox.id)) await this.stopContainerNow(container, 0);
      await this.teardownSandboxHost(sandbox);
      if (sandbox.state !== 'SANDBOX_NOTREADY') {
        sandbox.state = 'SANDBOX_NOTREADY';
        delete sandbox.ip;
        await saveRecord(sandbox.dir, sandbox);
      }
    });
    return {};
  }

  async removePodSandbox(req: { podSandboxId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    const sandbox = this.sandboxes.get(req.podSandboxId);
    if (!sandbox) return {};
    await this.locked(sandbox.id, async () => {
      for (const container of this.containersOf(sandbox.id)) await this.removeContainerNow(container);
      await this.teardownSandboxHost(sandbox);
      await this.deps.cgroups.remove(sandbox.cgroupParent);
      await rm(sandbox.dir, { recursive: true, force: true });
      this.sandboxes.delete(sandbox.id);
      this.sandboxNames.delete(checks.sandboxNameKey(sandbox.config));
    });
    return {};
  }

  async podSandboxStatus(req: { podSandboxId: string; verbose: boolean }): Promise<{ status: PodSandboxStatus; info: Record<string, string> }> {
    this.assertOpen();
    const s = this.sandbox(req.podSandboxId);
    return {
      status: podSandboxStatus(s, s.state === 'SANDBOX_READY' ? s.ip : undefined),
      info: req.verbose ? { netns: s.netnsPath ?? 'host', cgroupParent: s.cgroupParent } : {},
    };
  }

  async listPodSandbox(req: { filter?: PodSandboxFilter }): Promise<{ items: PodSandbox[] }> {
    this.assertOpen();
    const f = req.filter;
    const items: PodSandbox[] = [];
    for (const s of this.sandboxes.values()) {
      if (sandboxMatches({ id: s.id, state: s.state, labels: s.config.labels }, f)) items.push(podSandboxSummary(s));
    }
    return { items };
  }

  // ---- containers --------------------------------------------------------------------------

  async createContainer(req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }): Promise<{ containerId: string }> {
    this.assertOpen();
    const sandbox = this.sandbox(req.podSandboxId);
    const config = req.config;
    checks.requireContainerCreatable(config, { id: sandbox.id, ready: sandbox.state === 'SANDBOX_READY' });
    const image = (await this.deps.images.imageStatus({ image: config.image, verbose: false })).image;
    if (!image) throw new CriError('NotFound', `failed to get image ${JSON.stringify(config.image?.image ?? '')}: not found`);
    const nameKey = checks.containerNameKey(sandbox.id, config);
    checks.requireNameFree('container', nameKey, this.containerNames);
    const id = newId();
    this.containerNames.set(nameKey, id);
    const bundle = join(this.deps.names.containersDir, id);
    const record: ContainerRecord = {
      id,
      sandboxId: sandbox.id,
      config,
      imageRef: image.id,
      createdAtNs: this.nowNs(),
      startedAtNs: 0,
      finishedAtNs: 0,
      exitCode: 0,
      reason: '',
      state: 'CONTAINER_CREATED',
      logPath: join(sandbox.config.logDirectory, config.logPath),
      bundle,
      cgroupsPath: `${sandbox.cgroupParent}/${id}`,
      pid: 0,
    };
    try {
      await saveRecord(bundle, record);
      const rootfs = join(bundle, 'rootfs');
      await Promise.all(['rootfs', 'upper', 'work', 'persist'].map((d) => mkdir(join(bundle, d), { recursive: true })));
      const lowerDirs = await this.deps.images.rootfsLayers(image.id);
      await mountOverlay({ lowerDirs, upperDir: join(bundle, 'upper'), workDir: join(bundle, 'work'), target: rootfs });
      const imageConfig = (await this.deps.images.imageConfig(image.id)).config ?? {};
      const user = await resolveUser(rootfs, config.linux?.securityContext, imageConfig.User);
      const spec = buildOciSpec({
        config,
        sandbox: sandbox.config,
        image: imageConfig,
        rootfsPath: rootfs,
        ...(sandbox.netnsPath ? { netnsPath: sandbox.netnsPath } : {}),
        ...(sandbox.ipcPath ? { ipcNsPath: sandbox.ipcPath } : {}),
        ...(sandbox.utsPath ? { utsNsPath: sandbox.utsPath } : {}),
        podFiles: { hosts: join(sandbox.dir, 'hosts'), resolvConf: join(sandbox.dir, 'resolv.conf'), hostname: join(sandbox.dir, 'hostname') },
        cgroupsPath: record.cgroupsPath,
        ...(this.deps.settings.pidsLimit > 0 ? { pidsLimit: this.deps.settings.pidsLimit } : {}),
        user,
        seccompAvailable: this.deps.seccompAvailable,
        lastCapability: this.deps.lastCapability,
        nofileLimit: this.deps.nofileLimit,
        swapControllerAvailable: this.deps.swapControllerAvailable,
        cgroupV2: this.deps.cgroups.mode === 'v2',
        sandboxId: sandbox.id,
      });
      await writeFile(join(bundle, 'config.json'), JSON.stringify(spec));
      await mkdir(join(sandbox.config.logDirectory, config.logPath, '..'), { recursive: true });
      await mkdir(this.deps.names.exitsDir, { recursive: true });
      await mkdir(this.deps.names.socketsDir, { recursive: true });
      const started = await startContainerUnderConmon({
        conmonPath: this.deps.conmonPath,
        runcPath: this.deps.runcPath,
        runcRoot: this.deps.names.runcRoot,
        id,
        bundle,
        logPath: record.logPath,
        exitDir: this.deps.names.exitsDir,
        persistDir: join(bundle, 'persist'),
        socketDir: this.deps.names.socketsDir,
        stdin: config.stdin,
        stdinOnce: config.stdinOnce,
        tty: config.tty,
      });
      record.pid = started.containerPid;
      await saveRecord(bundle, record);
    } catch (err) {
      this.deps.logger.warn({ err: errorText(err), container: config.metadata.name }, 'runc: container create failed; undoing it');
      await this.teardownContainerHost(record).catch(() => undefined);
      this.containerNames.delete(nameKey);
      throw isCriError(err) ? err : new CriError('Unknown', `failed to create container ${config.metadata.name}: ${errorText(err)}`);
    }
    this.containers.set(id, record);
    return { containerId: id };
  }

  async startContainer(req: { containerId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    const c = this.container(req.containerId);
    await this.locked(c.id, async () => {
      if (c.state !== 'CONTAINER_CREATED') throw new CriError('FailedPrecondition', `container ${c.id} is not in created state: ${c.state}`);
      try {
        await this.deps.runc.start(c.id);
      } catch (err) {
        // the process could not start: the container is exited (kube reports StartError, exit 128)
        Object.assign(c, { state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', startedAtNs: 0, finishedAtNs: this.nowNs() });
        await saveRecord(c.bundle, c);
        throw isCriError(err) ? err : new CriError('Unknown', `failed to start container ${c.id}: ${errorText(err)}`);
      }
      c.state = 'CONTAINER_RUNNING';
      c.startedAtNs = this.nowNs();
      await saveRecord(c.bundle, c);
    });
    return {};
  }

  async stopContainer(req: { containerId: string; timeout: number }): Promise<Record<string, never>> {
    this.assertOpen();
    const c = this.container(req.containerId);
    await this.locked(c.id, () => this.stopContainerNow(c, Math.max(0, req.timeout)));
    return {};
  }

  async removeContainer(req: { containerId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    const c = this.containers.get(req.containerId);
    if (!c) return {};
    await this.locked(c.id, () => this.removeContainerNow(c));
    return {};
  }

  async listContainers(req: { filter?: ContainerFilter }): Promise<{ containers: Container[] }> {
    this.assertOpen();
    const f = req.filter;
    const out: Container[] = [];
    for (const c of this.containers.values()) {
      // the state filter needs the state as of now: read a finished container's exit first
      await this.refresh(c);
      if (containerMatches(filterable(c), f)) out.push(containerSummary({ ...c, podSandboxId: c.sandboxId }));
    }
    return { containers: out };
  }

  async containerStatus(req: { containerId: string; verbose: boolean }): Promise<{ status: ContainerStatus; info: Record<string, string> }> {
    this.assertOpen();
    const c = this.container(req.containerId);
    await this.refresh(c);
    return {
      status: {
        id: c.id,
        metadata: c.config.metadata,
        state: c.state,
        createdAt: c.createdAtNs,
        startedAt: c.startedAtNs,
        finishedAt: c.finishedAtNs,
        exitCode: c.exitCode,
        image: c.config.image,
        imageRef: c.imageRef,
        reason: c.reason,
        message: '',
        labels: c.config.labels ?? {},
        annotations: c.config.annotations ?? {},
        mounts: c.config.mounts ?? [],
        logPath: c.logPath,
      },
      info: req.verbose ? { pid: String(c.pid), bundle: c.bundle, cgroupsPath: c.cgroupsPath } : {},
    };
  }

  async updateContainerResources(req: { containerId: string; linux?: LinuxContainerResources }): Promise<Record<string, never>> {
    this.assertOpen();
    const c = this.container(req.containerId);
    await this.refresh(c);
    if (c.state === 'CONTAINER_EXITED') throw new CriError('FailedPrecondition', `container ${c.id} has exited; its resources cannot change`);
    if (req.linux) await this.deps.runc.update(c.id, req.linux);
    return {};
  }

  async reopenContainerLog(req: { containerId: string }): Promise<Record<string, never>> {
    this.assertOpen();
    const c = this.container(req.containerId);
    await this.refresh(c);
    if (c.state !== 'CONTAINER_RUNNING') throw new CriError('FailedPrecondition', `container ${c.id} is not running`);
    await reopenLog(this.deps.names.socketsDir, c.id, { logPath: c.logPath });
    return {};
  }

  async execSync(req: { containerId: string; cmd: string[]; timeout: number }): Promise<{ stdout: Uint8Array; stderr: Uint8Array; exitCode: number }> {
    this.assertOpen();
    const c = this.container(req.containerId);
    await this.refresh(c);
    if (c.state !== 'CONTAINER_RUNNING') throw new CriError('FailedPrecondition', `container ${c.id} is not running`);
    if (!req.cmd?.length) throw new CriError('InvalidArgument', 'cmd must not be empty');
    const result = await this.deps.runc.exec(c.id, req.cmd, req.timeout > 0 ? { timeoutMs: req.timeout * 1000 } : {});
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  }

  async containerStats(req: { containerId: string }): Promise<{ stats: ContainerStats }> {
    this.assertOpen();
    return { stats: await this.statsOf(this.container(req.containerId)) };
  }

  async listContainerStats(req: { filter?: ContainerStatsFilter }): Promise<{ stats: ContainerStats[] }> {
    this.assertOpen();
    const f = req.filter;
    const out: ContainerStats[] = [];
    for (const c of this.containers.values()) {
      if (!containerMatches(filterable(c), f)) continue;
      await this.refresh(c);
      if (c.state === 'CONTAINER_RUNNING') out.push(await this.statsOf(c));
    }
    return { stats: out };
  }

  async probeContainer(req: { containerId: string; probe: ProbeAction; timeoutSeconds: number }): Promise<ProbeContainerResponse> {
    this.assertOpen();
    const c = this.container(req.containerId);
    const timeoutMs = req.timeoutSeconds > 0 ? req.timeoutSeconds * 1000 : this.deps.settings.defaultProbeTimeoutMs;
    const podIP = this.sandboxes.get(c.sandboxId)?.ip ?? '127.0.0.1';
    const probe = req.probe;
    if (probe.exec) {
      try {
        const r = await this.execSync({ containerId: c.id, cmd: probe.exec.command, timeout: Math.ceil(timeoutMs / 1000) });
        const output = Buffer.concat([Buffer.from(r.stdout), Buffer.from(r.stderr)]).toString('utf8');
        return r.exitCode === 0 ? { result: 'SUCCESS', message: '' } : { result: 'FAILURE', message: output || `command ${JSON.stringify(probe.exec.command.join(' '))} exited with ${r.exitCode}` };
      } catch (err) {
        if (isCriError(err, 'DeadlineExceeded')) return { result: 'FAILURE', message: `command ${JSON.stringify(probe.exec.command.join(' '))} timed out` };
        return { result: 'FAILURE', message: errorText(err) };
      }
    }
    if (probe.httpGet) return httpProbe({ ...probe.httpGet, host: probe.httpGet.host || podIP }, timeoutMs);
    if (probe.tcpSocket) return tcpProbe({ ...probe.tcpSocket, host: probe.tcpSocket.host || podIP }, timeoutMs);
    throw new CriError('InvalidArgument', 'probe has no action');
  }

  // ---- images (the node's image service) ---------------------------------------------------

  listImages(req: { filter?: { image?: ImageSpec } }): Promise<{ images: Image[] }> {
    this.assertOpen();
    return this.deps.images.listImages(req);
  }

  imageStatus(req: { image: ImageSpec; verbose: boolean }): Promise<{ image?: Image; info: Record<string, string> }> {
    this.assertOpen();
    return this.deps.images.imageStatus(req);
  }

  pullImage(req: { image: ImageSpec; auth?: AuthConfig; sandboxConfig?: PodSandboxConfig }): Promise<{ imageRef: string }> {
    this.assertOpen();
    return this.deps.images.pullImage(req);
  }

  removeImage(req: { image: ImageSpec }): Promise<Record<string, never>> {
    this.assertOpen();
    return this.deps.images.removeImage(req);
  }

  imageFsInfo(req: Record<string, never>): Promise<{ imageFilesystems: FilesystemUsage[]; containerFilesystems: FilesystemUsage[] }> {
    this.assertOpen();
    return this.deps.images.imageFsInfo(req);
  }

  // ---- shutdown ----------------------------------------------------------------------------

  /** removes every container and sandbox and every host resource of this runtime */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.streaming.closeAll().catch((err) => this.warn('end streaming sessions', err));
    for (const sandbox of [...this.sandboxes.values()]) {
      await this.locked(sandbox.id, async () => {
        for (const container of this.containersOf(sandbox.id)) await this.removeContainerNow(container).catch((err) => this.warn('remove container', err));
        await this.teardownSandboxHost(sandbox).catch((err) => this.warn('tear down sandbox', err));
        await this.deps.cgroups.remove(sandbox.cgroupParent).catch((err) => this.warn('remove pod cgroup', err));
      });
    }
    this.sandboxes.clear();
    this.containers.clear();
    await this.deps.cleanupHost();
  }

  // ---- internals ---------------------------------------------------------------------------

  private async stopContainerNow(c: ContainerRecord, timeoutSeconds: number): Promise<void> {
    await this.refresh(c);
    if (c.state !== 'CONTAINER_RUNNING') return;
    const { exitPollMs, killWaitMs } = this.deps.settings;
    if (timeoutSeconds > 0) {
      await this.deps.runc.kill(c.id, 'TERM');
      if (await this.waitForExit(c, timeoutSeconds * 1000, exitPollMs)) return;
    }
    await this.deps.runc.kill(c.id, 'KILL', true);
    if (!(await this.waitForExit(c, killWaitMs, exitPollMs))) {
      throw new CriError('DeadlineExceeded', `container ${c.id} did not exit ${killWaitMs} ms after SIGKILL`);
    }
  }

  private async waitForExit(c: ContainerRecord, withinMs: number, pollMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      await this.refresh(c);
      if (c.state === 'CONTAINER_EXITED') return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async removeContainerNow(c: ContainerRecord): Promise<void> {
    await this.refresh(c);
    if (c.state === 'CONTAINER_RUNNING') await this.stopContainerNow(c, 0);
    await this.teardownContainerHost(c);
    this.containers.delete(c.id);
    this.containerNames.delete(checks.containerNameKey(c.sandboxId, c.config));
  }

  /** runc delete, cgroup, overlay, bundle: everything a container put on the host */
  private async teardownContainerHost(c: ContainerRecord): Promise<void> {
    await this.deps.runc.delete(c.id, true);
    await this.deps.cgroups.remove(c.cgroupsPath);
    await unmount(join(c.bundle, 'rootfs'));
    await rm(join(this.deps.names.exitsDir, c.id), { force: true });
    await rm(c.bundle, { recursive: true, force: true });
  }

  /** the sandbox's network and netns (its containers must be stopped first) */
  private async teardownSandboxHost(s: SandboxRecord): Promise<void> {
    if (s.ipcPath) await removeNetns(s.ipcPath);
    if (s.utsPath) await removeNetns(s.utsPath);
    if (!s.netnsPath) return;
    await this.deps.network.tearDown(s.id, s.netnsPath);
    await removeNetns(s.netnsPath);
  }

  /** a running container whose conmon wrote the exit file has exited: read how */
  private async refresh(c: ContainerRecord): Promise<void> {
    if (c.state !== 'CONTAINER_RUNNING') return;
    const exitFile = join(this.deps.names.exitsDir, c.id);
    const code = await readExitCode(this.deps.names.exitsDir, c.id);
    if (code === undefined) return;
    const finishedMs = await stat(exitFile).then((s) => s.mtimeMs, () => this.deps.clock.now());
    const oom = (await wasOomKilled(join(c.bundle, 'persist'))) || (code === 137 && (await this.deps.cgroups.oomKills(c.cgroupsPath)) > 0);
    c.state = 'CONTAINER_EXITED';
    c.exitCode = code;
    c.finishedAtNs = Math.round(finishedMs * 1e6);
    c.reason = oom ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error';
    await saveRecord(c.bundle, c).catch(() => undefined);
  }

  private async statsOf(c: ContainerRecord): Promise<ContainerStats> {
    const timestamp = this.nowNs();
    const s = await this.deps.cgroups.stats(c.cgroupsPath);
    return {
      attributes: { id: c.id, metadata: c.config.metadata, labels: c.config.labels ?? {}, annotations: c.config.annotations ?? {} },
      ...(s
        ? {
            cpu: { timestamp, usageCoreNanoSeconds: { value: s.cpuUsageNanos } },
            memory: { timestamp, workingSetBytes: { value: s.workingSetBytes }, rssBytes: { value: s.rssBytes } },
          }
        : {}),
    };
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  private sandbox(id: string): SandboxRecord {
    return checks.knownSandbox(this.sandboxes, id);
  }

  private container(id: string): ContainerRecord {
    return checks.knownContainer(this.containers, id);
  }

  private async locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.locks.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    }
  }

  private nowNs(): number {
    return this.deps.clock.now() * 1e6;
  }

  private warn(what: string, err: unknown): void {
    this.deps.logger.warn({ err: errorText(err) }, `runc: ${what} failed during shutdown`);
  }

  private assertOpen(): void {
    if (this.closed) throw new CriError('Unavailable', 'the runc runtime is closed');
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const filterable = (c: ContainerRecord): FilterableContainer => ({ id: c.id, podSandboxId: c.sandboxId, state: c.state, labels: c.config.labels });
