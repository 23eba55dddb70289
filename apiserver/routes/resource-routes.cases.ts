import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { openStore } from '../../store/index.js';
import { buildApiServer } from '../build-api-server.js';
import { Catalogue } from '../catalogue/catalogue.js';
import type { ResourceDef } from '../catalogue/resource-def.js';
import { testDef } from '../catalogue/test-defs.js';

const def = (over: Partial<ResourceDef>): ResourceDef => testDef({ modelName: 'V1ConfigMap', ...over });

const catalogue = new Catalogue([
  def({ kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, modelName: 'V1Namespace', nameRule: 'dns1123-label', subresources: [{ name: 'status', verbs: ['get', 'update'] }] }),
  def({ kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap' }),
  def({ kind: 'Widget', group: 'example.com', plural: 'widgets', singular: 'widget', modelName: 'NoSuchModel', subresources: [{ name: 'status', verbs: ['get', 'update'] }] }),
]);

async function setup(t: Test) {
  const store = await openStore({ backend: 'memory', compactionWindowMs: 0, leaseCheckIntervalMs: 0 });
  const app = buildApiServer({ store, api: { catalogue, cluster: { serviceCIDR: '10.96.0.0/12', podCIDR: '10.244.0.0/16' }, now: () => new Date('2026-01-02T03:04:05.678Z') } });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await app.inject({
      method: method as 'GET',
      url,
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      headers: { 'content-type': 'application/json', ...headers },
    });
    return { code: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined };
  };
  t.match(await call('GET', '/api/v1/namespaces/default'), { code: 200 }, 'system namespaces exist at start');
  t.match(await call('GET', '/api/v1/namespaces/kube-node-lease'), { code: 200 });
  return { app, store, call };
}

t.test('create, get, conflicts, update, delete', async (t) => {
  const { call } = await setup(t);
  const created = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } });
  t.equal(created.code, 201);
  t.match(created.body, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a', namespace: 'default', generation: 1, creationTimestamp: '2026-01-02T03:04:05Z' } });
  t.match(created.body.metadata.uid, /^[0-9a-f-]{36}$/);
  const rv = created.body.metadata.resourceVersion;
  t.match(rv, /^\d+$/);

  const got = await call('GET', '/api/v1/namespaces/default/configmaps/a');
  t.same(got.body, created.body);

  const dup = await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'a' } });
  t.match(dup, { code: 409, body: { kind: 'Status', reason: 'AlreadyExists', message: 'configmaps "a" already exists', details: { name: 'a', kind: 'configmaps' } } });

  const upd = await call('PUT', '/api/v1/namespaces/default/configmaps/a', { ...created.body, data: { k: 'w' } });
  t.equal(upd.code, 200);
  t.equal(upd.body.data.k, 'w');
  t.equal(upd.body.metadata.generation, 2, 'spec-like change bumps generation');
  t.not(upd.body.metadata.resourceVersion, rv);

  const stale = await call('PUT', '/api/v1/namespaces/default/configmaps/a', { ...created.body, data: { k: 'x' } });
  t.match(stale, { code: 409, body: { reason: 'Conflict', message: /^Operation cannot be fulfilled on configmaps "a": the object has been modified/ } });

  const same = await call('PUT', '/api/v1/namespaces/default/configmaps/a', upd.body);
  t.equal(same.body.metadata.resourceVersion, upd.body.metadata.resourceVersion, 'no-op update writes nothing');

  const del = await call('DELETE', '/api/v1/namespaces/default/configmaps/a');
  t.equal(del.code, 200);
  t.match(await call('GET', '/api/v1/namespaces/default/configmaps/a'), { code: 404, body: { reason: 'NotFound', message: 'configmaps "a" not found' } });
  t.match(await call('DELETE', '/api/v1/namespaces/default/configmaps/a'), { code: 404 });
});

