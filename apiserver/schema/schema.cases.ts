import t from 'tap';
import { testCatalogue } from '../catalogue/test-defs.js';
import { definitionId, modelNameForKind } from './definition-names.js';
import { modelDocs, parseModelDts } from './descriptions.js';
import { LIST_FACTS, listFacts } from './list-facts.js';
import { attributesOf, hasModel, parseAttributeType } from './model-source.js';
import { buildSchemaRegistry, ensureModelSchema, INT_OR_STRING_ID, refOf, type SchemaObject } from './schema-registry.js';
import { findDuplicateFields, findUnknownFields, strictDecodingMessage } from './strict-fields.js';

t.test('attribute types parse into a tree', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['string', { kind: 'string' }],
    ['Date', { kind: 'date-time' }],
    ['V1MicroTime', { kind: 'date-time' }],
    ['IntOrString', { kind: 'int-or-string' }],
    ['V1Container', { kind: 'model', name: 'V1Container' }],
    ['Array<V1Container>', { kind: 'array', items: { kind: 'model', name: 'V1Container' } }],
    ['{ [key: string]: string; }', { kind: 'map', values: { kind: 'string' } }],
    ['{ [key: string]: Array<string>; }', { kind: 'map', values: { kind: 'array', items: { kind: 'string' } } }],
  ];
  for (const [input, want] of cases) t.same(parseAttributeType(input), want, input);
});

