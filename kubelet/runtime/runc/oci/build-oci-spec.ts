/**
 * The OCI runtime spec (a bundle's config.json) for one CRI container, from the CRI
 * ContainerConfig, its sandbox's config and the image's config — the job containerd's
 * containerSpec (pkg/cri/server/container_create_linux.go) does. Pure: every host fact it
 * needs (namespace paths, cgroup path, the resolved user, whether seccomp works, the
 * kernel's last capability) comes in the input, so each rule is table-tested.
 *
 * The rules, each in its own module: argv (./process-args.ts), environment
 * (./merge-env.ts), capabilities (./capabilities.ts), mounts (./default-mounts.ts),
 * masked/readonly paths (./masked-paths.ts), seccomp (./seccomp-runtime-default.ts).
 * Here: namespaces, resources, privileged mode, and the assembly.
 *
 * Namespaces: a new mount namespace always; network joins the pod's pinned netns (host
 * network: none, and then the host's UTS namespace too, as Kubernetes gives hostNetwork
 * pods the node's hostname); ipc and uts join the pod's when given, else new; pid is new
 * (or the pod's with pidNsPath), and omitted for NamespaceMode NODE, like ipc.
 */
import type { ContainerConfig, NamespaceOption, PodSandboxConfig } from '../../../cri/api.js';
import { CriError } from '../../../cri/errors.js';
import type { ImageConfig } from '../../../images/oci-types.js';
import { containerCapabilities } from './capabilities.js';
import { containerMounts, type PodFiles } from './default-mounts.js';
import { maskedAndReadonlyPaths } from './masked-paths.js';
import { DEFAULT_NOFILE_LIMIT } from './nofile-limit.js';
import { mergeEnv } from './merge-env.js';
import { processArgs } from './process-args.js';
import type { ResolvedUser } from './resolve-user.js';
import { runtimeDefaultSeccomp } from './seccomp-runtime-default.js';
import { OCI_VERSION, type OciNamespace, type OciResources, type OciSeccomp, type OciSpec } from './spec-types.js';

export interface OciSpecInput {
  config: ContainerConfig;
  sandbox: PodSandboxConfig;
  image: ImageConfig['config'];
  rootfsPath: string;
  /** the pod's pinned netns; undefined = host network (NamespaceMode NODE) */
  netnsPath?: string;
  /** the pod's first container's /proc/<pid>/ns/ipc and uts, to share IPC/UTS in the pod; undefined = new ones */
  ipcNsPath?: string;
  utsNsPath?: string;
  /** a pid namespace to join (shareProcessNamespace); undefined = a new one (or the host's for NODE) */
  pidNsPath?: string;
  /** host files bind-mounted at /etc/hosts, /etc/resolv.conf, /etc/hostname */
  podFiles: PodFiles;
  /** e.g. /k8ts-ab12cd/pod<uid>/<containerId> */
  cgroupsPath: string;
  pidsLimit?: number;
  user: ResolvedUser;
  seccompAvailable: boolean;
  /** /proc/sys/kernel/cap_last_cap, for ALL / privileged */
  lastCapability: number;
  /** cgroup v1 memory.memsw present (v2: memory.swap.max): then swap = memory limit, so the limit cannot be dodged by swapping */
  swapControllerAvailable?: boolean;
  /** process.arch of the host (seccomp architectures); defaults to this process's */
  arch?: string;
  /** the host runs cgroup v2 only: unprivileged containers get their own cgroup namespace (containerd does so on v2) */
  cgroupV2?: boolean;
  /** RLIMIT_NOFILE soft and hard (./nofile-limit.ts: containerNofileLimit()); default 1048576 like containerd */
  nofileLimit?: number;
  /** for the io.kubernetes.cri.sandbox-id annotation */
  sandboxId?: string;
}

/** containerd's annotation keys, so tools that read config.json (and runc hooks) see the same names. */
export const CRI_ANNOTATIONS = {
  containerType: 'io.kubernetes.cri.container-type',
  sandboxId: 'io.kubernetes.cri.sandbox-id',
  sandboxNamespace: 'io.kubernetes.cri.sandbox-namespace',
  sandboxName: 'io.kubernetes.cri.sandbox-name',
  sandboxUid: 'io.kubernetes.cri.sandbox-uid',
  containerName: 'io.kubernetes.cri.container-name',
  imageName: 'io.kubernetes.cri.image-name',
} as const;

