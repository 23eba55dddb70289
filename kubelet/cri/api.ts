/**
 * The CRI-style runtime interface, gRPC-free: kubelet/ talks to a container runtime only
 * through RuntimeService and ImageService. Method and message names follow CRI v1
 * (k8s.io/cri-api runtime/v1/api.proto) in protobufjs' camelCase; kubelet/cri/cri.proto
 * is the wire form of the same messages (for the unix-socket transport), and these types
 * are what both transports hand to callers.
 *
 * Conventions, as in CRI:
 * - Timestamps are int64 nanoseconds since the epoch, carried as a JS number (exact to
 *   about 0.25 µs today — plenty for a kubelet that reports seconds).
 * - Enums are their proto names ('CONTAINER_RUNNING').
 * - Failures are CriError (./errors.ts) with a gRPC-style code; NotFound for unknown ids.
 * - The runtime writes each container's stdout/stderr in the CRI log format to
 *   join(sandboxConfig.logDirectory, containerConfig.logPath) (kubelet/logs/cri-log-format.ts),
 *   and reopens that file on reopenContainerLog (after the kubelet rotated it).
 * - Pod annotations reach the runtime in PodSandboxConfig.annotations (the simulated
 *   runtime reads its sim.k8ts.io/* lifecycle from there).
 *
 * k8ts extension: probeContainer. CRI has no probe call — the real kubelet execs through
 * ExecSync and dials httpGet/tcpSocket probes itself. Here a runtime may live where the
 * kubelet cannot reach pod IPs (the simulated runtime has no network at all), so the
 * runtime answers probes; a runc runtime does the exec through execSync and dials the pod
 * IP from the host.
 */

import type { StreamingRuntime } from './streaming.js';

export type Nanos = number;

export interface KeyValue {
  key: string;
  value: string;
}

// ---- sandboxes ----------------------------------------------------------------------------

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort: number;
  hostIp: string;
}

export interface DNSConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** CRI's NamespaceMode: POD shares the pod's namespace, NODE the host's (hostNetwork, hostPID, hostIPC) */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';

export interface NamespaceOption {
  network: NamespaceMode;
  pid: NamespaceMode;
  ipc: NamespaceMode;
}

/** CRI's SecurityProfile (seccomp): RuntimeDefault, Unconfined, or a Localhost file */
export interface SecurityProfile {
  profileType: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  localhostRef: string;
}

export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  runAsUser?: { value: number };
  runAsGroup?: { value: number };
  supplementalGroups: number[];
  privileged?: boolean;
  seccomp?: SecurityProfile;
}

export interface LinuxPodSandboxConfig {
  cgroupParent: string;
  securityContext?: LinuxSandboxSecurityContext;
  sysctls: Record<string, string>;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname: string;
  /** directory for this pod's container logs (kubelet: DATA_DIR/pods/<ns>_<name>_<uid>) */
  logDirectory: string;
  dnsConfig?: DNSConfig;
  portMappings: PortMapping[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  linux?: LinuxPodSandboxConfig;
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodIP {
  ip: string;
}

export interface PodSandboxNetworkStatus {
  ip: string;
  additionalIps: PodIP[];
}

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: Nanos;
  network?: PodSandboxNetworkStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: Nanos;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
}

export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  labelSelector?: Record<string, string>;
}

// ---- containers ---------------------------------------------------------------------------

export interface ContainerMetadata {
  name: string;
  /** how many times this container was created in this sandbox before (restartCount) */
  attempt: number;
}

export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
  propagation?: 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
}

export interface LinuxContainerResources {
  cpuPeriod: number;
  cpuQuota: number;
  cpuShares: number;
  memoryLimitInBytes: number;
  oomScoreAdj: number;
  cpusetCpus: string;
  cpusetMems: string;
}

export interface Capability {
  /** capability names without the CAP_ prefix, as the pod spec writes them ('NET_ADMIN'); 'ALL' allowed */
  addCapabilities: string[];
  dropCapabilities: string[];
}

export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  runAsUser?: { value: number };
  /** the image's non-numeric USER, when runAsUser is not set (the runtime resolves it in /etc/passwd) */
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  /** allowPrivilegeEscalation: false */
  noNewPrivs?: boolean;
  runAsGroup?: { value: number };
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: SecurityProfile;
}

