import t from 'tap';
import type { KubeObject } from '../types.js';
import { Indexer, NAMESPACE_INDEX } from './indexer.js';
import { listerFor } from './lister.js';
import { objectKey, splitObjectKey } from './object-key.js';
import { replaceDeltas } from './replace-deltas.js';

const pod = (name: string, namespace: string | undefined, nodeName?: string, rv = '1', labels?: Record<string, string>): KubeObject => ({
  kind: 'Pod',
  metadata: { name, ...(namespace ? { namespace } : {}), resourceVersion: rv, ...(labels ? { labels } : {}) },
  spec: { nodeName },
});
const byNode = (obj: KubeObject) => [(obj.spec as { nodeName?: string } | undefined)?.nodeName];

t.test('object keys', async (t) => {
  const cases = [
    { obj: pod('web', 'default'), key: 'default/web', split: { namespace: 'default', name: 'web' } },
    { obj: { kind: 'Node', metadata: { name: 'n1' } }, key: 'n1', split: { name: 'n1' } },
  ];
  for (const c of cases) {
    t.equal(objectKey(c.obj), c.key);
    t.same(splitObjectKey(c.key), c.split);
  }
  t.throws(() => objectKey({ kind: 'Pod', metadata: {} }), /no metadata.name/);
  for (const bad of ['/x', 'x/', 'a/b/c']) t.throws(() => splitObjectKey(bad), /not a cache key/);
});

t.test('indexer: set, get, delete and indexes stay in step', async (t) => {
  const cache = new Indexer<KubeObject>({ byNode });
  cache.set(pod('a', 'ns1', 'n1'));
  cache.set(pod('b', 'ns1', 'n2'));
  cache.set(pod('c', 'ns2', 'n1'));
  cache.set(pod('d', 'ns2')); // no node: not indexed under byNode
  const names = (objs: KubeObject[]) => objs.map((o) => o.metadata!.name).sort();

  const cases: Array<{ name: string; index: string; value: string; want: string[] }> = [
    { name: 'namespace ns1', index: NAMESPACE_INDEX, value: 'ns1', want: ['a', 'b'] },
    { name: 'namespace ns2', index: NAMESPACE_INDEX, value: 'ns2', want: ['c', 'd'] },
    { name: 'node n1', index: 'byNode', value: 'n1', want: ['a', 'c'] },
    { name: 'node n2', index: 'byNode', value: 'n2', want: ['b'] },
    { name: 'unknown value', index: 'byNode', value: 'n9', want: [] },
  ];
  for (const c of cases) t.same(names(cache.byIndex(c.index, c.value)), c.want, c.name);

  const old = cache.set(pod('a', 'ns1', 'n2', '2')); // moved to n2
  t.equal(old?.metadata?.resourceVersion, '1', 'set returns what it replaced');
  t.same(names(cache.byIndex('byNode', 'n1')), ['c']);
  t.same(names(cache.byIndex('byNode', 'n2')), ['a', 'b']);

  t.equal(cache.delete('ns2/c')?.metadata?.name, 'c');
  t.equal(cache.delete('ns2/c'), undefined);
  t.same(cache.indexKeys('byNode', 'n1'), []);
  t.same(cache.listKeys().sort(), ['ns1/a', 'ns1/b', 'ns2/d']);
  t.equal(cache.size, 3);
  t.equal(cache.get('ns1/b')?.metadata?.name, 'b');
  t.throws(() => cache.byIndex('nope', 'x'), /no indexer named "nope"/);

  cache.replace([pod('z', 'ns3', 'n1')]);
  t.same(cache.listKeys(), ['ns3/z']);
  t.same(names(cache.byIndex('byNode', 'n1')), ['z']);
  t.same(cache.byIndex(NAMESPACE_INDEX, 'ns1'), []);
});

t.test('indexers added later index what is cached; a throwing index function changes nothing', async (t) => {
  const cache = new Indexer<KubeObject>();
  cache.set(pod('a', 'ns1', 'n1'));
  cache.addIndexers({ byNode });
  t.same(cache.indexKeys('byNode', 'n1'), ['ns1/a']);
  t.throws(() => cache.addIndexers({ byNode }), /already exists/);
  cache.addIndexers({ picky: (o) => (o.metadata?.name === 'bad' ? (() => { throw new Error('boom'); })() : []) });
  t.throws(() => cache.set(pod('bad', 'ns1', 'n1')), /indexer "picky" failed: boom/);
  t.same(cache.listKeys(), ['ns1/a'], 'the failed set left the cache as it was');
  t.same(cache.indexKeys('byNode', 'n1'), ['ns1/a']);
});

t.test('lister reads the cache by namespace, name, key, labels and index', async (t) => {
  const cache = new Indexer<KubeObject>({ byNode });
  cache.set(pod('a', 'ns1', 'n1', '1', { app: 'web' }));
  cache.set(pod('b', 'ns1', 'n1', '1', { app: 'db' }));
  cache.set({ kind: 'Node', metadata: { name: 'n1' } });
  const lister = listerFor(cache);
  t.equal(lister.list().length, 3);
  t.same(lister.list({ namespace: 'ns1' }).map((o) => o.metadata!.name).sort(), ['a', 'b']);
  t.same(lister.list({ namespace: 'ns1', labelSelector: { app: 'web' } }).map((o) => o.metadata!.name), ['a']);
  t.equal(lister.get('a', 'ns1')?.metadata?.name, 'a');
  t.equal(lister.get('n1')?.kind, 'Node');
  t.equal(lister.getByKey('ns1/b')?.metadata?.name, 'b');
  t.equal(lister.byIndex('byNode', 'n1').length, 2);
});

t.test('replace deltas', async (t) => {
  const cache = new Indexer<KubeObject>();
  for (const p of [pod('a', 'ns', undefined, '1'), pod('b', 'ns', undefined, '2'), pod('c', 'ns', undefined, '3')]) cache.set(p);
  const deltas = replaceDeltas(cache, [pod('a', 'ns', undefined, '1'), pod('b', 'ns', undefined, '5'), pod('d', 'ns', undefined, '6')]);
  const summary = deltas.map((d) => `${d.type} ${d.obj.metadata!.name}@${d.obj.metadata!.resourceVersion}${d.type === 'update' ? ` from ${d.old.metadata!.resourceVersion}` : ''}`);
  t.same(summary, ['update b@5 from 2', 'add d@6', 'delete c@3']);
  t.same(replaceDeltas(new Indexer(), []), [], 'empty to empty: nothing');
});
