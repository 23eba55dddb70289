import type { V1ConfigMap, V1Container, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';
import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import { FakeCluster } from '../../controllers/common/testing/fake-cluster.js';
import { makeEnvironmentVariables as makeEnv, NotFoundError, type EnvContext, type EnvSources } from './container-env.js';
import { containerResourceValue, podFieldValue } from './downward-api.js';
import { clientEnvSources } from './env-sources.js';
import { serviceEnvVars, servicesForPod } from './service-env.js';

/** the env of the pod's first container */
const makeEnvironmentVariables = (p: V1Pod, c: EnvContext, s: EnvSources) => makeEnv(p, p.spec!.containers[0]!, c, s);

const b64 = (s: string) => Buffer.from(s).toString('base64');

const pod = (container: Partial<V1Container>, extra: Partial<V1Pod['spec']> = {}): V1Pod => ({
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'say "hi"' } },
  spec: { nodeName: 'node-1', serviceAccountName: 'robot', containers: [{ name: 'main', ...container }], ...extra },
});

function stubSources(opts: { configMaps?: V1ConfigMap[]; secrets?: V1Secret[]; serviceEnv?: Map<string, string> } = {}): EnvSources & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getConfigMap(ns, name) {
      calls.push(`cm ${ns}/${name}`);
      const found = opts.configMaps?.find((c) => c.metadata?.name === name);
      if (!found) throw new NotFoundError('configmap', name);
      return found;
    },
    async getSecret(ns, name) {
      calls.push(`secret ${ns}/${name}`);
      const found = opts.secrets?.find((c) => c.metadata?.name === name);
      if (!found) throw new NotFoundError('secret', name);
      return found;
    },
    async serviceEnv() {
      return opts.serviceEnv ?? new Map();
    },
  };
}

const ctx = (warnings: string[] = []): EnvContext => ({ podIPs: ['10.1.0.5', 'fd00::5'], hostIPs: ['192.168.1.1'], warn: (reason, message) => warnings.push(`${reason}: ${message}`) });

const config: V1ConfigMap = { metadata: { name: 'cfg' }, data: { MODE: 'fast', LEVEL: '3', 'bad key': 'x', '1NUM': 'y' } };
const secret: V1Secret = { metadata: { name: 'creds' }, data: { PASSWORD: b64('s3cret'), TOKEN: b64('tok') } };

t.test('env: literals, $(VAR) against earlier entries, envFrom, overrides, valueFrom sources, service env', async (t) => {
  const warnings: string[] = [];
  const sources = stubSources({ configMaps: [config], secrets: [secret], serviceEnv: new Map([['KUBERNETES_SERVICE_HOST', '10.96.0.1'], ['MODE', 'from-service']]) });
  const envs = await makeEnvironmentVariables(
    pod({
      envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'creds' }, prefix: 'S_' }],
      env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: '$(A)-$(MODE)-$(LATER)-$$(A)-$(KUBERNETES_SERVICE_HOST)' },
        { name: 'LATER', value: 'late' },
        { name: 'LEVEL', value: 'override' },
        { name: 'EMPTY', value: '' },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
        { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
        { name: 'NOT_EXPANDED', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
      ],
    }),
    ctx(warnings),
    sources,
  );
  const map = Object.fromEntries(envs.map((e) => [e.key, e.value]));
  t.same(map, {
    MODE: 'fast',
    LEVEL: 'override',
    S_PASSWORD: 's3cret',
    S_TOKEN: 'tok',
    A: 'a',
    B: 'a-fast-$(LATER)-$(A)-10.96.0.1',
    LATER: 'late',
    EMPTY: '',
    POD: 'web',
    FROM_CM: 'fast',
    FROM_SECRET: 's3cret',
    NOT_EXPANDED: 'fast',
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
  });
  t.same(envs.map((e) => e.key).slice(0, 4), ['MODE', 'LEVEL', 'S_PASSWORD', 'S_TOKEN'], 'order of first definition; an override keeps its place');
  t.same(warnings, ['InvalidEnvironmentVariableNames: Keys [1NUM, bad key] from the EnvFrom configMap shop/cfg were skipped since they are considered invalid environment variable names.']);
  t.same(sources.calls, ['cm shop/cfg', 'secret shop/creds'], 'each object read once per container');
});

