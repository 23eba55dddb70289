/**
 * Watches over WebSocket against a real API server: events in order, resuming from a
 * resourceVersion, selectors, abort, close(), a refused upgrade (401) as ApiError, a
 * request the server rejects after the upgrade (400) as an ERROR event.
 */
import t from 'tap';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { ApiError } from '../api-error.js';
import { createClient } from '../create-client.js';
import type { KubeObject, WatchEvent } from '../types.js';
import { startTestCluster } from './test-cluster.js';
import { watchOverWebSocket } from './watch.js';

type CM = V1ConfigMap & KubeObject;
const { cluster, client } = await startTestCluster(t);
const configMaps = client.resource<CM>('v1', 'ConfigMap');

/** collect `n` events, then stop the watch (the iterator's return closes the socket) */
async function take<T extends KubeObject>(events: AsyncIterable<WatchEvent<T>>, n: number): Promise<Array<WatchEvent<T>>> {
  const got: Array<WatchEvent<T>> = [];
  if (n === 0) return got;
  for await (const e of events) {
    got.push(e);
    if (got.length >= n) break;
  }
  return got;
}

const summary = (events: Array<WatchEvent<CM>>) => events.map((e) => `${e.type} ${e.object.metadata?.name} ${JSON.stringify(e.object.data ?? {})}`);

t.test('ADDED, MODIFIED, DELETED in order, from a list resourceVersion', async (t) => {
  const list = await configMaps.list({ namespace: 'default' });
  const events = take(configMaps.watch({ namespace: 'default', labelSelector: 'w=order', resourceVersion: list.metadata.resourceVersion }), 3);
  const cm = await configMaps.create({ metadata: { name: 'order', namespace: 'default', labels: { w: 'order' } }, data: { v: '1' } });
  await configMaps.create({ metadata: { name: 'unlabelled', namespace: 'default' } });
  await configMaps.update({ ...cm, data: { v: '2' } });
  await configMaps.delete('order', { namespace: 'default' });
  t.same(summary(await events), ['ADDED order {"v":"1"}', 'MODIFIED order {"v":"2"}', 'DELETED order {"v":"2"}']);
});

t.test('a watch resumed from a past resourceVersion replays what it missed', async (t) => {
  const a = await configMaps.create({ metadata: { name: 'resume-a', namespace: 'default', labels: { w: 'resume' } } });
  await configMaps.create({ metadata: { name: 'resume-b', namespace: 'default', labels: { w: 'resume' } } });
  await configMaps.create({ metadata: { name: 'resume-c', namespace: 'default', labels: { w: 'resume' } } });
  const events = await take(configMaps.watch({ namespace: 'default', labelSelector: 'w=resume', resourceVersion: a.metadata?.resourceVersion }), 2);
  t.same(events.map((e) => `${e.type} ${e.object.metadata?.name}`), ['ADDED resume-b', 'ADDED resume-c']);
});

t.test('many events are all delivered to a slow consumer', async (t) => {
  const list = await configMaps.list({ namespace: 'default', limit: 1 });
  const n = 60;
  await Promise.all(Array.from({ length: n }, (_, i) => configMaps.create({ metadata: { name: `bulk-${i}`, namespace: 'default', labels: { w: 'bulk' } } })));
  const seen = new Set<string>();
  // a tiny high-water mark, so the socket is paused and resumed many times on the way
  const url = `${cluster.url.replace('https:', 'wss:')}/api/v1/namespaces/default/configmaps?watch=true&labelSelector=w%3Dbulk&resourceVersion=${list.metadata.resourceVersion}`;
  const { cert, key } = cluster.credentials('admin');
  for await (const e of watchOverWebSocket<CM>({ url, credentials: { ca: cluster.ca, cert, key }, userAgent: 'test', highWater: 4 })) {
    if (seen.size % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    seen.add(e.object.metadata!.name!);
    if (seen.size === n) break;
  }
  t.equal(seen.size, n);
});

t.test('abort ends the iteration quietly', async (t) => {
  const abort = new AbortController();
  const from = (await configMaps.list({ namespace: 'default', limit: 1 })).metadata.resourceVersion;
  await configMaps.create({ metadata: { name: 'abort-1', namespace: 'default', labels: { w: 'abort' } } });
  await configMaps.create({ metadata: { name: 'abort-2', namespace: 'default', labels: { w: 'abort' } } });
  const done = (async () => {
    const got: string[] = [];
    for await (const e of configMaps.watch({ namespace: 'default', labelSelector: 'w=abort', resourceVersion: from, signal: abort.signal })) {
      got.push(e.object.metadata!.name!);
      abort.abort(); // abort-2 may already be queued: it must not be yielded
    }
    return got;
  })();
  t.same(await done, ['abort-1']);
  const pre = new AbortController();
  pre.abort();
  t.same(await take(configMaps.watch({ signal: pre.signal }), 1), [], 'an aborted signal yields nothing');
});

t.test('close() ends open watches', async (t) => {
  const other = createClient({ server: cluster.url, ca: cluster.ca, ...cluster.credentials('admin') });
  await other.mapping('v1', 'ConfigMap'); // resolved before close(), so the watch itself is what close() ends
  const ended = (async () => {
    let n = 0;
    for await (const _ of other.resource('v1', 'ConfigMap').watch({ namespace: 'default', labelSelector: 'w=never' })) n++;
    return n;
  })();
  await new Promise((r) => setTimeout(r, 100));
  other.close();
  t.equal(await ended, 0);
});

t.test('timeoutSeconds: the server ends the watch and the iteration ends', async (t) => {
  const events = await take(configMaps.watch({ namespace: 'default', labelSelector: 'w=none', timeoutSeconds: 1 }), 1);
  t.same(events, []);
});

t.test('a refused upgrade throws ApiError with the Status', async (t) => {
  // straight at the socket: through a client, discovery would be refused first
  const url = `${cluster.url.replace('https:', 'wss:')}/api/v1/namespaces/default/configmaps?watch=true`;
  const err = await take(watchOverWebSocket({ url, credentials: { ca: cluster.ca, token: 'not-a-token' }, userAgent: 'test' }), 1).catch((e: unknown) => e);
  t.ok(err instanceof ApiError, 'an ApiError');
  t.equal((err as ApiError).code, 401);
  t.equal((err as ApiError).status.kind, 'Status');
});

t.test('a request the server rejects after the upgrade arrives as an ERROR event', async (t) => {
  // this server upgrades first and validates after, so a bad selector is an ERROR event (kube-style)
  const events = await take(configMaps.watch({ namespace: 'default', fieldSelector: 'no.such.field=1' }), 1);
  t.equal(events[0]?.type, 'ERROR');
  t.equal((events[0]?.object as { code?: number }).code, 400);
});
