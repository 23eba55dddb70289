import t from 'tap';
import type { ContainerConfig, LinuxContainerSecurityContext, PodSandboxConfig } from '../../../cri/api.js';
import { isCriError } from '../../../cri/errors.js';
import { DEFAULT_CAPABILITIES } from './capabilities.js';
import { buildOciSpec, CRI_ANNOTATIONS, type OciSpecInput } from './build-oci-spec.js';
import { DEFAULT_NOFILE_LIMIT } from './nofile-limit.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from './masked-paths.js';

function container(extra: Partial<ContainerConfig> = {}, sc?: LinuxContainerSecurityContext): ContainerConfig {
  return {
    metadata: { name: 'web', attempt: 0 },
    image: { image: 'busybox:latest' },
    command: [],
    args: [],
    workingDir: '',
    envs: [],
    mounts: [],
    labels: {},
    annotations: {},
    logPath: 'web/0.log',
    stdin: false,
    stdinOnce: false,
    tty: false,
    ...(sc ? { linux: { securityContext: sc } } : {}),
    ...extra,
  };
}

function sandbox(extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name: 'web-0', uid: 'uid-1', namespace: 'default', attempt: 0 },
    hostname: 'web-0',
    logDirectory: '/logs',
    portMappings: [],
    labels: {},
    annotations: {},
    ...extra,
  };
}

function input(extra: Partial<OciSpecInput> = {}): OciSpecInput {
  return {
    config: container(),
    sandbox: sandbox(),
    image: { Entrypoint: undefined, Cmd: ['sh'], Env: ['PATH=/bin'], WorkingDir: '' },
    rootfsPath: '/b/rootfs',
    netnsPath: '/state/netns/pod1',
    podFiles: { hosts: '/s/hosts', resolvConf: '/s/resolv.conf', hostname: '/s/hostname' },
    cgroupsPath: '/k8ts-abc/poduid-1/c1',
    user: { uid: 0, gid: 0, additionalGids: [0] },
    seccompAvailable: true,
    lastCapability: 40,
    arch: 'x64',
    ...extra,
  };
}

t.test('a plain container', async (t) => {
  const spec = buildOciSpec(input({ sandboxId: 'sb1' }));
  t.equal(spec.ociVersion, '1.0.2');
  t.same(spec.process.args, ['sh']);
  t.same(spec.process.env, ['PATH=/bin', 'HOSTNAME=web-0']);
  t.equal(spec.process.cwd, '/');
  t.equal(spec.process.terminal, false);
  t.same(spec.process.user, { uid: 0, gid: 0, additionalGids: [0] });
  t.same(spec.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: DEFAULT_NOFILE_LIMIT, soft: DEFAULT_NOFILE_LIMIT }]);
  t.equal(spec.process.noNewPrivileges, false, 'allowPrivilegeEscalation defaults to true');
  t.same(buildOciSpec(input({ nofileLimit: 20000 })).process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 }], 'capped limit');
  t.same([...spec.process.capabilities.bounding].sort(), [...DEFAULT_CAPABILITIES].sort());
  t.same(spec.process.capabilities.effective, spec.process.capabilities.bounding);
  t.same(spec.process.capabilities.permitted, spec.process.capabilities.bounding);
  t.equal(spec.process.capabilities.ambient, undefined, 'no ambient caps');
  t.same(spec.root, { path: '/b/rootfs', readonly: false });
  t.equal(spec.hostname, 'web-0');
  t.same(spec.linux.namespaces, [{ type: 'pid' }, { type: 'network', path: '/state/netns/pod1' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }]);
  t.equal(spec.linux.cgroupsPath, '/k8ts-abc/poduid-1/c1');
  t.same(spec.linux.resources, { devices: [{ allow: false, access: 'rwm' }] });
  t.same(spec.linux.maskedPaths, DEFAULT_MASKED_PATHS);
  t.same(spec.linux.readonlyPaths, DEFAULT_READONLY_PATHS);
  t.equal(spec.linux.seccomp, undefined, 'no seccomp unless asked (Kubernetes default: Unconfined)');
  t.equal(spec.linux.sysctl, undefined);
  t.equal(spec.process.oomScoreAdj, undefined);
  t.same(
    spec.mounts.filter((m) => m.destination.startsWith('/etc')).map((m) => [m.destination, m.source, m.options]),
    [
      ['/etc/hostname', '/s/hostname', ['rbind', 'rprivate', 'rw']],
      ['/etc/hosts', '/s/hosts', ['rbind', 'rprivate', 'rw']],
      ['/etc/resolv.conf', '/s/resolv.conf', ['rbind', 'rprivate', 'rw']],
    ],
  );
  t.equal(spec.annotations[CRI_ANNOTATIONS.containerType], 'container');
  t.equal(spec.annotations[CRI_ANNOTATIONS.sandboxId], 'sb1');
  t.equal(spec.annotations[CRI_ANNOTATIONS.containerName], 'web');
  t.equal(spec.annotations[CRI_ANNOTATIONS.sandboxName], 'web-0');
  t.doesNotThrow(() => JSON.parse(JSON.stringify(spec)), 'serialisable');
});