t.test('bad requests are 4xx Status objects and write nothing', async (t) => {
  const { call, store } = await setup(t);
  const before = store.revision;
  const cases: [string, string, string, unknown, Record<string, string>, number, string][] = [
    ['malformed JSON', 'POST', '/api/v1/namespaces/default/configmaps', '{"metadata":', {}, 400, 'BadRequest'],
    ['array body', 'POST', '/api/v1/namespaces/default/configmaps', '[]', {}, 400, 'BadRequest'],
    ['wrong kind', 'POST', '/api/v1/namespaces/default/configmaps', { kind: 'Secret', metadata: { name: 'b' } }, {}, 400, 'BadRequest'],
    ['wrong apiVersion', 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v2', metadata: { name: 'b' } }, {}, 400, 'BadRequest'],
    ['namespace mismatch', 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'b', namespace: 'other' } }, {}, 400, 'BadRequest'],
    ['missing namespace', 'POST', '/api/v1/namespaces/nope/configmaps', { metadata: { name: 'b' } }, {}, 404, 'NotFound'],
    ['bad name', 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'Bad_Name' } }, {}, 422, 'Invalid'],
    ['no name', 'POST', '/api/v1/namespaces/default/configmaps', { metadata: {} }, {}, 422, 'Invalid'],
    ['unknown media type', 'POST', '/api/v1/namespaces/default/configmaps', 'x', { 'content-type': 'text/plain' }, 415, 'UnsupportedMediaType'],
    ['unknown resource', 'GET', '/api/v1/namespaces/default/nothings', undefined, {}, 404, 'NotFound'],
    ['unknown group', 'GET', '/apis/nope/v1/things', undefined, {}, 404, 'NotFound'],
    ['name mismatch on PUT', 'PUT', '/api/v1/namespaces/default/configmaps/a', { metadata: { name: 'b' } }, {}, 400, 'BadRequest'],
    ['bad dryRun', 'POST', '/api/v1/namespaces/default/configmaps?dryRun=Some', { metadata: { name: 'b' } }, {}, 400, 'BadRequest'],
    ['bad limit', 'GET', '/api/v1/namespaces/default/configmaps?limit=abc', undefined, {}, 400, 'BadRequest'],
    ['bad continue', 'GET', '/api/v1/namespaces/default/configmaps?continue=zzz', undefined, {}, 400, 'BadRequest'],
  ];
  for (const [name, method, url, body, headers, code, reason] of cases) {
    const r = await call(method, url, body, headers);
    t.match(r, { code, body: { kind: 'Status', status: 'Failure', code, reason } }, name);
  }
  t.equal(store.revision, before, 'nothing was written');
});

t.test('generateName, dryRun, status subresource, generation', async (t) => {
  const { call, store } = await setup(t);
  const g = await call('POST', '/apis/example.com/v1/namespaces/default/widgets', { metadata: { generateName: 'w-' }, spec: { a: 1 }, status: { s: 'ignored' } });
  t.equal(g.code, 201);
  t.match(g.body.metadata.name, /^w-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  t.equal(g.body.status, undefined, 'status is not set through create');
  const name = g.body.metadata.name as string;
  const before = store.revision;
  const dry = await call('POST', '/apis/example.com/v1/namespaces/default/widgets?dryRun=All', { metadata: { name: 'dry' } });
  t.equal(dry.code, 201);
  t.equal(store.revision, before, 'dry run writes nothing');
  t.match(await call('GET', '/apis/example.com/v1/namespaces/default/widgets/dry'), { code: 404 });

  const st = await call('PUT', `/apis/example.com/v1/namespaces/default/widgets/${name}/status`, { ...g.body, spec: { a: 99 }, status: { s: 'set' } });
  t.equal(st.code, 200);
  t.same(st.body.spec, { a: 1 }, 'status update keeps spec');
  t.same(st.body.status, { s: 'set' });
  t.equal(st.body.metadata.generation, 1, 'status change does not bump generation');
  const main = await call('PUT', `/apis/example.com/v1/namespaces/default/widgets/${name}`, { ...st.body, spec: { a: 2 }, status: { s: 'nope' } });
  t.same(main.body.status, { s: 'set' }, 'main resource keeps status');
  t.equal(main.body.metadata.generation, 2);
});

t.test('finalizers and propagation policies', async (t) => {
  const { call } = await setup(t);
  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'f', finalizers: ['example.com/hold'] } });
  const d = await call('DELETE', '/api/v1/namespaces/default/configmaps/f', { propagationPolicy: 'Foreground' });
  t.equal(d.code, 200);
  t.same(d.body.metadata.finalizers, ['example.com/hold', 'foregroundDeletion']);
  t.equal(d.body.metadata.deletionTimestamp, '2026-01-02T03:04:05Z');
  const cur = await call('GET', '/api/v1/namespaces/default/configmaps/f');
  const freed = await call('PUT', '/api/v1/namespaces/default/configmaps/f', { ...cur.body, metadata: { ...cur.body.metadata, finalizers: [] } });
  t.equal(freed.code, 200);
  t.match(await call('GET', '/api/v1/namespaces/default/configmaps/f'), { code: 404 }, 'removing the last finalizer deletes');

  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'o' } });
  const o = await call('DELETE', '/api/v1/namespaces/default/configmaps/o', { propagationPolicy: 'Orphan' });
  t.same(o.body.metadata.finalizers, ['orphan']);
  t.match(await call('DELETE', '/api/v1/namespaces/default/configmaps/o', { propagationPolicy: 'Sideways' }), { code: 400 });
});