t.test('env: missing objects and keys — errors with kube messages unless optional', async (t) => {
  const sources = () => stubSources({ configMaps: [config], secrets: [secret] });
  const cases: Array<[string, Partial<V1Container>, string | Record<string, string>]> = [
    ['missing configMap', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, 'configmap "nope" not found'],
    ['missing configMap key', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, "couldn't find key k in ConfigMap shop/cfg"],
    ['missing secret', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, 'secret "nope" not found'],
    ['missing secret key', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }] }, "couldn't find key k in Secret shop/creds"],
    ['missing envFrom configMap', { envFrom: [{ configMapRef: { name: 'nope' } }] }, 'configmap "nope" not found'],
    ['missing envFrom secret', { envFrom: [{ secretRef: { name: 'nope' } }] }, 'secret "nope" not found'],
    ['unsupported fieldPath', { env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] }, 'unsupported fieldPath: spec.bogus'],
    [
      'optional ones are skipped',
      {
        envFrom: [{ configMapRef: { name: 'nope', optional: true } }, { secretRef: { name: 'nope', optional: true } }],
        env: [
          { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
          { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } },
          { name: 'C', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } },
          { name: 'D', valueFrom: { secretKeyRef: { name: 'creds', key: 'k', optional: true } } },
          { name: 'E', value: 'e' },
        ],
      },
      { E: 'e' },
    ],
  ];
  for (const [name, container, want] of cases) {
    const result = makeEnvironmentVariables(pod(container), ctx(), sources());
    if (typeof want === 'string') await t.rejects(result, { message: want }, name);
    else t.same(Object.fromEntries((await result).map((e) => [e.key, e.value])), want, name);
  }
});

t.test('downward API field values', async (t) => {
  const p = pod({});
  const net = { podIPs: ['10.1.0.5', 'fd00::5'], hostIPs: ['192.168.1.1', 'fd00::1'] };
  const cases: Array<[string, string]> = [
    ['metadata.name', 'web'],
    ['metadata.namespace', 'shop'],
    ['metadata.uid', 'u-1'],
    ["metadata.labels['app']", 'web'],
    ["metadata.labels['missing']", ''],
    ["metadata.annotations['note']", 'say "hi"'],
    ['metadata.labels', 'app="web"\ntier="front"'],
    ['metadata.annotations', 'note="say \\"hi\\""'],
    ['spec.nodeName', 'node-1'],
    ['spec.serviceAccountName', 'robot'],
    ['status.podIP', '10.1.0.5'],
    ['status.podIPs', '10.1.0.5,fd00::5'],
    ['status.hostIP', '192.168.1.1'],
    ['status.hostIPs', '192.168.1.1,fd00::1'],
  ];
  for (const [path, want] of cases) t.equal(podFieldValue(p, path, net), want, path);
  t.throws(() => podFieldValue(p, 'status.phase', net), { message: 'unsupported fieldPath: status.phase' });
});

t.test('resourceFieldRef values with divisors and defaults', async (t) => {
  const container: V1Container = { name: 'c', resources: { limits: { cpu: '1500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi', 'ephemeral-storage': '1Gi' } } };
  const bare: V1Container = { name: 'b', resources: { requests: { cpu: '100m' } } };
  const cases: Array<[V1Container, string, string | undefined, Record<string, string> | undefined, string]> = [
    [container, 'limits.cpu', undefined, undefined, '2'],
    [container, 'limits.cpu', '1m', undefined, '1500'],
    [container, 'requests.cpu', '1m', undefined, '250'],
    [container, 'requests.cpu', undefined, undefined, '1'],
    [container, 'limits.memory', undefined, undefined, String(128 * 1024 * 1024)],
    [container, 'limits.memory', '1Mi', undefined, '128'],
    [container, 'requests.memory', '1Mi', undefined, '64'],
    [container, 'requests.ephemeral-storage', '1Mi', undefined, '1024'],
    [container, 'limits.memory', '1M', undefined, '135'],
    [bare, 'limits.cpu', '1m', { cpu: '4' }, '4000'],
    [bare, 'limits.cpu', '1m', undefined, '100'],
    [bare, 'limits.memory', undefined, { memory: '1Gi' }, String(2 ** 30)],
    [bare, 'limits.memory', undefined, undefined, '0'],
    [bare, 'requests.memory', undefined, undefined, '0'],
    [{ name: 'l', resources: { limits: { memory: '1Gi' } } }, 'requests.memory', '1Gi', undefined, '1'],
  ];
  for (const [c, resource, divisor, allocatable, want] of cases) {
    t.equal(containerResourceValue({ resource, ...(divisor ? { divisor } : {}) }, c, allocatable), want, `${c.name} ${resource} / ${divisor ?? 1}`);
  }
  t.throws(() => containerResourceValue({ resource: 'limits.gpu' }, container), { message: 'unsupported container resource : limits.gpu' });
  const other = await makeEnvironmentVariables(
    { metadata: { name: 'p', namespace: 'n' }, spec: { containers: [{ name: 'main', env: [{ name: 'M', valueFrom: { resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } } }] }, container] } },
    ctx(),
    stubSources(),
  );
  t.same(other, [{ key: 'M', value: '128' }], "another container's resources by containerName");
});

