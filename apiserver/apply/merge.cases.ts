import t from 'tap';
import type { Json, JsonObject } from './json-value.js';
import { mergeObjects } from './merge.js';
import { configMaps, deployments } from './test-fixtures.js';

t.test('merging a configuration into the live object', async (t) => {
  const fin = (...f: string[]): JsonObject => ({ metadata: { finalizers: f } });
  const sel = (labels: Record<string, string>): JsonObject => ({ spec: { selector: { matchLabels: labels } } });
  const cases: Array<[string, ReturnType<typeof configMaps>, JsonObject, JsonObject, Json]> = [
    ['maps merge key by key', configMaps(), { data: { a: '1', b: '1' } }, { data: { b: '2', c: '3' } }, { data: { a: '1', b: '2', c: '3' } }],
    ['a null leaf clears the field', configMaps(), { data: { a: '1' }, immutable: true }, { immutable: null }, { data: { a: '1' } }],
    ['shared items follow the config; live-only items keep their place', configMaps(), fin('a', 'b', 'c'), fin('c', 'a'), fin('b', 'c', 'a')],
    ['new items come where the config puts them', configMaps(), fin('a', 'b'), fin('x', 'b'), fin('a', 'x', 'b')],
    ['atomic structs are replaced whole', deployments(), sel({ app: 'web', tier: 'fe' }), sel({ app: 'api' }), sel({ app: 'api' })],
    ['empty on both sides stays as the config has it', configMaps(), { data: {} }, { data: {} }, { data: {} }],
  ];
  for (const [name, ctx, live, config, want] of cases) t.same(mergeObjects(ctx.schema, live, config), want, name);
});
