import t from 'tap';
import { fieldsOf } from './fields-of.js';
import { fieldsV1Text } from './fields-v1.js';
import type { JsonObject } from './json-value.js';
import { ListItemError } from './list-items.js';
import { ApplySchema } from './schema-node.js';
import { configMaps, deployments, pods, registry } from './test-fixtures.js';

t.test('field sets of applied configurations', async (t) => {
  const cases: Array<[string, ReturnType<typeof deployments>, JsonObject, string]> = [
    [
      'configmap: type fields, metadata and map keys',
      configMaps(),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', labels: { app: 'web' } }, data: { a: '1' } },
      '{"f:apiVersion":{},"f:data":{"f:a":{}},"f:kind":{},"f:metadata":{"f:labels":{"f:app":{}},"f:name":{}}}',
    ],
    [
      'finalizers are a set: items by value',
      configMaps(),
      { metadata: { finalizers: ['b.io/x', 'a.io/x'] } },
      '{"f:metadata":{"f:finalizers":{"v:\\"a.io/x\\"":{},"v:\\"b.io/x\\"":{}}}}',
    ],
    [
      'selector is an atomic struct; strategy is granular',
      deployments(),
      { spec: { selector: { matchLabels: { app: 'web' } }, strategy: { rollingUpdate: { maxSurge: 1 } } } },
      '{"f:spec":{"f:selector":{},"f:strategy":{"f:rollingUpdate":{"f:maxSurge":{}}}}}',
    ],
    [
      'containers by name, ports by containerPort+protocol (protocol defaults to TCP), args atomic',
      deployments(),
      { spec: { template: { spec: { containers: [{ name: 'app', args: ['-v'], ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }] } } } },
      '{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:args":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":53,\\"protocol\\":\\"UDP\\"}":{".":{},"f:containerPort":{},"f:protocol":{}},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
    ],
    ['an empty struct names nothing', pods(), { spec: { securityContext: {} } }, '{}'],
    ['tolerations are atomic', pods(), { spec: { tolerations: [{ key: 'a', operator: 'Exists' }] } }, '{"f:spec":{"f:tolerations":{}}}'],
  ];
  for (const [name, ctx, value, want] of cases) t.equal(fieldsV1Text(fieldsOf(ctx.schema, value)), want, name);
});

t.test('a keyed item without its key is invalid', async (t) => {
  t.throws(
    () => fieldsOf(pods().schema, { spec: { containers: [{ image: 'nginx' }] } }),
    new ListItemError('element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)'),
  );
});

t.test('kinds without a schema (custom resources): maps granular, lists atomic', async (t) => {
  const gvk = { group: 'example.io', version: 'v1', kind: 'Widget' };
  const schema = new ApplySchema(registry, registry.addUnstructuredKind(gvk));
  const widget = { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', labels: { a: 'b' } }, spec: { size: 3, tags: ['x', 'y'], nested: { on: true } } };
  t.equal(
    fieldsV1Text(fieldsOf(schema, widget)),
    '{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:labels":{"f:a":{}},"f:name":{}},"f:spec":{".":{},"f:nested":{".":{},"f:on":{}},"f:size":{},"f:tags":{}}}',
  );
});
