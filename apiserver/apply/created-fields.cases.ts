/**
 * The one-pass create path (created-fields.ts) against the compare-based slow path it
 * replaces: for every object here both must write byte-for-byte the same managedFields, and
 * the cases the fast path refuses must still come out the same (through the slow path).
 */
import t from 'tap';
import { createdFieldsV1, NOT_FAST } from './created-fields.js';
import { FieldSet } from './field-set.js';
import type { JsonObject } from './json-value.js';
import { managedFieldsAfter, slowUpdateManagedFields, updateManagedFields, type UpdateRequest, type WriteContext } from './managed-fields.js';
import { fieldPath } from './path-element.js';
import { ApplySchema } from './schema-node.js';
import type { SchemaLookup, SchemaObject } from '../schema/schema-registry.js';
import { contextFor, deployments, pods, registry, stored } from './test-fixtures.js';
import { zeroObject } from './zero-object.js';

const services = () => contextFor({ group: '', version: 'v1', kind: 'Service' });
const configMaps = () => contextFor({ group: '', version: 'v1', kind: 'ConfigMap' });
const nodes = () => contextFor({ group: '', version: 'v1', kind: 'Node' });

// an unstructured kind (no schema beyond metadata) and a CRD-like structural schema whose
// spec is inline (no $ref), so its zero value is null
const untypedId = registry.addUnstructuredKind({ group: 'example.io', version: 'v1', kind: 'Gadget' });
const untyped = (): WriteContext => ({ schema: new ApplySchema(registry, untypedId), schemas: registry, apiVersion: 'example.io/v1', now: new Date('2026-11-24T08:00:00Z') });

const crdSchema: SchemaObject = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] },
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' }, name: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port'] },
        args: { type: 'array', items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
} as SchemaObject;
const crdLookup: SchemaLookup = { get: (id) => (id === 'io.example.v1.Widget' ? crdSchema : registry.get(id)) };
const crd = (ignored?: FieldSet): WriteContext => ({
  schema: new ApplySchema(crdLookup, 'io.example.v1.Widget'),
  schemas: crdLookup,
  apiVersion: 'example.io/v1',
  now: new Date('2026-11-24T08:00:00Z'),
  ...(ignored ? { ignored } : {}),
});

const meta = { name: 'x', namespace: 'default', uid: 'u1', resourceVersion: '1', creationTimestamp: '2026-11-24T07:00:00Z', generation: 1 };
const container = (name: string, extra: JsonObject = {}): JsonObject => ({ name, image: `${name}:1`, ...extra });

type Case = [name: string, ctx: () => WriteContext, object: JsonObject, fast?: boolean];

const cases: Case[] = [
  ['configmap with data, labels and annotations', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, labels: { a: '1', b: '2' }, annotations: { 'x/y': 'z' } }, data: { k: 'v' } }],
  ['configmap with empty maps', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, labels: {} }, data: {}, binaryData: {} }],
  ['configmap with null values', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, labels: null, annotations: { a: 'b' } }, data: null }],
  ['configmap with only server metadata', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta } }],
  ['object without metadata', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } }],
  ['metadata that is not a map', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: 'bad', data: { a: 'b' } } as unknown as JsonObject],
  ['metadata with finalizers (a set) and owner references', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, finalizers: ['a.io/x', 'b.io/y', 'a.io/x'], ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u9', controller: true }] }, data: { a: 'b' } }],
  [
    'pod with containers, ports, env and volumes',
    pods,
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...meta, labels: { app: 'web' } },
      spec: {
        containers: [
          container('web', {
            ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP', name: 'dns' }],
            env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            args: ['--x', '--y'],
            resources: { limits: { cpu: '1' }, requests: {} },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          }),
          container('sidecar', { command: [], env: [] }),
        ],
        initContainers: [container('init')],
        volumes: [{ name: 'data', emptyDir: {} }],
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'k', operator: 'Exists' }],
        restartPolicy: 'Always',
        securityContext: {},
      },
      status: { phase: 'Pending' },
    },
  ],
  ['pod with containers: null', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta }, spec: { containers: null } }],
  ['pod with containers: []', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta }, spec: { containers: [] } }],
  ['pod with duplicate container names', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta }, spec: { containers: [container('a'), container('a', { image: 'b' })] } }],
  ['pod whose container lacks its key (an error)', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta }, spec: { containers: [{ image: 'x' }] } }, false],
  ['pod with an empty spec', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta }, spec: {} }],
  [
    'deployment with template and strategy',
    deployments,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: { metadata: { labels: { app: 'web' }, creationTimestamp: null }, spec: { containers: [container('web', { ports: [{ containerPort: 8080, protocol: 'TCP' }] })] } },
      },
    },
  ],
  ['deployment with selector: null and empty strategy', deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...meta }, spec: { selector: null, strategy: {}, template: {} } }],
  ['deployment with no spec', deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...meta } }],
  ['deployment: status ignored on the main resource', () => ({ ...deployments(), ignored: FieldSet.of(fieldPath('status')) }), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...meta }, spec: { replicas: 1 }, status: { replicas: 1 } }],
  ['deployment: /status write ignores spec', () => ({ ...deployments(undefined, 'status'), ignored: FieldSet.of(fieldPath('spec')) }), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...meta }, spec: { replicas: 1 }, status: { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] } }],
  ['deployment: nested reset field (slow path)', () => ({ ...deployments(), ignored: FieldSet.of(fieldPath('spec', 'replicas')) }), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...meta }, spec: { replicas: 1, paused: true } }, false],
  ['service with ports keyed by port and defaulted protocol', services, { apiVersion: 'v1', kind: 'Service', metadata: { ...meta }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' }, type: 'ClusterIP' }, status: { loadBalancer: {} } }],
  ['node with status value structs', nodes, { apiVersion: 'v1', kind: 'Node', metadata: { ...meta }, status: { nodeInfo: { kubeletVersion: 'v1.30' }, daemonEndpoints: { kubeletEndpoint: { Port: 10250 } }, capacity: { cpu: '2' } } }],
  ['node with empty value structs', nodes, { apiVersion: 'v1', kind: 'Node', metadata: { ...meta }, status: { nodeInfo: {}, daemonEndpoints: {} } }],
  ['untyped kind: nested maps, lists, nulls', untyped, { apiVersion: 'example.io/v1', kind: 'Gadget', metadata: { ...meta }, spec: { a: { b: { c: 1 } }, list: [1, { x: 2 }], empty: {}, nothing: null, s: 'x' }, status: { ok: true } }],
  ['untyped kind: spec a scalar', untyped, { apiVersion: 'example.io/v1', kind: 'Gadget', metadata: { ...meta }, spec: 'text', other: [] }],
  ['crd: structural spec (zero null)', crd, { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { ...meta }, spec: { size: 3, tags: ['b', 'a', 'b'], ports: [{ port: 1, name: 'x' }, { port: 2 }], args: ['x'], labels: { k: 'v' }, extra: { deep: { er: [1] } } }, status: { ready: true } }],
  ['crd: empty spec', crd, { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { ...meta }, spec: {} }],
  ['crd: null spec', crd, { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { ...meta }, spec: null }],
  ['crd: status ignored', () => crd(FieldSet.of(fieldPath('status'))), { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { ...meta }, spec: { tags: [] }, status: { ready: false } }],
  ['crd: set of mixed primitives', crd, { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { ...meta }, spec: { tags: [3, 'a', true, null, 1.5] } }],
  ['a key Object.prototype has (slow path)', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, labels: { constructor: 'x', toString: 'y' } } }, false],
  ['an undefined value (slow path)', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta }, data: { a: undefined } } as unknown as JsonObject, false],
  ['a NaN (slow path)', deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...meta }, spec: { replicas: NaN } }, false],
  ['a Date (slow path)', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, creationTimestamp: new Date(0) } } as unknown as JsonObject, false],
  ['managedFields sent by the client are ignored by the walk', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, managedFields: [] }, data: { a: 'b' } }],
  // managed-fields.ts sends this one down the slow path before walking
  ['managedFields sent with entries', configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, managedFields: [{ manager: 'm', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }] }, data: { a: 'b' } }],
];

