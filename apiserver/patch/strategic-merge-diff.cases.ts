import t from 'tap';
import { builtinCatalogue } from '../resources/index.js';
import { buildSchemaRegistry } from '../schema/schema-registry.js';
import type { JsonObject } from './json.js';
import { createTwoWayMergePatch } from './strategic-merge-diff.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const registry = buildSchemaRegistry(builtinCatalogue());
const options = { schemas: registry, rootId: registry.idOf({ group: 'apps', version: 'v1', kind: 'Deployment' }) };

const deploy = (podSpec: JsonObject, spec: JsonObject = {}, metadata: JsonObject = {}): JsonObject => ({
  metadata: { name: 'web', ...metadata },
  spec: { replicas: 1, template: { metadata: { labels: { app: 'web' } }, spec: podSpec }, ...spec },
});
const c = (name: string, more: JsonObject = {}): JsonObject => ({ name, image: `${name}:1`, ...more });

type Case = [name: string, original: JsonObject, modified: JsonObject, patch: JsonObject];

t.test('patches (and they round-trip)', async (t) => {
  const base = deploy({ containers: [c('a'), c('b')] });
  const template = (spec: JsonObject) => ({ spec: { template: { spec } } });
  const cases: Case[] = [
    ['no change', base, base, {}],
    ['scalar change', base, deploy({ containers: [c('a'), c('b')] }, { replicas: 3 }), { spec: { replicas: 3 } }],
    ['removed key', deploy({ containers: [c('a')] }, { paused: true }), deploy({ containers: [c('a')] }), { spec: { paused: null } }],
    [
      'set image (as kubectl set image sends it)',
      base,
      deploy({ containers: [c('a'), c('b', { image: 'b:2' })] }),
      template({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ image: 'b:2', name: 'b' }] }),
    ],
    [
      'container added at the end',
      base,
      deploy({ containers: [c('a'), c('b'), c('n')] }),
      template({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'n' }], containers: [c('n')] }),
    ],
    [
      'container removed',
      base,
      deploy({ containers: [c('b')] }),
      template({ '$setElementOrder/containers': [{ name: 'b' }], containers: [{ name: 'a', $patch: 'delete' }] }),
    ],
    ['reordered', base, deploy({ containers: [c('b'), c('a')] }), template({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] })],
    ['atomic list replaced', deploy({ containers: [c('a', { args: ['x'] })] }), deploy({ containers: [c('a', { args: ['y'] })] }), template({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ args: ['y'], name: 'a' }] })],
    [
      'strategy switch uses $retainKeys',
      deploy({ containers: [] }, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
      deploy({ containers: [] }, { strategy: { type: 'Recreate' } }),
      { spec: { strategy: { type: 'Recreate', rollingUpdate: null, $retainKeys: ['type'] } } },
    ],
    [
      'finalizers',
      deploy({ containers: [] }, {}, { finalizers: ['a', 'b'] }),
      deploy({ containers: [] }, {}, { finalizers: ['b', 'c'] }),
      { metadata: { '$setElementOrder/finalizers': ['b', 'c'], finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] } },
    ],
  ];
  for (const [name, original, modified, want] of cases) {
    const patch = createTwoWayMergePatch(original, modified, options);
    t.same(patch, want, name);
    t.same(applyStrategicMergePatch(original, patch, options), modified, `${name}: round trip`);
  }
});