t.test('process fields', async (t) => {
  const spec = buildOciSpec(
    input({
      config: container({ command: ['httpd'], args: ['-f'], workingDir: '/www', tty: true, envs: [{ key: 'PATH', value: '/opt' }, { key: 'A', value: '1' }] }),
      image: { Entrypoint: ['/e'], Cmd: ['c'], Env: ['PATH=/bin', 'A=0'], WorkingDir: '/img' },
    }),
  );
  t.same(spec.process.args, ['httpd', '-f']);
  t.equal(spec.process.cwd, '/www', 'workingDir wins');
  t.equal(spec.process.terminal, true, 'tty');
  t.same(spec.process.env, ['PATH=/opt', 'HOSTNAME=web-0', 'A=1']);
  t.equal(buildOciSpec(input({ image: { Cmd: ['sh'], WorkingDir: '/img' } })).process.cwd, '/img', 'image WorkingDir next');
  t.throws(() => buildOciSpec(input({ image: {} })), { message: 'no command specified' });
});

t.test('namespaces', async (t) => {
  const types = (spec: ReturnType<typeof buildOciSpec>) => spec.linux.namespaces.map((n) => (n.path ? `${n.type}=${n.path}` : n.type));
  const cases: Array<[string, Partial<OciSpecInput>, string[], boolean]> = [
    ['pod network, new ipc/uts', {}, ['pid', 'network=/state/netns/pod1', 'ipc', 'uts', 'mount'], true],
    ['join the pod ipc and uts', { ipcNsPath: '/proc/9/ns/ipc', utsNsPath: '/proc/9/ns/uts' }, ['pid', 'network=/state/netns/pod1', 'ipc=/proc/9/ns/ipc', 'uts=/proc/9/ns/uts', 'mount'], false],
    ['host network: no network and no uts namespace', { netnsPath: undefined }, ['pid', 'ipc', 'mount'], false],
    ['host pid and ipc', { config: container({}, { namespaceOptions: { network: 'POD', pid: 'NODE', ipc: 'NODE' } }) }, ['network=/state/netns/pod1', 'uts', 'mount'], true],
    ['sandbox options apply when the container has none', { sandbox: sandbox({ linux: { cgroupParent: '', sysctls: {}, securityContext: { supplementalGroups: [], namespaceOptions: { network: 'POD', pid: 'NODE', ipc: 'POD' } } } }) }, ['network=/state/netns/pod1', 'ipc', 'uts', 'mount'], true],
    ['shared pid namespace', { pidNsPath: '/proc/9/ns/pid' }, ['pid=/proc/9/ns/pid', 'network=/state/netns/pod1', 'ipc', 'uts', 'mount'], true],
    ['cgroup v2 adds a cgroup namespace', { cgroupV2: true }, ['pid', 'network=/state/netns/pod1', 'ipc', 'uts', 'mount', 'cgroup'], true],
  ];
  for (const [name, extra, want, hostname] of cases) {
    const spec = buildOciSpec(input(extra));
    t.same(types(spec), want, name);
    t.equal(spec.hostname !== undefined, hostname, `${name}: hostname only with an own UTS namespace`);
  }
});

