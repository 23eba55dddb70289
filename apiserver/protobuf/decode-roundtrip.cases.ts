/**
 * Round trips through our own encoder: the JSON conversion rules (omitempty vs pointer
 * fields, int64, bytes, Time, IntOrString, Quantity, inline structs) per field kind.
 */
import t from 'tap';
import { decodeProtobufBody } from './decode.js';
import { encodeBody } from './encode-for-tests.js';
import { SUPPORTED_KINDS } from './schema/index.js';

const roundTrip = (apiVersion: string, kind: string, fields: Record<string, unknown>) =>
  decodeProtobufBody(encodeBody(apiVersion, kind, fields)).object;

// metadata fields whose protobuf and JSON forms are the same
const META = {
  name: 'a',
  generateName: 'a-',
  namespace: 'ns',
  uid: 'u-1',
  resourceVersion: '42',
  generation: 9007199254740991,
  deletionGracePeriodSeconds: 0,
  labels: { app: 'web' },
  annotations: { note: 'x' },
  ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-2', controller: false, blockOwnerDeletion: true }],
  finalizers: ['example.com/f'],
};

// deployment parts whose protobuf and JSON forms are the same
const SELECTOR = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }] };
const CONTAINER = { name: 'c', image: 'img', args: ['--v=2'] };
const POD = { restartPolicy: 'Always', terminationGracePeriodSeconds: 0, tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }] };
const deployment = (container: object, volumes: object[], strategy: object, extra: object = {}) => ({
  metadata: { name: 'd' },
  spec: {
    replicas: 0,
    selector: SELECTOR,
    template: { metadata: { labels: { tier: 'a' } }, spec: { volumes, containers: [{ ...CONTAINER, ...container }], ...POD } },
    strategy,
    revisionHistoryLimit: 10,
    ...extra,
  },
});