export interface LinuxContainerConfig {
  resources?: LinuxContainerResources;
  securityContext?: LinuxContainerSecurityContext;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command: string[];
  args: string[];
  workingDir: string;
  envs: KeyValue[];
  mounts: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** relative to PodSandboxConfig.logDirectory (kubelet: <container>/<attempt>.log) */
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  linux?: LinuxContainerConfig;
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: Nanos;
  /** 0 until started */
  startedAt: Nanos;
  /** 0 until exited */
  finishedAt: Nanos;
  exitCode: number;
  image: ImageSpec;
  /** the image's id (kubelet reports it as imageID) */
  imageRef: string;
  /** for exited containers: 'Completed' (exit 0), 'Error', 'OOMKilled', … */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  /** absolute path of the log file */
  logPath: string;
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  imageRef: string;
  state: ContainerState;
  createdAt: Nanos;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

export interface UInt64Value {
  value: number;
}

export interface ContainerAttributes {
  id: string;
  metadata: ContainerMetadata;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStats {
  attributes: ContainerAttributes;
  cpu?: { timestamp: Nanos; usageCoreNanoSeconds?: UInt64Value; usageNanoCores?: UInt64Value };
  memory?: { timestamp: Nanos; workingSetBytes?: UInt64Value; rssBytes?: UInt64Value };
  writableLayer?: FilesystemUsage;
}

export interface ContainerStatsFilter {
  id?: string;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

// ---- probes (k8ts extension) --------------------------------------------------------------

export interface ProbeAction {
  exec?: { command: string[] };
  httpGet?: { host: string; port: number; path: string; scheme: 'HTTP' | 'HTTPS'; httpHeaders: Array<{ name: string; value: string }> };
  tcpSocket?: { host: string; port: number };
}

export interface ProbeContainerResponse {
  result: 'SUCCESS' | 'FAILURE';
  /** why it failed, as the kubelet's Unhealthy event says it (e.g. 'HTTP probe failed with statuscode: 500') */
  message: string;
}

// ---- runtime status -----------------------------------------------------------------------

export interface VersionResponse {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface RuntimeCondition {
  /** 'RuntimeReady' | 'NetworkReady' */
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

// ---- images -------------------------------------------------------------------------------

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  /** the image config's USER when numeric (the kubelet checks runAsNonRoot against it) */
  uid?: { value: number };
  /** the image config's USER when not numeric */
  username?: string;
  spec?: ImageSpec;
  pinned: boolean;
}

export interface AuthConfig {
  username: string;
  password: string;
  auth: string;
  serverAddress: string;
  identityToken: string;
  registryToken: string;
}

export interface FilesystemUsage {
  timestamp: Nanos;
  fsId: { mountpoint: string };
  usedBytes?: UInt64Value;
  inodesUsed?: UInt64Value;
}

// ---- the services -------------------------------------------------------------------------

export interface RuntimeService {
  version(req: { version: string }): Promise<VersionResponse>;

  runPodSandbox(req: { config: PodSandboxConfig; runtimeHandler: string }): Promise<{ podSandboxId: string }>;
  /** stops every container of the sandbox and releases its network; idempotent */
  stopPodSandbox(req: { podSandboxId: string }): Promise<Record<string, never>>;
  /** removes the sandbox and its containers (stopping them first); idempotent */
  removePodSandbox(req: { podSandboxId: string }): Promise<Record<string, never>>;
  podSandboxStatus(req: { podSandboxId: string; verbose: boolean }): Promise<{ status: PodSandboxStatus; info: Record<string, string> }>;
  listPodSandbox(req: { filter?: PodSandboxFilter }): Promise<{ items: PodSandbox[] }>;

  createContainer(req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }): Promise<{ containerId: string }>;
  startContainer(req: { containerId: string }): Promise<Record<string, never>>;
  /** SIGTERM, then SIGKILL after `timeout` seconds (0: at once); idempotent on exited containers */
  stopContainer(req: { containerId: string; timeout: number }): Promise<Record<string, never>>;
  removeContainer(req: { containerId: string }): Promise<Record<string, never>>;
  listContainers(req: { filter?: ContainerFilter }): Promise<{ containers: Container[] }>;
  containerStatus(req: { containerId: string; verbose: boolean }): Promise<{ status: ContainerStatus; info: Record<string, string> }>;
  updateContainerResources(req: { containerId: string; linux?: LinuxContainerResources }): Promise<Record<string, never>>;
  reopenContainerLog(req: { containerId: string }): Promise<Record<string, never>>;
  /** `timeout` in seconds, 0 = none; a command that runs longer fails with DeadlineExceeded */
  execSync(req: { containerId: string; cmd: string[]; timeout: number }): Promise<{ stdout: Uint8Array; stderr: Uint8Array; exitCode: number }>;
  containerStats(req: { containerId: string }): Promise<{ stats: ContainerStats }>;
  listContainerStats(req: { filter?: ContainerStatsFilter }): Promise<{ stats: ContainerStats[] }>;
  status(req: { verbose: boolean }): Promise<{ status: { conditions: RuntimeCondition[] }; info: Record<string, string> }>;

  /** k8ts extension (see the header) */
  probeContainer(req: { containerId: string; probe: ProbeAction; timeoutSeconds: number }): Promise<ProbeContainerResponse>;
}

export interface ImageService {
  listImages(req: { filter?: { image?: ImageSpec } }): Promise<{ images: Image[] }>;
  /** `image` absent when the image is not present */
  imageStatus(req: { image: ImageSpec; verbose: boolean }): Promise<{ image?: Image; info: Record<string, string> }>;
  pullImage(req: { image: ImageSpec; auth?: AuthConfig; sandboxConfig?: PodSandboxConfig }): Promise<{ imageRef: string }>;
  removeImage(req: { image: ImageSpec }): Promise<Record<string, never>>;
  imageFsInfo(req: Record<string, never>): Promise<{ imageFilesystems: FilesystemUsage[]; containerFilesystems: FilesystemUsage[] }>;
}

/** A runtime: both services, plus close() for the transport or the runtime's own resources. */
export interface Runtime extends RuntimeService, ImageService {
  close(): Promise<void>;
  /** exec, attach and port-forward as live streams (streaming.ts); absent when not offered */
  streaming?: StreamingRuntime;
}