t.test('model class names map to kube definition ids', async (t) => {
  const cases: Array<[string, string]> = [
    ['V1Pod', 'io.k8s.api.core.v1.Pod'],
    ['V1PodTemplateSpec', 'io.k8s.api.core.v1.PodTemplateSpec'],
    ['V1Deployment', 'io.k8s.api.apps.v1.Deployment'],
    ['V1DeploymentSpec', 'io.k8s.api.apps.v1.DeploymentSpec'],
    ['V1ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'],
    ['V1LabelSelector', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'],
    ['V1Scale', 'io.k8s.api.autoscaling.v1.Scale'],
    ['V1Eviction', 'io.k8s.api.policy.v1.Eviction'],
    ['V1Binding', 'io.k8s.api.core.v1.Binding'],
    ['V1Role', 'io.k8s.api.rbac.v1.Role'],
    ['V1Job', 'io.k8s.api.batch.v1.Job'],
    ['V2HorizontalPodAutoscaler', 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler'],
    ['V1beta1LeaseCandidate', 'io.k8s.api.coordination.v1beta1.LeaseCandidate'],
    ['CoreV1Event', 'io.k8s.api.core.v1.Event'],
    ['EventsV1Event', 'io.k8s.api.events.v1.Event'],
    ['V1CustomResourceDefinition', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'],
    ['V1APIService', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService'],
  ];
  for (const [model, id] of cases) t.equal(definitionId(model), id, model);
});

t.test('kinds map to model classes', async (t) => {
  const cases: Array<[[string, string, string], string | undefined]> = [
    [['', 'v1', 'Pod'], 'V1Pod'],
    [['autoscaling', 'v1', 'Scale'], 'V1Scale'],
    [['', 'v1', 'Event'], 'CoreV1Event'],
    [['events.k8s.io', 'v1', 'Event'], 'EventsV1Event'],
    [['example.com', 'v1', 'Widget'], undefined],
  ];
  for (const [[g, v, k], want] of cases) t.equal(modelNameForKind(g, v, k, hasModel), want, `${g}/${v} ${k}`);
});

t.test('descriptions and required fields come from the .d.ts comments', async (t) => {
  const pod = modelDocs('V1Pod');
  t.match(pod.description, /^Pod is a collection of containers/);
  t.match(pod.fields.get('apiVersion')?.description, /^APIVersion defines/);
  t.equal(pod.fields.get('apiVersion')?.required, false);
  t.equal(modelDocs('V1Container').fields.get('name')?.required, true);
  // escaped quotes are unescaped
  t.notMatch(modelDocs('V1ObjectMeta').fields.get('managedFields')?.description ?? '', /\\'/);
  t.same(parseModelDts(''), { fields: new Map() });
});

t.test('V1Pod schema: structural, with refs, formats and list facts', async (t) => {
  const registry = buildSchemaRegistry(testCatalogue());
  const podId = registry.idOf({ group: '', version: 'v1', kind: 'Pod' });
  t.equal(podId, 'io.k8s.api.core.v1.Pod');
  const pod = registry.get(podId!)!;
  t.same(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  t.match(pod.properties?.metadata, { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], description: /^Standard object's metadata/ });

  const spec = registry.get('io.k8s.api.core.v1.PodSpec')!;
  t.match(spec.properties?.containers, {
    type: 'array',
    items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
  });
  t.match(spec.properties?.volumes, { 'x-kubernetes-patch-strategy': 'merge,retainKeys' });
  t.match(spec.properties?.tolerations, { 'x-kubernetes-list-type': 'atomic' });
  t.match(spec.properties?.nodeSelector, { type: 'object', additionalProperties: { type: 'string' } });
  t.match(spec.properties?.terminationGracePeriodSeconds, { type: 'integer', format: 'int64' });

  const container = registry.get('io.k8s.api.core.v1.Container')!;
  t.ok(container.required?.includes('name'));
  t.match(container.properties?.ports, { 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'], 'x-kubernetes-patch-merge-key': 'containerPort' });
  t.match(registry.get('io.k8s.api.core.v1.ContainerPort')?.properties?.containerPort, { type: 'integer', format: 'int32' });
  t.match(registry.get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')?.properties?.creationTimestamp, { type: 'string', format: 'date-time' });
  t.match(registry.get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')?.properties?.finalizers, { 'x-kubernetes-list-type': 'set' });
  t.match(registry.get('io.k8s.api.core.v1.HTTPGetAction')?.properties?.port, { allOf: [{ $ref: refOf(INT_OR_STRING_ID) }] });
  t.match(registry.get(INT_OR_STRING_ID), { 'x-kubernetes-int-or-string': true });
  t.match(registry.get('io.k8s.api.core.v1.SecretVolumeSource')?.properties?.defaultMode, { type: 'integer' });

  // the closure holds every referenced schema
  const closure = registry.closure([podId!]);
  const missing: string[] = [];
  const check = (s: SchemaObject) => {
    if (s.$ref && !closure[s.$ref.slice('#/components/schemas/'.length)]) missing.push(s.$ref);
    for (const x of [...(s.allOf ?? []), ...Object.values(s.properties ?? {}), ...(s.items ? [s.items] : [])]) check(x);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') check(s.additionalProperties);
  };
  Object.values(closure).forEach(check);
  t.same(missing, []);
  t.ok(closure['io.k8s.api.core.v1.Container']);
  t.notOk(closure['io.k8s.api.apps.v1.Deployment'], 'only what Pod reaches');
});

t.test('every list fact names a real model field', async (t) => {
  for (const [model, fields] of Object.entries(LIST_FACTS)) {
    const attrs = attributesOf(model);
    t.ok(attrs, `${model} exists`);
    for (const field of Object.keys(fields)) {
      const attr = attrs?.find((a) => a.baseName === field);
      t.ok(attr, `${model}.${field} exists`);
      const facts = listFacts(model, field)!;
      if (facts.listType === 'map') t.ok(facts.listMapKeys?.length, `${model}.${field} has map keys`);
    }
  }
});

t.test('findUnknownFields reports paths the schema does not know', async (t) => {
  const registry = buildSchemaRegistry(testCatalogue());
  const podId = 'io.k8s.api.core.v1.Pod';
  const deployId = 'io.k8s.api.apps.v1.Deployment';
  const cases: Array<{ name: string; id: string; obj: unknown; want: string[] }> = [
    { name: 'clean pod', id: podId, obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', labels: { x: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, want: [] },
    { name: 'top level', id: podId, obj: { metadata: {}, foo: 1 }, want: ['.foo'] },
    { name: 'in spec', id: podId, obj: { metadata: {}, spec: { foo: 1, bar: {} } }, want: ['.spec.foo', '.spec.bar'] },
    { name: 'in a list item', id: podId, obj: { metadata: {}, spec: { containers: [{ name: 'a' }, { name: 'b', imagePolicy: 'x' }] } }, want: ['.spec.containers[1].imagePolicy'] },
    { name: 'in metadata', id: podId, obj: { metadata: { nam: 'x' } }, want: ['.metadata.nam'] },
    { name: 'map keys are free', id: podId, obj: { metadata: { annotations: { 'anything/at-all': 'v' } }, spec: { nodeSelector: { k: 'v' } } }, want: [] },
    { name: 'map of objects', id: podId, obj: { metadata: {}, spec: { overhead: { cpu: '1' } } }, want: [] },
    { name: 'nested in template', id: deployId, obj: { metadata: {}, spec: { template: { spec: { containers: [{ name: 'a', bogus: true }] } } } }, want: ['.spec.template.spec.containers[0].bogus'] },
    { name: 'int-or-string leaf', id: deployId, obj: { metadata: {}, spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } }, want: [] },
    { name: 'preserved unknown (managedFields.fieldsV1)', id: podId, obj: { metadata: { managedFields: [{ fieldsV1: { 'f:spec': {} } }] } }, want: [] },
    { name: 'unknown root id', id: 'nope', obj: { a: 1 }, want: [] },
  ];
  for (const c of cases) t.same(findUnknownFields(registry, c.id, c.obj), c.want, c.name);
});

t.test('findDuplicateFields scans raw JSON', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['{"a":1,"b":2}', []],
    ['{"a":1,"a":2}', ['.a']],
    ['{"spec":{"replicas":1,"paused":true,"replicas":2}}', ['.spec.replicas']],
    ['{"spec":{"containers":[{"name":"a","name":"b"}]}}', ['.spec.containers[0].name']],
    ['{"a":{"x":1},"b":{"x":1}}', []],
    ['{"a\\"b":1,"a\\"b":2}', ['.a"b']],
    [' [ {"k": null, "k": [1, 2.5e3, "s"]} ] ', ['[0].k']],
    ['{"a":', []],
  ];
  for (const [text, want] of cases) t.same(findDuplicateFields(text), want, text);
});

t.test('strict decoding message is worded like kube', async (t) => {
  t.equal(strictDecodingMessage(['.spec.foo']), 'strict decoding error: unknown field "spec.foo"');
  t.equal(
    strictDecodingMessage(['.spec.foo', '.spec.containers[0].bar'], ['.spec.replicas']),
    'strict decoding error: unknown field "spec.foo", unknown field "spec.containers[0].bar", duplicate field "spec.replicas"',
  );
});

t.test('schemas are built once per process', async (t) => {
  t.equal(ensureModelSchema('V1Pod'), ensureModelSchema('V1Pod'));
  const a = buildSchemaRegistry(testCatalogue()).get('io.k8s.api.core.v1.PodSpec');
  const b = buildSchemaRegistry(testCatalogue()).get('io.k8s.api.core.v1.PodSpec');
  t.equal(a, b);
});
