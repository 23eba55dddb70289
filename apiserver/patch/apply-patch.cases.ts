import t from 'tap';
import { builtinCatalogue } from '../resources/index.js';
import { buildSchemaRegistry } from '../schema/schema-registry.js';
import { applyPatch, decodePatchBody, patchTypeOf } from './apply-patch.js';

t.test('content types', async (t) => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/strategic-merge-patch+json; charset=utf-8', 'strategic'],
    ['Application/Merge-Patch+JSON', 'merge'],
    ['application/apply-patch+yaml', undefined],
    ['application/json', undefined],
    [undefined, undefined],
  ];
  for (const [header, want] of cases) t.equal(patchTypeOf(header), want, String(header));
});

t.test('decoding', async (t) => {
  t.same(decodePatchBody('merge', '{"a":1}'), { a: 1 });
  t.throws(() => decodePatchBody('merge', '{'), { name: 'PatchError', kind: 'invalid-patch', status: 400, detail: /^error decoding patch: / });
  t.throws(() => decodePatchBody('json', 'nope'), { name: 'PatchError', kind: 'invalid-patch', status: 400 });
});

t.test('dispatch', async (t) => {
  const registry = buildSchemaRegistry(builtinCatalogue());
  const rootId = registry.idOf({ group: 'apps', version: 'v1', kind: 'Deployment' });
  const doc = { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }] } } } };
  const patch = { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }] } } } };
  t.same(applyPatch('json', doc, [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: '2' }]), patch);
  t.same(applyPatch('merge', doc, patch), patch);
  t.same(applyPatch('strategic', doc, patch, { schemas: registry, rootId }), patch);
  const added = { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } };
  t.same(applyPatch('strategic', doc, added, { schemas: registry, rootId }), { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }, { name: 'a', image: '1' }] } } } }, 'with schema: merged');
  t.same(applyPatch('strategic', doc, added), added, 'without schema: lists replaced');
});

t.test('keys named like Object.prototype members are plain members', async (t) => {
  const body = '{"__proto__":{"polluted":true},"constructor":{"x":1},"spec":{"toString":"s"}}';
  for (const type of ['merge', 'strategic'] as const) {
    const out = applyPatch(type, { spec: {} }, decodePatchBody(type, body)) as Record<string, unknown>;
    t.equal(Object.getPrototypeOf(out), Object.prototype, `${type}: prototype kept`);
    t.equal(({} as Record<string, unknown>).polluted, undefined, `${type}: no pollution`);
    t.same(JSON.parse(JSON.stringify(out)), JSON.parse(body), `${type}: members kept`);
  }
  const viaJsonPatch = applyPatch('json', {}, decodePatchBody('json', '[{"op":"add","path":"/__proto__","value":{"polluted":true}}]')) as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(viaJsonPatch), Object.prototype, 'json patch: prototype kept');
  t.same(JSON.parse(JSON.stringify(viaJsonPatch)), { ['__proto__']: { polluted: true } }, 'json patch: member kept');
});