t.test('lists page at one revision', async (t) => {
  const { call } = await setup(t);
  for (let i = 0; i < 7; i++) await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `c${i}` } });
  const p1 = await call('GET', '/api/v1/namespaces/default/configmaps?limit=3');
  t.equal(p1.body.kind, 'ConfigMapList');
  t.same(p1.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c0', 'c1', 'c2']);
  t.equal(p1.body.metadata.remainingItemCount, 4);
  await call('DELETE', '/api/v1/namespaces/default/configmaps/c4');
  const p2 = await call('GET', `/api/v1/namespaces/default/configmaps?limit=3&continue=${p1.body.metadata.continue}`);
  t.same(p2.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c3', 'c4', 'c5'], 'continues at the first page revision');
  t.equal(p2.body.metadata.resourceVersion, p1.body.metadata.resourceVersion);
  const p3 = await call('GET', `/api/v1/namespaces/default/configmaps?limit=3&continue=${p2.body.metadata.continue}`);
  t.same(p3.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c6']);
  t.notOk(p3.body.metadata.continue);
  const all = await call('GET', '/api/v1/configmaps');
  t.equal(all.body.items.length, 6, 'across namespaces');
});

t.test('watch streams events over HTTP', async (t) => {
  const { app, call } = await setup(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'pre' } });
  const lines: { type: string; object: { metadata: { name: string; resourceVersion: string } } }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5' }, (res) => {
      t.equal(res.statusCode, 200);
      let buf = '';
      res.on('data', (chunk) => {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          lines.push(JSON.parse(buf.slice(0, nl)));
          buf = buf.slice(nl + 1);
          if (lines.length === 3) {
            req.destroy();
            resolve();
          }
        }
      });
    });
    req.on('error', (e) => (lines.length >= 3 ? undefined : reject(e)));
    req.end();
  });
  // give the watch a moment to register before writing (the first event is the synthetic ADDED)
  await new Promise((r) => setTimeout(r, 100));
  const c = await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'live' } });
  await call('DELETE', '/api/v1/namespaces/default/configmaps/live');
  await done;
  t.same(lines.map((l) => [l.type, l.object.metadata.name]), [['ADDED', 'pre'], ['ADDED', 'live'], ['DELETED', 'live']]);
  t.equal(lines[1]!.object.metadata.resourceVersion, c.body.metadata.resourceVersion);
});

t.test('watch over WebSocket: one text message per event', async (t) => {
  const { WebSocket } = await import('ws');
  const { app, call } = await setup(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'pre', labels: { a: '1' } } });
  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'other' } });
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/namespaces/default/configmaps?watch=true&labelSelector=a%3D1`);
  t.teardown(() => ws.close());
  const got: string[] = [];
  const three = new Promise<void>((resolve) =>
    ws.on('message', (data, isBinary) => {
      t.notOk(isBinary, 'text messages');
      const e = JSON.parse(String(data));
      got.push(`${e.type} ${e.object.metadata.name}`);
      if (got.length === 3) resolve();
    }),
  );
  await new Promise((r) => ws.once('open', r));
  await new Promise((r) => setTimeout(r, 100));
  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'new', labels: { a: '1' } } });
  const cur = await call('GET', '/api/v1/namespaces/default/configmaps/pre');
  await call('PUT', '/api/v1/namespaces/default/configmaps/pre', { ...cur.body, metadata: { ...cur.body.metadata, labels: { a: '2' } } });
  await three;
  t.same(got, ['ADDED pre', 'ADDED new', 'DELETED pre'], 'an object that stops matching is DELETED');
});

t.test('Table output and selectors', async (t) => {
  const { call } = await setup(t);
  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'a', labels: { app: 'x' } } });
  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'b', labels: { app: 'y' } } });
  const tableAccept = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' };
  const tbl = await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=app%20in%20(x)', undefined, tableAccept);
  t.equal(tbl.body.kind, 'Table');
  t.same(tbl.body.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Age']);
  t.same(tbl.body.rows.map((r: { cells: unknown[] }) => r.cells[0]), ['a']);
  t.equal(tbl.body.rows[0].object.kind, 'PartialObjectMetadata');
  const one = await call('GET', '/api/v1/namespaces/default/configmaps/b', undefined, tableAccept);
  t.equal(one.body.rows.length, 1);
  const byName = await call('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Db');
  t.same(byName.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['b']);
  t.match(await call('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=spec.x%3D1'), { code: 400, body: { reason: 'BadRequest' } });
  t.match(await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=a%3D%3D%3D'), { code: 400, body: { reason: 'BadRequest' } });
  t.match(await call('GET', '/api/v1/namespaces/default/configmaps', undefined, { accept: 'application/xml' }), { code: 406, body: { reason: 'NotAcceptable' } });
});

t.test('fieldValidation: unknown fields dropped; Strict rejects, Warn warns', async (t) => {
  const { app, call } = await setup(t);
  const body = JSON.stringify({ metadata: { name: 'fv' }, data: { a: 'b' }, bogus: 1 });
  const strict = await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body);
  t.match(strict, { code: 400, body: { reason: 'BadRequest', message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"' } });
  const dup = await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', '{"metadata":{"name":"d"},"data":{"a":"1","a":"2"}}');
  t.match(dup, { code: 400, body: { message: /duplicate field "data.a"/ } });
  const warned = await app.inject({ method: 'POST', url: '/api/v1/namespaces/default/configmaps', payload: body, headers: { 'content-type': 'application/json' } });
  t.equal(warned.statusCode, 201);
  t.same([warned.headers.warning].flat(), ['299 - "unknown field \\"bogus\\""']);
  t.equal(JSON.parse(warned.body).bogus, undefined, 'the unknown field is not stored');
  t.match(await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Loose', body), { code: 400 });
});
