/**
 * The codec round-trips every method's request and response: a fully populated message
 * comes back equal, and a sparse one comes back with api.ts' defaults filled and its
 * optional parts still absent.
 */
import t from 'tap';
import type { ContainerConfig, ContainerStats, FilesystemUsage, Image, Mount, PodSandboxConfig, PodSandboxMetadata } from './api.js';
import { decodeFrame, decodeRequest, decodeResponse, encodeFrame, encodeRequest, encodeResponse, methodCodecByRpc, RUNTIME_METHODS, type RuntimeMethod } from './codec.js';
import { isCriError } from './errors.js';

const NOW = 1_795_000_000_123_456_000; // ns, 2026

const sandboxMetadata: PodSandboxMetadata = { name: 'web-0', uid: 'u-1', namespace: 'default', attempt: 2 };
const mount: Mount = { containerPath: '/data', hostPath: '/var/data', readonly: true, propagation: 'PROPAGATION_HOST_TO_CONTAINER' };
const sandboxConfig: PodSandboxConfig = {
  metadata: sandboxMetadata,
  hostname: 'web-0',
  logDirectory: '/var/log/pods/default_web-0_u-1',
  dnsConfig: { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
  portMappings: [{ protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1' }],
  labels: { app: 'web' },
  annotations: { 'sim.k8ts.io/run-ms': '10' },
  linux: { cgroupParent: '/kubepods', sysctls: { 'net.ipv4.ip_forward': '1' } },
};
const containerConfig: ContainerConfig = {
  metadata: { name: 'app', attempt: 1 },
  image: { image: 'nginx:1.27', annotations: { a: 'b' } },
  command: ['sh', '-c'],
  args: ['exit 3'],
  workingDir: '/srv',
  envs: [{ key: 'A', value: '1' }],
  mounts: [mount],
  labels: { 'io.kubernetes.container.name': 'app' },
  annotations: { 'io.kubernetes.container.restartCount': '1' },
  logPath: 'app/1.log',
  stdin: false,
  stdinOnce: false,
  tty: true,
  linux: {
    resources: { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512, memoryLimitInBytes: 128 * 1024 * 1024, oomScoreAdj: -997, cpusetCpus: '0-1', cpusetMems: '0' },
    securityContext: {
      runAsUser: { value: 1000 },
      runAsGroup: { value: 1000 },
      readonlyRootfs: true,
      privileged: false,
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
      namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'NODE' },
      supplementalGroups: [2000],
      noNewPrivs: true,
      maskedPaths: ['/proc/kcore'],
      readonlyPaths: ['/proc/sys'],
      seccomp: { profileType: 'RuntimeDefault', localhostRef: '' },
    },
  },
};
const fsUsage: FilesystemUsage = { timestamp: NOW, fsId: { mountpoint: '/var/lib/k8ts' }, usedBytes: { value: 4096 }, inodesUsed: { value: 12 } };
const stats: ContainerStats = {
  attributes: { id: 'c1', metadata: { name: 'app', attempt: 0 }, labels: { x: 'y' }, annotations: {} },
  cpu: { timestamp: NOW, usageCoreNanoSeconds: { value: 123456789 }, usageNanoCores: { value: 1000 } },
  memory: { timestamp: NOW, workingSetBytes: { value: 1 << 20 }, rssBytes: { value: 1 << 19 } },
  writableLayer: fsUsage,
};
const image: Image = { id: 'sha256:abc', repoTags: ['nginx:1.27'], repoDigests: ['nginx@sha256:def'], size: 5_000_000_000, spec: { image: 'nginx:1.27', annotations: {} }, pinned: false };

/** method → [request, response], each fully populated */
const FULL: { [M in RuntimeMethod]: [unknown, unknown] } = {
  version: [{ version: 'v1' }, { version: '0.1.0', runtimeName: 'simulated', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' }],
  runPodSandbox: [{ config: sandboxConfig, runtimeHandler: 'runc' }, { podSandboxId: 's1' }],
  stopPodSandbox: [{ podSandboxId: 's1' }, {}],
  removePodSandbox: [{ podSandboxId: 's1' }, {}],
  podSandboxStatus: [
    { podSandboxId: 's1', verbose: true },
    {
      status: {
        id: 's1',
        metadata: sandboxMetadata,
        state: 'SANDBOX_NOTREADY',
        createdAt: NOW,
        network: { ip: '10.244.0.5', additionalIps: [{ ip: 'fd00::5' }] },
        labels: { app: 'web' },
        annotations: { k: 'v' },
        runtimeHandler: '',
      },
      info: { pid: '42' },
    },
  ],
  listPodSandbox: [
    { filter: { id: 's1', state: { state: 'SANDBOX_READY' }, labelSelector: { app: 'web' } } },
    { items: [{ id: 's1', metadata: sandboxMetadata, state: 'SANDBOX_READY', createdAt: NOW, labels: {}, annotations: {}, runtimeHandler: 'runc' }] },
  ],
  createContainer: [{ podSandboxId: 's1', config: containerConfig, sandboxConfig }, { containerId: 'c1' }],
  startContainer: [{ containerId: 'c1' }, {}],
  stopContainer: [{ containerId: 'c1', timeout: 30 }, {}],
  removeContainer: [{ containerId: 'c1' }, {}],
  listContainers: [
    { filter: { id: 'c1', state: { state: 'CONTAINER_EXITED' }, podSandboxId: 's1', labelSelector: { a: 'b' } } },
    {
      containers: [
        { id: 'c1', podSandboxId: 's1', metadata: { name: 'app', attempt: 3 }, image: { image: 'nginx', annotations: {} }, imageRef: 'sha256:abc', state: 'CONTAINER_UNKNOWN', createdAt: NOW, labels: {}, annotations: {} },
      ],
    },
  ],
  containerStatus: [
    { containerId: 'c1', verbose: false },
    {
      status: {
        id: 'c1',
        metadata: { name: 'app', attempt: 0 },
        state: 'CONTAINER_EXITED',
        createdAt: NOW,
        startedAt: NOW + 1,
        finishedAt: NOW + 2_000_000_000,
        exitCode: -1,
        image: { image: 'nginx', annotations: {} },
        imageRef: 'sha256:abc',
        reason: 'Error',
        message: 'boom',
        labels: { l: '1' },
        annotations: { a: '2' },
        mounts: [mount],
        logPath: '/var/log/pods/x/app/0.log',
      },
      info: {},
    },
  ],
  updateContainerResources: [{ containerId: 'c1', linux: containerConfig.linux!.resources }, {}],
  reopenContainerLog: [{ containerId: 'c1' }, {}],
  execSync: [
    { containerId: 'c1', cmd: ['cat', '/etc/hostname'], timeout: 5 },
    { stdout: new Uint8Array([104, 105, 10]), stderr: new Uint8Array([0, 255]), exitCode: 2 },
  ],
  containerStats: [{ containerId: 'c1' }, { stats }],
  listContainerStats: [{ filter: { id: 'c1', podSandboxId: 's1', labelSelector: { a: 'b' } } }, { stats: [stats] }],
  status: [
    { verbose: true },
    {
      status: {
        conditions: [
          { type: 'RuntimeReady', status: true, reason: '', message: '' },
          { type: 'NetworkReady', status: false, reason: 'NoCNI', message: 'no network' },
        ],
      },
      info: { config: '{}' },
    },
  ],
  probeContainer: [
    {
      containerId: 'c1',
      probe: {
        exec: { command: ['true'] },
        httpGet: { host: '10.0.0.1', port: 8080, path: '/healthz', scheme: 'HTTPS', httpHeaders: [{ name: 'X', value: 'y' }] },
        tcpSocket: { host: '', port: 6379 },
      },
      timeoutSeconds: 1,
    },
    { result: 'FAILURE', message: 'HTTP probe failed with statuscode: 500' },
  ],
  listImages: [{ filter: { image: { image: 'nginx', annotations: {} } } }, { images: [image] }],
  imageStatus: [{ image: { image: 'nginx', annotations: {} }, verbose: false }, { image, info: {} }],
  pullImage: [
    {
      image: { image: 'nginx', annotations: {} },
      auth: { username: 'u', password: 'p', auth: 'dTpw', serverAddress: 'r.example', identityToken: '', registryToken: 't' },
      sandboxConfig,
    },
    { imageRef: 'sha256:abc' },
  ],
  removeImage: [{ image: { image: 'nginx', annotations: {} } }, {}],
  imageFsInfo: [{}, { imageFilesystems: [fsUsage], containerFilesystems: [] }],
};

t.test('every method round-trips a fully populated request and response', async (t) => {
  for (const method of RUNTIME_METHODS) {
    const [request, response] = FULL[method];
    t.same(decodeRequest(method, encodeRequest(method, request as never)), request, `${method} request`);
    t.same(decodeResponse(method, encodeResponse(method, response as never)), response, `${method} response`);
  }
});

t.test('sparse messages: defaults filled, optional parts left absent', async (t) => {
  const cases: Array<{ name: string; method: RuntimeMethod; side: 'request' | 'response'; value: unknown; want: unknown }> = [
    { name: 'no filter stays no filter', method: 'listPodSandbox', side: 'request', value: {}, want: {} },
    { name: 'empty sandbox filter keeps id absent', method: 'listPodSandbox', side: 'request', value: { filter: {} }, want: { filter: { labelSelector: {} } } },
    { name: 'empty id filter is kept apart from none', method: 'listContainers', side: 'request', value: { filter: { id: '' } }, want: { filter: { id: '', labelSelector: {} } } },
    { name: 'absent image in imageStatus', method: 'imageStatus', side: 'response', value: { info: {} }, want: { info: {} } },
    {
      name: 'sandbox status without network',
      method: 'podSandboxStatus',
      side: 'response',
      value: { status: { id: 's', state: 'SANDBOX_READY', createdAt: 5 } },
      want: { status: { id: 's', state: 'SANDBOX_READY', createdAt: 5, labels: {}, annotations: {}, runtimeHandler: '' }, info: {} },
    },
    { name: 'empty exec output', method: 'execSync', side: 'response', value: {}, want: { stdout: new Uint8Array(), stderr: new Uint8Array(), exitCode: 0 } },
    { name: 'mount without propagation', method: 'containerStatus', side: 'response', value: { status: { mounts: [{ containerPath: '/a' }] } }, want: undefined },
  ];
  for (const c of cases) {
    const decoded =
      c.side === 'request' ? decodeRequest(c.method, encodeRequest(c.method, c.value as never)) : decodeResponse(c.method, encodeResponse(c.method, c.value as never));
    if (c.want !== undefined) t.same(decoded, c.want, c.name);
    else t.same((decoded as { status: { mounts: unknown[] } }).status.mounts, [{ containerPath: '/a', hostPath: '', readonly: false }], c.name);
    // absent means absent, not null
    t.notOk(JSON.stringify(decoded).includes('null'), `${c.name}: no nulls`);
  }
});

t.test('bytes decode as plain Uint8Array; int64 as number', async (t) => {
  const res = decodeResponse('execSync', encodeResponse('execSync', { stdout: new Uint8Array([1]), stderr: new Uint8Array(), exitCode: 0 }));
  t.equal(res.stdout.constructor, Uint8Array);
  const status = decodeResponse('containerStatus', encodeResponse('containerStatus', FULL.containerStatus[1] as never));
  t.type(status.status.createdAt, 'number');
});

t.test('garbage bytes are an InvalidArgument CriError', async (t) => {
  let caught: unknown;
  try {
    decodeRequest('runPodSandbox', new Uint8Array([0x0a, 0xff, 0xff]));
  } catch (err) {
    caught = err;
  }
  t.ok(isCriError(caught, 'InvalidArgument'), String(caught));
});

t.test('frames round-trip; rpc names map back to methods', async (t) => {
  const frame = decodeFrame(encodeFrame({ id: 0xffffffff, method: 'RunPodSandbox', payload: new Uint8Array([1, 2, 3]) }));
  t.same(frame, { id: 0xffffffff, method: 'RunPodSandbox', payload: new Uint8Array([1, 2, 3]), errorCode: '', errorMessage: '' });
  const error = decodeFrame(encodeFrame({ id: 3, errorCode: 'NotFound', errorMessage: 'no such container' }));
  t.match(error, { id: 3, method: '', errorCode: 'NotFound', errorMessage: 'no such container' });
  t.equal(methodCodecByRpc('ProbeContainer')?.method, 'probeContainer');
  t.equal(methodCodecByRpc('ImageFsInfo')?.method, 'imageFsInfo');
  t.equal(methodCodecByRpc('Nope'), undefined);
});
