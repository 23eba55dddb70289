import type { V1Container, V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { buildContainerConfig, terminationLogPath } from './container-config.js';
import { effectivePullPolicy } from './image-puller.js';
import { parseQuantity } from '../../client/quantity.js';
import { buildSandboxConfig } from './sandbox-config.js';

const pod: V1Pod = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', labels: { app: 'web' }, annotations: { note: 'x' } },
  spec: {
    nodeName: 'node-1',
    terminationGracePeriodSeconds: 45,
    containers: [
      {
        name: 'main',
        image: 'nginx:1.27',
        command: ['nginx'],
        args: ['-g', 'daemon off;'],
        workingDir: '/srv',
        ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 9090 }],
        env: [
          { name: 'PLAIN', value: 'v' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
      },
    ],
  },
};

t.test('container config: spec fields, labels, annotations, log path, termination-log mount, env, resources', async (t) => {
  const container = pod.spec!.containers[0]!;
  const hostPath = terminationLogPath('/data', 'u-1', 'main', 3);
  const envs = [
    { key: 'GREETING', value: 'hello' },
    { key: 'POD_NAME', value: 'web' },
  ];
  const mounts = [{ containerPath: '/data', hostPath: '/host/data', readonly: true }];
  const config = buildContainerConfig({
    pod,
    container: { ...container, command: ['echo', '$(GREETING)'], args: ['$(POD_NAME)', '$$(POD_NAME)', '$(MISSING)'] },
    type: 'regular',
    attempt: 3,
    terminationLogHostPath: hostPath,
    envs,
    mounts,
    securityContext: { privileged: false, noNewPrivs: true },
  });
  t.same(config.metadata, { name: 'main', attempt: 3 });
  t.same(config.command, ['echo', 'hello'], 'command expanded against the env');
  t.same(config.args, ['web', '$(POD_NAME)', '$(MISSING)'], 'args expanded; $$ escapes, unknown stays');
  t.equal(config.workingDir, '/srv');
  t.equal(config.logPath, 'main/3.log');
  t.same(config.labels, { 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'u-1', 'io.kubernetes.container.name': 'main' });
  t.match(config.annotations, {
    'io.kubernetes.container.restartCount': '3',
    'io.kubernetes.container.terminationMessagePath': '/dev/termination-log',
    'io.kubernetes.container.terminationMessagePolicy': 'File',
    'k8ts.io/container-type': 'regular',
    'io.kubernetes.pod.terminationGracePeriod': '45',
  });
  t.same(config.mounts, [{ containerPath: '/dev/termination-log', hostPath, readonly: false }, ...mounts], 'termination log first, then the volumes');
  t.equal(hostPath, '/data/pod-data/u-1/containers/main/3.termination-log');
  t.same(config.envs, envs);
  t.same(config.linux?.securityContext, { privileged: false, noNewPrivs: true });
  t.match(config.linux?.resources, { cpuPeriod: 100_000, cpuQuota: 50_000, cpuShares: 256, memoryLimitInBytes: 128 * 1024 * 1024 });
});

t.test('sandbox config: identity, hostname, log directory, labels, annotations, host ports', async (t) => {
  const config = buildSandboxConfig({ ...pod, spec: { ...pod.spec!, hostname: 'box' } }, '/data', 2);
  t.same(config.metadata, { name: 'web', uid: 'u-1', namespace: 'shop', attempt: 2 });
  t.equal(config.hostname, 'box');
  t.equal(config.logDirectory, '/data/pods/shop_web_u-1');
  t.same(config.labels, { app: 'web', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'u-1' });
  t.same(config.annotations, { note: 'x' });
  t.same(config.portMappings, [{ protocol: 'TCP', containerPort: 80, hostPort: 8080, hostIp: '' }]);
  t.equal(buildSandboxConfig(pod, '/data', 0).hostname, 'web');
});

t.test('default image pull policy', async (t) => {
  const cases: Array<[Partial<V1Container>, string]> = [
    [{ image: 'nginx' }, 'Always'],
    [{ image: 'nginx:latest' }, 'Always'],
    [{ image: 'nginx:1.27' }, 'IfNotPresent'],
    [{ image: 'localhost:5000/app' }, 'Always'],
    [{ image: 'localhost:5000/app:v1' }, 'IfNotPresent'],
    [{ image: 'nginx@sha256:abc' }, 'IfNotPresent'],
    [{ image: 'nginx', imagePullPolicy: 'Never' }, 'Never'],
  ];
  for (const [c, want] of cases) t.equal(effectivePullPolicy({ name: 'c', ...c }), want, JSON.stringify(c));
});

t.test('quantities', async (t) => {
  const cases: Array<[string | undefined, number | undefined]> = [
    ['500m', 0.5],
    ['2', 2],
    ['128Mi', 134_217_728],
    ['1G', 1e9],
    ['1e3', 1000],
    ['bogus', undefined],
    [undefined, undefined],
  ];
  for (const [q, want] of cases) t.equal(parseQuantity(q), want, String(q));
});
