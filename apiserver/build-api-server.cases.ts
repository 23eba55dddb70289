import t from 'tap';
import { openStore } from '../store/index.js';
import { buildApiServer } from './build-api-server.js';

async function server(t: { teardown(fn: () => unknown): void }, state = { shuttingDown: false }) {
  const store = await openStore({ backend: 'memory' });
  const app = buildApiServer({ store, isShuttingDown: () => state.shuttingDown });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  return { app, store, state };
}

t.test('health endpoints answer "ok"', async (t) => {
  const { app } = await server(t);
  for (const url of ['/healthz', '/livez', '/readyz']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, url);
    t.equal(res.body, 'ok', url);
  }
});

t.test('/version is a Kubernetes version.Info', async (t) => {
  const { app } = await server(t);
  const res = await app.inject({ url: '/version' });
  t.equal(res.statusCode, 200);
  const info = res.json();
  t.match(info, {
    major: '1',
    minor: '33',
    gitVersion: /^v1\.33\.0-k8ts\.\d+\.\d+\.\d+/,
    gitCommit: String,
    gitTreeState: String,
    buildDate: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    goVersion: String,
    compiler: String,
    platform: /^[a-z0-9]+\/[a-z0-9]+$/,
  });
  t.same(Object.keys(info).sort(), ['buildDate', 'compiler', 'gitCommit', 'gitTreeState', 'gitVersion', 'goVersion', 'major', 'minor', 'platform']);
});

t.test('unknown paths get a Kubernetes Status 404', async (t) => {
  const { app } = await server(t);
  for (const [method, url] of [['GET', '/api/v1/nope'], ['POST', '/apis/x'], ['DELETE', '/']] as const) {
    const res = await app.inject({ method, url });
    t.equal(res.statusCode, 404, `${method} ${url}`);
    t.same(res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
  }
});

t.test('while shutting down: not ready, writes refused with 503, reads still served', async (t) => {
  const { app, state } = await server(t);
  state.shuttingDown = true;
  const ready = await app.inject({ url: '/readyz' });
  // kube's health format: 500, the failing check named, its reason withheld
  t.equal(ready.statusCode, 500);
  t.match(ready.body, /\[-\]shutdown failed: reason withheld/);
  t.equal((await app.inject({ url: '/livez' })).statusCode, 200, 'still alive');
  const write = await app.inject({ method: 'POST', url: '/api/v1/namespaces', payload: {} });
  t.equal(write.statusCode, 503);
  t.match(write.json(), { kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
  t.equal((await app.inject({ url: '/version' })).statusCode, 200);
});

t.test('/readyz fails when the store cannot answer', async (t) => {
  const { app, store } = await server(t);
  await store.close();
  const res = await app.inject({ url: '/readyz' });
  t.equal(res.statusCode, 500);
  t.match(res.body, /\[-\]etcd failed: reason withheld/);
});
