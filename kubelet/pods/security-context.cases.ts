import type { V1Container, V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { buildSandboxConfig } from './sandbox-config.js';
import { podDnsConfig } from './pod-dns.js';
import {
  DEFAULT_MASKED_PATHS,
  DEFAULT_READONLY_PATHS,
  containerSecurityContext,
  effectiveSecurityContext,
  imageUser,
  namespaceOptionsForPod,
  sandboxSecurityContext,
  seccompProfileFor,
  verifyRunAsNonRoot,
} from './security-context.js';

const pod = (spec: Partial<V1Pod['spec']> = {}, container: Partial<V1Container> = {}): V1Pod => ({
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1' },
  spec: { containers: [{ name: 'main', image: 'busybox', ...container }], ...spec },
});
const main = (p: V1Pod) => p.spec!.containers[0]!;

t.test('effective security context: pod fields inherited, the container wins', async (t) => {
  const p = pod(
    { securityContext: { runAsUser: 1000, runAsGroup: 2000, runAsNonRoot: true, fsGroup: 3000, seccompProfile: { type: 'RuntimeDefault' } } },
    { securityContext: { runAsUser: 1001, readOnlyRootFilesystem: true } },
  );
  t.same(effectiveSecurityContext(p, main(p)), { runAsUser: 1001, runAsGroup: 2000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, readOnlyRootFilesystem: true });
  t.same(effectiveSecurityContext(pod(), main(pod())), {}, 'nothing set, nothing inherited');
});

t.test('namespace options', async (t) => {
  const cases: Array<[Partial<V1Pod['spec']>, object]> = [
    [{}, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }],
    [{ hostNetwork: true }, { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' }],
    [{ hostPID: true, hostIPC: true }, { network: 'POD', pid: 'NODE', ipc: 'NODE' }],
    [{ shareProcessNamespace: true }, { network: 'POD', pid: 'POD', ipc: 'POD' }],
    [{ shareProcessNamespace: true, hostPID: true }, { network: 'POD', pid: 'NODE', ipc: 'POD' }],
  ];
  for (const [spec, want] of cases) t.same(namespaceOptionsForPod(pod(spec)), want, JSON.stringify(spec));
});

t.test('container security context mapping', async (t) => {
  const p = pod(
    { securityContext: { runAsUser: 1000, fsGroup: 3000, supplementalGroups: [4000, 4001] }, shareProcessNamespace: true },
    {
      securityContext: {
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        runAsGroup: 5000,
        seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' },
      },
    },
  );
  t.same(containerSecurityContext(p, main(p), { uid: 0 }, { seccompProfileRoot: '/var/lib/k8ts/seccomp' }), {
    capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
    privileged: false,
    readonlyRootfs: true,
    namespaceOptions: { network: 'POD', pid: 'POD', ipc: 'POD' },
    supplementalGroups: [3000, 4000, 4001],
    noNewPrivs: true,
    seccomp: { profileType: 'Localhost', localhostRef: '/var/lib/k8ts/seccomp/profiles/audit.json' },
    maskedPaths: DEFAULT_MASKED_PATHS,
    readonlyPaths: DEFAULT_READONLY_PATHS,
    runAsUser: { value: 1000 },
    runAsGroup: { value: 5000 },
  });

  const cases: Array<[string, V1Pod, { uid?: number; username?: string }, object]> = [
    ['image uid when runAsUser unset', pod(), { uid: 65534 }, { runAsUser: { value: 65534 } }],
    ['image user name when runAsUser unset', pod(), { username: 'nginx' }, { runAsUsername: 'nginx' }],
    ['runAsUser wins over the image', pod({}, { securityContext: { runAsUser: 7 } }), { username: 'nginx' }, { runAsUser: { value: 7 } }],
    ['privileged', pod({}, { securityContext: { privileged: true } }), { uid: 0 }, { privileged: true, noNewPrivs: false }],
    ['allowPrivilegeEscalation true', pod({}, { securityContext: { allowPrivilegeEscalation: true } }), { uid: 0 }, { noNewPrivs: false }],
    ['unmasked /proc', pod({}, { securityContext: { procMount: 'Unmasked' } }), { uid: 0 }, { maskedPaths: [], readonlyPaths: [] }],
    ['no seccomp set: Unconfined', pod(), { uid: 0 }, { seccomp: { profileType: 'Unconfined', localhostRef: '' } }],
    ['pod seccomp inherited', pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }), { uid: 0 }, { seccomp: { profileType: 'RuntimeDefault', localhostRef: '' } }],
  ];
  for (const [name, p2, image, want] of cases) t.match(containerSecurityContext(p2, main(p2), image), want, name);
  const withUser = pod({}, { securityContext: { runAsUser: 7 } });
  t.notOk('runAsUsername' in containerSecurityContext(withUser, main(withUser), { username: 'nginx' }), 'no username with runAsUser');
  t.same(seccompProfileFor(pod(), main(pod()), { seccompDefault: true }), { profileType: 'RuntimeDefault', localhostRef: '' }, 'seccompDefault');
  const containerWins = pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, { securityContext: { seccompProfile: { type: 'Unconfined' } } });
  t.same(seccompProfileFor(containerWins, main(containerWins)), { profileType: 'Unconfined', localhostRef: '' }, 'container profile wins');
});

