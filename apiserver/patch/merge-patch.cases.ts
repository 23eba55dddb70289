import t from 'tap';
import type { Json } from './json.js';
import { applyMergePatch } from './merge-patch.js';

type Case = [name: string, doc: Json, patch: unknown, want: Json];

t.test('RFC 7386 appendix A', async (t) => {
  const cases: Case[] = [
    ['replace', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['add', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['delete', { a: 'b' }, { a: null }, {}],
    ['delete one of two', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['array replaces', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
    ['scalar by array', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    ['nested', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['array of objects replaced whole', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    ['null member in new object pruned', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ['empty patch', { a: 1 }, {}, { a: 1 }],
  ];
  for (const [name, doc, patch, want] of cases) {
    const before = structuredClone(doc);
    t.same(applyMergePatch(doc, patch), want, name);
    t.same(doc, before, `${name}: input untouched`);
  }
});

t.test('evanphx v4 null pruning', async (t) => {
  const cases: Case[] = [
    ['null items of a new list are dropped', { a: 1 }, { b: [1, null, { c: null, d: 2 }] }, { a: 1, b: [1, { d: 2 }] }],
    ['object over scalar: nulls pruned', { a: 1 }, { a: { x: null, y: 1 } }, { a: { y: 1 } }],
    ['list over object: kept as is', { a: { x: 1 } }, { a: [null] }, { a: [null] }],
    ['null over missing key is a no-op', { a: 1 }, { b: null }, { a: 1 }],
  ];
  for (const [name, doc, patch, want] of cases) t.same(applyMergePatch(doc, patch), want, name);
});

t.test('kubectl bodies', async (t) => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', resourceVersion: '7', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'x' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };
  const cases: Case[] = [
    ['label add', pod, { metadata: { labels: { env: 'prod' } } }, { ...pod, metadata: { ...pod.metadata, labels: { app: 'web', tier: 'fe', env: 'prod' } } }],
    ['label remove (app-)', pod, { metadata: { labels: { app: null } } }, { ...pod, metadata: { ...pod.metadata, labels: { tier: 'fe' } } }],
    ['annotate overwrite', pod, { metadata: { annotations: { note: 'y' } } }, { ...pod, metadata: { ...pod.metadata, annotations: { note: 'y' } } }],
    [
      'label --resource-version carries the precondition into the object',
      pod,
      { metadata: { labels: { env: 'prod' }, resourceVersion: '5' } },
      { ...pod, metadata: { ...pod.metadata, resourceVersion: '5', labels: { app: 'web', tier: 'fe', env: 'prod' } } },
    ],
    [
      'scale on a Scale object',
      { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 1 }, status: { replicas: 1, selector: 'app=web' } },
      { spec: { replicas: 5 } },
      { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: 5 }, status: { replicas: 1, selector: 'app=web' } },
    ],
    ['lists are replaced, not merged', pod, { spec: { containers: [{ name: 'd', image: 'x' }] } }, { ...pod, spec: { containers: [{ name: 'd', image: 'x' }] } }],
  ];
  for (const [name, doc, patch, want] of cases) t.same(applyMergePatch(doc, patch), want, name);
});

t.test('the patch must be an object', async (t) => {
  for (const patch of [null, [], 'x', 1, true]) {
    t.throws(() => applyMergePatch({ a: 1 }, patch), { name: 'PatchError', kind: 'invalid-patch', status: 400, detail: 'Invalid JSON Patch' }, JSON.stringify(patch));
  }
});