t.test('service env vars like kube envvars.FromServices', async (t) => {
  const kubernetes: V1Service = { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } };
  const web: V1Service = { metadata: { name: 'my-web', namespace: 'shop' }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 80 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }] } };
  const headless: V1Service = { metadata: { name: 'headless', namespace: 'shop' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } };
  t.same(Object.fromEntries(serviceEnvVars([kubernetes])), {
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
  });
  t.same(Object.fromEntries(serviceEnvVars([web, headless])), {
    MY_WEB_SERVICE_HOST: '10.96.0.9',
    MY_WEB_SERVICE_PORT: '80',
    MY_WEB_SERVICE_PORT_DNS_UDP: '53',
    MY_WEB_PORT: 'tcp://10.96.0.9:80',
    MY_WEB_PORT_80_TCP: 'tcp://10.96.0.9:80',
    MY_WEB_PORT_80_TCP_PROTO: 'tcp',
    MY_WEB_PORT_80_TCP_PORT: '80',
    MY_WEB_PORT_80_TCP_ADDR: '10.96.0.9',
    MY_WEB_PORT_53_UDP: 'udp://10.96.0.9:53',
    MY_WEB_PORT_53_UDP_PROTO: 'udp',
    MY_WEB_PORT_53_UDP_PORT: '53',
    MY_WEB_PORT_53_UDP_ADDR: '10.96.0.9',
  });
  const other: V1Service = { metadata: { name: 'other', namespace: 'default' }, spec: { clusterIP: '10.96.0.3' } };
  t.same(servicesForPod(true, [web], [kubernetes, other]).map((s) => s.metadata?.name), ['my-web', 'kubernetes'], 'own namespace + the master service only');
  t.same(servicesForPod(false, [web], [kubernetes, other]).map((s) => s.metadata?.name), ['kubernetes'], 'enableServiceLinks false: the master service only');
});

t.test('client env sources: NotFound wording, service cache', async (t) => {
  const fake = new FakeCluster();
  const clock = new FakeClock(1_000_000);
  fake.seed(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { A: '1' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: '10.96.0.7', ports: [{ port: 5432 }] } },
  );
  const sources = clientEnvSources(fake.client, clock, 5_000);
  t.same((await sources.getConfigMap('shop', 'cfg')).data, { A: '1' });
  await t.rejects(sources.getConfigMap('shop', 'nope'), new NotFoundError('configmap', 'nope'));
  await t.rejects(sources.getSecret('shop', 'nope'), { message: 'secret "nope" not found', name: 'NotFoundError' });
  const first = await sources.serviceEnv('shop', true);
  t.equal(first.get('DB_SERVICE_HOST'), '10.96.0.7');
  t.equal(first.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  t.equal((await sources.serviceEnv('shop', false)).get('DB_SERVICE_HOST'), undefined, 'service links off');
  fake.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'cache', namespace: 'shop' }, spec: { clusterIP: '10.96.0.8', ports: [{ port: 6379 }] } });
  t.equal((await sources.serviceEnv('shop', true)).get('CACHE_SERVICE_HOST'), undefined, 'cached within the TTL');
  await clock.advance(5_001);
  t.equal((await sources.serviceEnv('shop', true)).get('CACHE_SERVICE_HOST'), '10.96.0.8', 'refreshed after it');
});