t.test('security context', async (t) => {
  const ro = buildOciSpec(input({ config: container({}, { readonlyRootfs: true, noNewPrivs: true }) }));
  t.equal(ro.root.readonly, true, 'readOnlyRootFilesystem');
  t.equal(ro.process.noNewPrivileges, true, 'allowPrivilegeEscalation: false');
  t.ok(ro.mounts.filter((m) => m.destination.startsWith('/etc/')).every((m) => m.options.includes('ro')), 'pod files read-only too');

  const caps = buildOciSpec(input({ config: container({}, { capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] } }) }));
  t.same(caps.process.capabilities.bounding, ['CAP_NET_ADMIN']);

  const masked = buildOciSpec(input({ config: container({}, { maskedPaths: ['/proc/x'], readonlyPaths: ['/proc/y'] }) }));
  t.same([masked.linux.maskedPaths, masked.linux.readonlyPaths], [['/proc/x'], ['/proc/y']], 'the kubelet lists win');

  t.test('privileged', async (t) => {
    const priv = { privileged: true, capabilities: { addCapabilities: [], dropCapabilities: ['ALL'] }, seccomp: { profileType: 'RuntimeDefault' as const, localhostRef: '' } };
    const privSandbox = sandbox({ linux: { cgroupParent: '', sysctls: {}, securityContext: { supplementalGroups: [], privileged: true } } });
    const spec = buildOciSpec(input({ config: container({}, priv), sandbox: privSandbox }));
    t.equal(spec.process.capabilities.bounding.length, 41, 'every capability');
    t.same([spec.linux.maskedPaths, spec.linux.readonlyPaths], [[], []]);
    t.equal(spec.linux.seccomp, undefined, 'never filtered');
    t.same(spec.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
    t.ok(spec.mounts.find((m) => m.destination === '/sys')?.options.includes('rw'), '/sys writable');
    try {
      buildOciSpec(input({ config: container({}, priv) }));
      t.fail('privileged container in an unprivileged sandbox');
    } catch (err) {
      t.ok(isCriError(err, 'InvalidArgument'));
      t.equal((err as Error).message, 'no privileged container allowed in sandbox');
    }
  });

  t.test('seccomp', async (t) => {
    const rd = { profileType: 'RuntimeDefault' as const, localhostRef: '' };
    const spec = buildOciSpec(input({ config: container({}, { seccomp: rd }) }));
    t.equal(spec.linux.seccomp?.defaultAction, 'SCMP_ACT_ERRNO', 'RuntimeDefault');
    t.equal(buildOciSpec(input({ config: container({}, { seccomp: rd }), seccompAvailable: false })).linux.seccomp, undefined, 'not when runc lacks seccomp');
    t.equal(buildOciSpec(input({ config: container({}, { seccomp: { profileType: 'Unconfined', localhostRef: '' } }) })).linux.seccomp, undefined, 'Unconfined');
    const podLevel = sandbox({ linux: { cgroupParent: '', sysctls: {}, securityContext: { supplementalGroups: [], seccomp: rd } } });
    t.ok(buildOciSpec(input({ sandbox: podLevel })).linux.seccomp, 'the pod-level profile applies');
    t.throws(() => buildOciSpec(input({ config: container({}, { seccomp: { profileType: 'Localhost', localhostRef: 'p.json' } }) })), { message: /Localhost/ });
    const admin = buildOciSpec(input({ config: container({}, { seccomp: rd, capabilities: { addCapabilities: ['SYS_ADMIN'], dropCapabilities: [] } }) }));
    t.ok(admin.linux.seccomp?.syscalls.some((r) => r.names.includes('mount') && r.action === 'SCMP_ACT_ALLOW'), 'profile follows the capabilities');
  });
});

t.test('resources', async (t) => {
  const withResources = (r: Partial<NonNullable<NonNullable<ContainerConfig['linux']>['resources']>>, extra: Partial<OciSpecInput> = {}) =>
    buildOciSpec(
      input({
        config: container({
          linux: { resources: { cpuPeriod: 0, cpuQuota: 0, cpuShares: 0, memoryLimitInBytes: 0, oomScoreAdj: 0, cpusetCpus: '', cpusetMems: '', ...r } },
        }),
        ...extra,
      }),
    );
  const cases: Array<[string, ReturnType<typeof withResources>, unknown]> = [
    ['all zero: only devices', withResources({}), { devices: [{ allow: false, access: 'rwm' }] }],
    [
      'cpu and memory',
      withResources({ cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512, memoryLimitInBytes: 64 << 20 }),
      { devices: [{ allow: false, access: 'rwm' }], cpu: { shares: 512, quota: 50000, period: 100000 }, memory: { limit: 64 << 20 } },
    ],
    [
      'swap equals the limit when the controller exists; pids',
      withResources({ memoryLimitInBytes: 1000 }, { swapControllerAvailable: true, pidsLimit: 100 }),
      { devices: [{ allow: false, access: 'rwm' }], memory: { limit: 1000, swap: 1000 }, pids: { limit: 100 } },
    ],
    ['cpuset', withResources({ cpusetCpus: '0-1', cpusetMems: '0' }), { devices: [{ allow: false, access: 'rwm' }], cpu: { cpus: '0-1', mems: '0' } }],
  ];
  for (const [name, spec, want] of cases) t.same(spec.linux.resources, want, name);
  t.equal(withResources({ oomScoreAdj: 1000 }).process.oomScoreAdj, 1000, 'oomScoreAdj');
  t.equal(buildOciSpec(input({ pidsLimit: 0 })).linux.resources.pids, undefined, 'pids limit 0 = unset');
});

t.test('sysctls and volumes', async (t) => {
  const spec = buildOciSpec(
    input({
      sandbox: sandbox({ linux: { cgroupParent: '', sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' }, securityContext: { supplementalGroups: [] } } }),
      config: container({ mounts: [{ containerPath: '/data/sub', hostPath: '/h/sub', readonly: true }, { containerPath: '/data', hostPath: '/h/data', readonly: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' }] }),
    }),
  );
  t.same(spec.linux.sysctl, { 'net.ipv4.ip_unprivileged_port_start': '0' });
  const data = spec.mounts.findIndex((m) => m.destination === '/data');
  const sub = spec.mounts.findIndex((m) => m.destination === '/data/sub');
  t.ok(data !== -1 && data < sub, 'parent before child');
  t.same(spec.mounts[data]?.options, ['rbind', 'rslave', 'rw']);
  t.same(spec.mounts[sub]?.options, ['rbind', 'rprivate', 'ro']);
  t.equal(spec.linux.rootfsPropagation, 'rslave');
});