for (const [name, ctx, object, fast = true] of cases) {
  t.test(name, async (t) => {
    const req: UpdateRequest = { ...ctx(), live: undefined, next: object, manager: 'creator' };
    const slow = JSON.stringify(slowUpdateManagedFields(req));
    t.equal(JSON.stringify(updateManagedFields(req)), slow, 'updateManagedFields writes what the slow path writes');
    const after = managedFieldsAfter(req);
    t.equal(JSON.stringify(after), JSON.stringify((JSON.parse(slow) as { metadata?: JsonObject }).metadata?.managedFields), 'managedFieldsAfter agrees');
    const walked = createdFieldsV1(req.schema, zeroObject(req.schemas, req.schema.rootId), object, req.ignored);
    t.equal(walked !== NOT_FAST, fast, fast ? 'the one-pass walk handles it' : 'the walk leaves it to the slow path');
  });
}

t.test('the fast path copies nothing: the object is left as it was', async (t) => {
  const next = stored({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
  const before = JSON.stringify(next);
  managedFieldsAfter({ ...configMaps(), live: undefined, next, manager: 'm' });
  t.equal(JSON.stringify(next), before);
});

/** every (path, replacement) variant of an object: each value dropped, nulled, emptied */
function* variants(value: JsonObject): Generator<[string, JsonObject]> {
  const replacements: Array<[string, unknown]> = [['dropped', undefined], ['null', null], ['{}', {}], ['[]', []], ['"s"', 's']];
  function* paths(v: unknown, path: Array<string | number>): Generator<Array<string | number>> {
    if (path.length) yield path;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* paths(v[i], [...path, i]);
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) yield* paths((v as JsonObject)[k], [...path, k]);
  }
  for (const path of paths(value, [])) {
    for (const [label, replacement] of replacements) {
      const copy = JSON.parse(JSON.stringify(value)) as JsonObject;
      let parent = copy as Record<string | number, unknown>;
      for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      if (replacement !== undefined) parent[last] = JSON.parse(JSON.stringify(replacement));
      else if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      yield [`${path.join('.')} ${label}`, copy];
    }
  }
}

t.test('variants of every case: fast and slow paths agree', async (t) => {
  let compared = 0;
  const mismatches: string[] = [];
  for (const [name, ctx, object] of cases) {
    if (JSON.stringify(object) === undefined || /slow path/.test(name)) continue;
    for (const [variant, next] of variants(object)) {
      const req: UpdateRequest = { ...ctx(), live: undefined, next, manager: 'creator' };
      if (JSON.stringify(updateManagedFields(req)) !== JSON.stringify(slowUpdateManagedFields(req))) mismatches.push(`${name}: ${variant}`);
      compared++;
    }
  }
  t.same(mismatches, []);
  t.ok(compared > 500, `${compared} variants compared`);
});