// [title, apiVersion, kind, protobuf fields, expected JSON object without apiVersion/kind (default: the fields)]
const CASES: Array<[string, string, string, Record<string, unknown>, Record<string, unknown>?]> = [
  [
    'object meta: every field kubectl may send',
    'v1',
    'ConfigMap',
    { metadata: { ...META, creationTimestamp: { seconds: 1704164645 } } },
    { metadata: { ...META, creationTimestamp: '2024-01-02T03:04:05Z' } },
  ],
  [
    'empty strings and zero numbers are dropped like omitempty; an empty Time is null',
    'v1',
    'ConfigMap',
    { metadata: { name: '', namespace: '', generation: 0, creationTimestamp: {} }, data: {} },
    { metadata: { creationTimestamp: null } },
  ],
  [
    'configmap binaryData is base64; immutable: false is kept (a pointer in Go)',
    'v1',
    'ConfigMap',
    { metadata: { name: 'b' }, binaryData: { blob: Buffer.from([0, 1, 254, 255]) }, data: { k: '' }, immutable: false },
    { metadata: { name: 'b' }, data: { k: '' }, binaryData: { blob: 'AAH+/w==' }, immutable: false },
  ],
  [
    'map keys that are Object.prototype names stay plain keys',
    'v1',
    'ConfigMap',
    { data: { ['__proto__']: 'x', constructor: 'y' }, binaryData: { ['__proto__']: Buffer.from('z') } },
    { data: { ['__proto__']: 'x', constructor: 'y' }, binaryData: { ['__proto__']: 'eg==' } },
  ],
  [
    'secret data, stringData and type',
    'v1',
    'Secret',
    { metadata: { name: 's' }, data: { k: Buffer.from('v') }, stringData: { p: 'plain' }, type: 'Opaque', immutable: true },
    { metadata: { name: 's' }, data: { k: 'dg==' }, type: 'Opaque', stringData: { p: 'plain' }, immutable: true },
  ],
  [
    'deployment: pointer ints keep zero, IntOrString as int or string, strategy',
    'apps/v1',
    'Deployment',
    deployment(
      {
        env: [
          { name: 'E', value: '' },
          { name: 'F', valueFrom: { secretKeyRef: { localObjectReference: { name: 'sec' }, key: 'k' } } },
        ],
        resources: { limits: { cpu: { string: '500m' } }, requests: { memory: { string: '64Mi' } } },
        volumeMounts: [{ name: 'v', mountPath: '/data', readOnly: true }],
        readinessProbe: { handler: { httpGet: { path: '/ready', port: { type: 1, strVal: 'http' } } }, periodSeconds: 5 },
        securityContext: { runAsNonRoot: true, runAsUser: 1000 },
      },
      [{ name: 'v', volumeSource: { configMap: { localObjectReference: { name: 'cm' }, defaultMode: 420 } } }],
      { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: { type: 0, intVal: 0 }, maxSurge: { type: 1, strVal: '25%' } } },
      { paused: false },
    ),
    deployment(
      {
        env: [{ name: 'E' }, { name: 'F', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }],
        resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
        volumeMounts: [{ name: 'v', readOnly: true, mountPath: '/data' }],
        readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
        securityContext: { runAsUser: 1000, runAsNonRoot: true },
      },
      [{ name: 'v', configMap: { name: 'cm', defaultMode: 420 } }],
      { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
    ),
  ],
  [
    'job: pointer fields keep false and zero',
    'batch/v1',
    'Job',
    { metadata: { name: 'j' }, spec: { parallelism: 1, backoffLimit: 0, suspend: false, ttlSecondsAfterFinished: 100, activeDeadlineSeconds: 60 } },
    { metadata: { name: 'j' }, spec: { parallelism: 1, activeDeadlineSeconds: 60, backoffLimit: 0, ttlSecondsAfterFinished: 100, suspend: false } },
  ],
  [
    'cronjob: timeZone, history limits, concurrencyPolicy',
    'batch/v1',
    'CronJob',
    { metadata: { name: 'c' }, spec: { schedule: '@hourly', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 0, jobTemplate: {} } },
    { metadata: { name: 'c' }, spec: { schedule: '@hourly', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', jobTemplate: {}, successfulJobsHistoryLimit: 0 } },
  ],
  [
    'priority class: value 0 is kept (no omitempty), globalDefault false is dropped',
    'scheduling.k8s.io/v1',
    'PriorityClass',
    { metadata: { name: 'p' }, value: 0, globalDefault: false },
    { metadata: { name: 'p' }, value: 0 },
  ],
  [
    'pdb: maxUnavailable as an int',
    'policy/v1',
    'PodDisruptionBudget',
    { metadata: { name: 'p' }, spec: { maxUnavailable: { type: 0, intVal: 1 }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
    { metadata: { name: 'p' }, spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
  ],
  [
    'ingress: a resource backend',
    'networking.k8s.io/v1',
    'Ingress',
    { metadata: { name: 'i' }, spec: { defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'b' } } } },
  ],
  [
    'service: clusterIPs, ipFamilies, pointer strings',
    'v1',
    'Service',
    {
      metadata: { name: 's' },
      spec: {
        ports: [{ port: 53, protocol: 'UDP', targetPort: { type: 0, intVal: 0 } }],
        clusterIP: 'None',
        clusterIPs: ['None'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      },
    },
    {
      metadata: { name: 's' },
      spec: {
        ports: [{ protocol: 'UDP', port: 53, targetPort: 0 }],
        clusterIP: 'None',
        clusterIPs: ['None'],
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      },
    },
  ],
  [
    'quota: a scope selector',
    'v1',
    'ResourceQuota',
    { metadata: { name: 'q' }, spec: { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } } },
  ],
  [
    'token request: a bound object and zero expiration kept',
    'authentication.k8s.io/v1',
    'TokenRequest',
    { spec: { audiences: ['a', 'b'], expirationSeconds: 0, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' } } },
  ],
  [
    'access review: subresource, name and selectors',
    'authorization.k8s.io/v1',
    'SelfSubjectAccessReview',
    {
      spec: {
        resourceAttributes: {
          verb: 'get',
          resource: 'pods',
          subresource: 'log',
          name: 'p',
          labelSelector: { rawSelector: 'a=b' },
          fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n'] }] },
        },
      },
    },
  ],
  [
    'managed fields: fieldsV1 is inline JSON',
    'v1',
    'ServiceAccount',
    {
      metadata: {
        name: 'sa',
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: { seconds: 0 }, fieldsType: 'FieldsV1', fieldsV1: { Raw: Buffer.from('{"f:metadata":{}}') } }],
      },
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'reg' }],
    },
    {
      metadata: {
        name: 'sa',
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '1970-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
      },
      imagePullSecrets: [{ name: 'reg' }],
      automountServiceAccountToken: false,
    },
  ],
];

t.test('round trips', async (t) => {
  for (const [title, apiVersion, kind, fields, expected = fields] of CASES) {
    t.strictSame(roundTrip(apiVersion, kind, fields), { apiVersion, kind, ...expected }, title);
  }
});

t.test('every supported kind decodes from an empty message to just its type', async (t) => {
  t.equal(SUPPORTED_KINDS.length, 20);
  for (const [apiVersion, kind] of SUPPORTED_KINDS) {
    const decoded = decodeProtobufBody(encodeBody(apiVersion, kind, {}));
    t.strictSame(decoded, { apiVersion, kind, object: { apiVersion, kind } }, `${apiVersion} ${kind}`);
  }
});

t.test('a "__proto__" map key is an own property, not a prototype change', async (t) => {
  const { data } = roundTrip('v1', 'ConfigMap', { data: { ['__proto__']: 'x' } }) as { data: Record<string, unknown> };
  t.ok(Object.hasOwn(data, '__proto__'));
  t.equal(JSON.stringify(data), '{"__proto__":"x"}');
  t.equal(Object.getPrototypeOf(data), Object.prototype);
});