export function buildOciSpec(input: OciSpecInput): OciSpec {
  const { config, sandbox } = input;
  const sc = config.linux?.securityContext;
  const privileged = sc?.privileged === true;
  if (privileged && sandbox.linux?.securityContext?.privileged !== true) {
    // containerd's check: a privileged container needs a privileged sandbox (the kubelet marks the sandbox so).
    throw new CriError('InvalidArgument', 'no privileged container allowed in sandbox');
  }
  const hostname = sandbox.hostname;
  const readonlyRootfs = sc?.readonlyRootfs === true;

  const capabilities = containerCapabilities({
    privileged,
    add: sc?.capabilities?.addCapabilities ?? [],
    drop: sc?.capabilities?.dropCapabilities ?? [],
    lastCapability: input.lastCapability,
  });
  const { mounts, rootfsPropagation } = containerMounts({ privileged, readonlyRootfs, podFiles: input.podFiles, mounts: config.mounts });
  const { maskedPaths, readonlyPaths } = maskedAndReadonlyPaths(privileged, sc?.maskedPaths, sc?.readonlyPaths);
  const namespaces = containerNamespaces(input, sc?.namespaceOptions ?? sandbox.linux?.securityContext?.namespaceOptions);
  // On cgroup v2 a cgroup namespace hides the host's hierarchy (containerd: v2 and not privileged).
  if (input.cgroupV2 && !privileged) namespaces.push({ type: 'cgroup' });
  const ownUts = namespaces.some((ns) => ns.type === 'uts' && ns.path === undefined);
  const seccomp = seccompFor(input, privileged, capabilities);
  const resources = containerResources(input, privileged);
  const sysctl = sandbox.linux?.sysctls ?? {};

  const user = input.user;
  const nofile = input.nofileLimit ?? DEFAULT_NOFILE_LIMIT;
  const spec: OciSpec = {
    ociVersion: OCI_VERSION,
    process: {
      terminal: config.tty,
      user: { uid: user.uid, gid: user.gid, additionalGids: [...user.additionalGids] },
      args: processArgs(config.command, config.args, input.image),
      env: mergeEnv(hostname, input.image?.Env, config.envs),
      cwd: config.workingDir || input.image?.WorkingDir || '/',
      capabilities: { bounding: capabilities, effective: [...capabilities], permitted: [...capabilities] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: nofile, soft: nofile }],
      noNewPrivileges: sc?.noNewPrivs === true,
      ...(config.linux?.resources ? { oomScoreAdj: config.linux.resources.oomScoreAdj } : {}),
    },
    root: { path: input.rootfsPath, readonly: readonlyRootfs },
    // runc refuses a hostname without a UTS namespace of the container's own.
    ...(ownUts && hostname ? { hostname } : {}),
    mounts,
    linux: {
      namespaces,
      cgroupsPath: input.cgroupsPath,
      resources,
      ...(rootfsPropagation ? { rootfsPropagation } : {}),
      maskedPaths,
      readonlyPaths,
      ...(seccomp ? { seccomp } : {}),
      ...(Object.keys(sysctl).length > 0 ? { sysctl: { ...sysctl } } : {}),
    },
    annotations: {
      [CRI_ANNOTATIONS.containerType]: 'container',
      ...(input.sandboxId ? { [CRI_ANNOTATIONS.sandboxId]: input.sandboxId } : {}),
      [CRI_ANNOTATIONS.sandboxNamespace]: sandbox.metadata.namespace,
      [CRI_ANNOTATIONS.sandboxName]: sandbox.metadata.name,
      [CRI_ANNOTATIONS.sandboxUid]: sandbox.metadata.uid,
      [CRI_ANNOTATIONS.containerName]: config.metadata.name,
      [CRI_ANNOTATIONS.imageName]: config.image.image,
    },
  };
  return spec;
}

export function containerNamespaces(
  input: Pick<OciSpecInput, 'netnsPath' | 'ipcNsPath' | 'utsNsPath' | 'pidNsPath'>,
  options: NamespaceOption | undefined,
): OciNamespace[] {
  const namespaces: OciNamespace[] = [];
  if (options?.pid !== 'NODE') namespaces.push(input.pidNsPath ? { type: 'pid', path: input.pidNsPath } : { type: 'pid' });
  if (input.netnsPath) namespaces.push({ type: 'network', path: input.netnsPath });
  if (options?.ipc !== 'NODE') namespaces.push(input.ipcNsPath ? { type: 'ipc', path: input.ipcNsPath } : { type: 'ipc' });
  // Host network means the host's UTS namespace too (the pod sees the node's hostname).
  if (input.netnsPath) namespaces.push(input.utsNsPath ? { type: 'uts', path: input.utsNsPath } : { type: 'uts' });
  namespaces.push({ type: 'mount' });
  return namespaces;
}

function seccompFor(input: OciSpecInput, privileged: boolean, capabilities: readonly string[]): OciSeccomp | undefined {
  // Privileged containers are never filtered (containerd's generateSeccompSpecOpts).
  if (privileged || !input.seccompAvailable) return undefined;
  const profile = input.config.linux?.securityContext?.seccomp ?? input.sandbox.linux?.securityContext?.seccomp;
  if (!profile || profile.profileType === 'Unconfined') return undefined;
  if (profile.profileType === 'Localhost') {
    throw new CriError('InvalidArgument', `seccomp profile type Localhost (${profile.localhostRef}) is not supported by this runtime`);
  }
  return runtimeDefaultSeccomp(capabilities, input.arch);
}

/** linux.resources: CRI's 0 means "unset", so only non-zero values are written (containerd's WithResources). */
export function containerResources(
  input: Pick<OciSpecInput, 'config' | 'pidsLimit' | 'swapControllerAvailable'>,
  privileged: boolean,
): OciResources {
  const resources: OciResources = {
    // Unprivileged: deny every device, runc then allows its standard set (/dev/null, /dev/zero, ptys…).
    devices: [{ allow: privileged, access: 'rwm' }],
  };
  const r = input.config.linux?.resources;
  if (r) {
    const cpu: NonNullable<OciResources['cpu']> = {};
    if (r.cpuShares) cpu.shares = r.cpuShares;
    if (r.cpuQuota) cpu.quota = r.cpuQuota;
    if (r.cpuPeriod) cpu.period = r.cpuPeriod;
    if (r.cpusetCpus) cpu.cpus = r.cpusetCpus;
    if (r.cpusetMems) cpu.mems = r.cpusetMems;
    if (Object.keys(cpu).length > 0) resources.cpu = cpu;
    if (r.memoryLimitInBytes) {
      resources.memory = { limit: r.memoryLimitInBytes };
      // Swap limit = memory limit: the container may not swap beyond its limit (containerd's default).
      if (input.swapControllerAvailable) resources.memory.swap = r.memoryLimitInBytes;
    }
  }
  if (input.pidsLimit !== undefined && input.pidsLimit > 0) resources.pids = { limit: input.pidsLimit };
  return resources;
}
