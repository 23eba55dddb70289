/**
 * decodeProtobufBody on bodies recorded from kubectl 1.33: each must give the object
 * kubectl ≤1.31 would have sent as JSON for the same command.
 */
import t from 'tap';
import { decodeProtobufBody } from './decode.js';
import { KUBECTL_133_BODIES } from './kubectl-fixtures.js';

const meta = (name?: string, labels?: Record<string, string>) => ({
  ...(name !== undefined ? { name } : {}),
  creationTimestamp: null,
  ...(labels ? { labels } : {}),
});

// fixture name → the JSON object kubectl sends for it without protobuf
const EXPECTED: Record<string, Record<string, unknown>> = {
  configmap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cm1'), data: { a: 'b', c: 'd' } },
  'secret-generic': {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('s1'),
    data: { user: Buffer.from('admin').toString('base64') },
    type: 'Opaque',
  },
  namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('ns1'), spec: {}, status: {} },
  serviceaccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('sa1') },
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web', { app: 'web' }),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: meta(undefined, { app: 'web' }),
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.27', command: ['nginx', '-g', 'daemon off;'], ports: [{ containerPort: 80 }], resources: {} },
          ],
        },
      },
      strategy: {},
    },
    status: {},
  },
  'service-nodeport': {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('svc2', { app: 'svc2' }),
    spec: {
      ports: [{ name: '443-https', protocol: 'TCP', port: 443, targetPort: 'https', nodePort: 30080 }],
      selector: { app: 'svc2' },
      type: 'NodePort',
    },
    status: {},
  },
  'service-externalname': {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('svc4', { app: 'svc4' }),
    spec: { selector: { app: 'svc4' }, type: 'ExternalName', externalName: 'example.com' },
    status: {},
  },
  cronjob: {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('cj1'),
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        metadata: meta('cj1'),
        spec: {
          template: {
            metadata: meta(),
            spec: { containers: [{ name: 'cj1', image: 'busybox', command: ['date'], resources: {} }], restartPolicy: 'OnFailure' },
          },
        },
      },
    },
    status: {},
  },
  rolebinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('rb1'),
    subjects: [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' },
      { kind: 'ServiceAccount', name: 'sa1', namespace: 'default' },
    ],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r1' },
  },
  'clusterrole-aggregated': {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta('cr2'),
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] },
  },
  quota: {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('q1'),
    spec: { hard: { cpu: '1', memory: '1Gi', pods: '2' }, scopes: ['BestEffort'] },
    status: {},
  },
  priorityclass: {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: meta('pc1'),
    value: 1000,
    description: 'high',
    preemptionPolicy: 'Never',
  },
  pdb: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta('pdb1'),
    spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } },
    status: {},
  },
  ingress: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta('ing1'),
    spec: {
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'svc2', port: { name: 'http' } } },
      tls: [{ hosts: ['foo.com'], secretName: 'sec1' }],
      rules: [
        {
          host: 'foo.com',
          http: { paths: [{ path: '/bar', pathType: 'Prefix', backend: { service: { name: 'svc1', port: { number: 80 } } } }] },
        },
      ],
    },
    status: {},
  },
  token: {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: meta(),
    spec: { audiences: ['api'], expirationSeconds: 3600 },
    status: {},
  },
  'can-i': {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: meta(),
    spec: { resourceAttributes: { namespace: 'kube-system', verb: 'list', group: 'apps', resource: 'deployments' } },
    status: {},
  },
  'can-i-nonresource': {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: meta(),
    spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } },
    status: {},
  },
  'can-i-list': {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectRulesReview',
    metadata: meta(),
    spec: { namespace: 'default' },
    status: {},
  },
  whoami: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: meta(), status: {} },
};

const decodeFixture = (name: string) => {
  const fixture = KUBECTL_133_BODIES[name];
  if (!fixture) throw new Error(`no fixture ${name}`);
  return decodeProtobufBody(Buffer.from(fixture.body, 'base64'));
};

t.test('kubectl bodies decode to the JSON kubectl would send', async (t) => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const decoded = decodeFixture(name);
    t.strictSame(decoded.object, expected, name);
    t.equal(decoded.apiVersion, expected.apiVersion, `${name} apiVersion`);
    t.equal(decoded.kind, expected.kind, `${name} kind`);
  }
});

t.test('every recorded body decodes, and its kind fits the URL it was posted to', async (t) => {
  // plural resource in the URL → kind in the envelope
  const kindOfResource: Record<string, string> = {
    configmaps: 'ConfigMap', secrets: 'Secret', namespaces: 'Namespace', serviceaccounts: 'ServiceAccount',
    deployments: 'Deployment', services: 'Service', jobs: 'Job', cronjobs: 'CronJob', roles: 'Role',
    rolebindings: 'RoleBinding', clusterroles: 'ClusterRole', clusterrolebindings: 'ClusterRoleBinding',
    resourcequotas: 'ResourceQuota', priorityclasses: 'PriorityClass', poddisruptionbudgets: 'PodDisruptionBudget',
    ingresses: 'Ingress', token: 'TokenRequest', selfsubjectaccessreviews: 'SelfSubjectAccessReview',
    selfsubjectrulesreviews: 'SelfSubjectRulesReview', selfsubjectreviews: 'SelfSubjectReview',
  };
  for (const [name, { url }] of Object.entries(KUBECTL_133_BODIES)) {
    const resource = new URL(url, 'http://x').pathname.split('/').at(-1) ?? '';
    t.equal(decodeFixture(name).kind, kindOfResource[resource], `${name}: ${url}`);
  }
});

t.test('secrets: bytes become base64, the TLS pair keeps its PEM text', async (t) => {
  const tls = decodeFixture('secret-tls').object as { type: string; data: Record<string, string> };
  t.equal(tls.type, 'kubernetes.io/tls');
  t.match(Buffer.from(tls.data['tls.crt'] ?? '', 'base64').toString(), /^-----BEGIN CERTIFICATE-----\n/);
  t.match(Buffer.from(tls.data['tls.key'] ?? '', 'base64').toString(), /^-----BEGIN PRIVATE KEY-----\n/);
  const registry = decodeFixture('secret-docker-registry').object as { type: string; data: Record<string, string> };
  t.equal(registry.type, 'kubernetes.io/dockerconfigjson');
  t.strictSame(JSON.parse(Buffer.from(registry.data['.dockerconfigjson'] ?? '', 'base64').toString()), {
    auths: { 'r.example.com': { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64') } },
  });
});

t.test('services: a numeric targetPort is a number', async (t) => {
  const clusterIP = decodeFixture('service-clusterip').object as { spec: { ports: unknown[] } };
  t.strictSame(clusterIP.spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
});

t.test('create job --from=cronjob: kubectl re-encodes a full pod template, every field survives', async (t) => {
  const fixture = KUBECTL_133_BODIES['job-from-cronjob'];
  const served = fixture?.json as { template: { metadata: Record<string, unknown> } } | undefined;
  if (!fixture || !served) return t.fail('no job-from-cronjob fixture');
  const decoded = decodeFixture('job-from-cronjob').object as { spec: unknown };
  // Go writes a zero creationTimestamp as null; the served object had none
  const expected = { ...served, template: { ...served.template, metadata: { ...served.template.metadata, creationTimestamp: null } } };
  t.strictSame(decoded.spec, expected);
});