t.test('runAsNonRoot verification (kube verifyRunAsNonRoot)', async (t) => {
  const where = '(pod: "web_shop(u-1)", container: main)';
  const nonRoot = { securityContext: { runAsNonRoot: true } };
  const cases: Array<[string, V1Pod, Parameters<typeof imageUser>[0], string | undefined]> = [
    ['not asked', pod(), undefined, undefined],
    ['runAsNonRoot false', pod({ securityContext: { runAsNonRoot: false } }), undefined, undefined],
    ['image without USER is root', pod(nonRoot), undefined, `container has runAsNonRoot and image will run as root ${where}`],
    ['image uid 0', pod(nonRoot), { uid: { value: 0 } }, `container has runAsNonRoot and image will run as root ${where}`],
    ['image uid 1000', pod(nonRoot), { uid: { value: 1000 } }, undefined],
    ['image user name', pod(nonRoot), { username: 'nginx' }, `container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root ${where}`],
    ['runAsUser 0', pod({ securityContext: { runAsNonRoot: true, runAsUser: 0 } }), { uid: { value: 1000 } }, `container's runAsUser breaks non-root policy ${where}`],
    ['runAsUser 1000 over a root image', pod({ securityContext: { runAsNonRoot: true, runAsUser: 1000 } }), undefined, undefined],
    ['container-level runAsNonRoot', pod({}, { securityContext: { runAsNonRoot: true } }), undefined, `container has runAsNonRoot and image will run as root ${where}`],
    ['container turns it off', pod(nonRoot, { securityContext: { runAsNonRoot: false } }), undefined, undefined],
    ['container runAsUser over pod runAsNonRoot', pod(nonRoot, { securityContext: { runAsUser: 5 } }), { username: 'nginx' }, undefined],
  ];
  for (const [name, p, image, want] of cases) t.equal(verifyRunAsNonRoot(p, main(p), imageUser(image)), want, name);
});

t.test('sandbox config: Linux security context, sysctls, DNS', async (t) => {
  const p = pod(
    {
      hostNetwork: true,
      securityContext: { runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000], sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
      initContainers: [{ name: 'init', securityContext: { privileged: true } }],
    },
  );
  t.same(sandboxSecurityContext(p), {
    namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' },
    runAsUser: { value: 1000 },
    runAsGroup: { value: 2000 },
    supplementalGroups: [3000, 4000],
    privileged: true,
    seccomp: { profileType: 'RuntimeDefault', localhostRef: '' },
  });
  const config = buildSandboxConfig(p, '/data', 0);
  t.same(config.linux?.sysctls, { 'net.core.somaxconn': '1024' });
  t.equal(config.linux?.securityContext?.privileged, true);
  t.equal(config.dnsConfig, undefined, 'no cluster DNS, no pod dnsConfig: the runtime uses the host resolvers');
  t.same(buildSandboxConfig(pod(), '/data', 0).linux?.securityContext, {
    namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
    supplementalGroups: [],
    privileged: false,
    seccomp: { profileType: 'RuntimeDefault', localhostRef: '' },
  });
});

t.test('pod DNS config by policy', async (t) => {
  const host = { servers: ['1.1.1.1'], searches: ['corp.example'], options: ['ndots:1', 'edns0'] };
  const podConfig = { nameservers: ['9.9.9.9', '1.1.1.1'], searches: ['extra.example'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] };
  const cases: Array<[string, Partial<V1Pod['spec']>, Parameters<typeof podDnsConfig>[1], object | undefined]> = [
    ['ClusterFirst without cluster DNS, nothing known: runtime default', {}, {}, undefined],
    ['ClusterFirst without cluster DNS falls back to the host', {}, { hostDNS: host }, host],
    [
      'ClusterFirst with cluster DNS',
      {},
      { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostDNS: host },
      { servers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'], options: ['ndots:5'] },
    ],
    ['ClusterFirst on hostNetwork uses the host', { hostNetwork: true }, { clusterDNS: ['10.96.0.10'], hostDNS: host }, host],
    [
      'ClusterFirstWithHostNet uses cluster DNS',
      { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' },
      { clusterDNS: ['10.96.0.10'] },
      { servers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    ],
    ['Default uses the host', { dnsPolicy: 'Default' }, { clusterDNS: ['10.96.0.10'], hostDNS: host }, host],
    ['None: only the pod dnsConfig', { dnsPolicy: 'None', dnsConfig: podConfig }, { hostDNS: host }, { servers: ['9.9.9.9', '1.1.1.1'], searches: ['extra.example'], options: ['ndots:2', 'rotate'] }],
    [
      'Default + pod dnsConfig: appended, options merged by name',
      { dnsPolicy: 'Default', dnsConfig: podConfig },
      { hostDNS: host },
      { servers: ['1.1.1.1', '9.9.9.9'], searches: ['corp.example', 'extra.example'], options: ['ndots:2', 'edns0', 'rotate'] },
    ],
  ];
  for (const [name, spec, settings, want] of cases) t.same(podDnsConfig(pod(spec), settings), want, name);
});
