import t from 'tap';
import type { KeyValue } from '../../store/types.js';
import type { KubeObject } from '../catalogue/resource-def.js';
import { decodeObject, encodeObject, rawObjectJson } from './object-codec.js';

const kv = (value: Uint8Array, modRevision = 42): KeyValue => ({ key: '/k', value, modRevision, createRevision: 1, version: 1, lease: 0 });

t.test('raw JSON equals decode-then-stringify, for every layout', async (t) => {
  const objects: [string, KubeObject][] = [
    ['full', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', labels: { x: 'y' } }, spec: { template: { metadata: { name: 'inner' } } } }],
    ['empty metadata', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }],
    ['no type fields', { metadata: { name: 'b' }, data: { k: '"metadata":{' } }],
    ['resourceVersion dropped on encode', { apiVersion: 'v1', kind: 'X', metadata: { name: 'c', resourceVersion: '7' } }],
  ];
  for (const [name, obj] of objects) {
    const stored = kv(encodeObject(obj));
    t.same(JSON.parse(rawObjectJson(stored)), decodeObject(stored), name);
    t.equal(JSON.parse(rawObjectJson(stored)).metadata.resourceVersion, '42', `${name}: resourceVersion is the modRevision`);
  }
  // an object stored in another key order (spec first, with a nested metadata) still comes out right
  const legacy = kv(Buffer.from(JSON.stringify({ spec: { template: { metadata: { name: 'inner' } } }, metadata: { name: 'd' } })));
  t.same(JSON.parse(rawObjectJson(legacy)), decodeObject(legacy), 'other layouts fall back to decoding');
  t.equal(JSON.parse(rawObjectJson(legacy)).spec.template.metadata.resourceVersion, undefined);
});
