import t from 'tap';
import { openStore } from '../../store/index.js';
import { buildApiServer } from '../build-api-server.js';
import Fastify from 'fastify';
import { installHealthEndpoint, storeCheck } from './health-checks.js';

type State = { shuttingDown: boolean; storeClosed: boolean };

async function server(t: { teardown(fn: () => unknown): void }, state: State, authentication?: { anonymous: boolean }) {
  const store = await openStore({ backend: 'memory' });
  const app = buildApiServer({ store, isShuttingDown: () => state.shuttingDown, ...(authentication ? { authentication } : {}) });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  if (state.storeClosed) await store.close();
  return app;
}

const OK: State = { shuttingDown: false, storeClosed: false };
const SHUTTING_DOWN: State = { shuttingDown: true, storeClosed: false };
const STORE_DOWN: State = { shuttingDown: false, storeClosed: true };

const cases: Array<[name: string, state: State, url: string, status: number, body: string | RegExp]> = [
  ['healthz: ok', OK, '/healthz', 200, 'ok'],
  ['livez: ok', OK, '/livez', 200, 'ok'],
  ['readyz: ok', OK, '/readyz', 200, 'ok'],
  ['healthz verbose', OK, '/healthz?verbose', 200, '[+]ping ok\n[+]log ok\n[+]etcd ok\nhealthz check passed\n'],
  ['livez verbose', OK, '/livez?verbose', 200, '[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n'],
  ['readyz verbose', OK, '/readyz?verbose', 200, '[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]shutdown ok\nreadyz check passed\n'],
  ['verbose=1 counts too', OK, '/readyz?verbose=1', 200, /readyz check passed\n$/],
  ['excluding a check', OK, '/readyz?verbose&exclude=etcd', 200, '[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\n[+]shutdown ok\nreadyz check passed\n'],
  [
    'excluding an unknown check warns',
    OK,
    '/livez?verbose&exclude=nope&exclude=etcd&exclude=abc',
    200,
    '[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\nwarn: some health checks cannot be excluded: no matches for "abc","nope"\nlivez check passed\n',
  ],
  ['one check', OK, '/readyz/etcd', 200, 'ok'],
  ['one check: ping', OK, '/livez/ping', 200, 'ok'],
  ['shutdown is only a readyz check', OK, '/livez/shutdown', 404, /NotFound/],
  [
    'shutting down: not ready, reason withheld',
    SHUTTING_DOWN,
    '/readyz',
    500,
    '[+]ping ok\n[+]log ok\n[+]etcd ok\n[-]shutdown failed: reason withheld\nreadyz check failed\n',
  ],
  ['shutting down: verbose fails the same way', SHUTTING_DOWN, '/readyz?verbose', 500, /\[-\]shutdown failed: reason withheld\nreadyz check failed\n$/],
  ['shutting down: excluding shutdown passes', SHUTTING_DOWN, '/readyz?exclude=shutdown', 200, 'ok'],
  ['shutting down: still live', SHUTTING_DOWN, '/livez', 200, 'ok'],
  ['shutting down: still healthy', SHUTTING_DOWN, '/healthz', 200, 'ok'],
  ['shutting down: the check itself shows its reason', SHUTTING_DOWN, '/readyz/shutdown', 500, 'internal server error: process is shutting down\n'],
  ['store down: not ready', STORE_DOWN, '/readyz', 500, '[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n'],
  ['store down: not live', STORE_DOWN, '/livez', 500, '[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\nlivez check failed\n'],
  ['store down: healthz fails', STORE_DOWN, '/healthz', 500, /\[-\]etcd failed: reason withheld\nhealthz check failed\n$/],
  ['store down: the etcd check shows its reason', STORE_DOWN, '/livez/etcd', 500, /^internal server error: .+\n$/],
  ['store down: ping still ok', STORE_DOWN, '/readyz/ping', 200, 'ok'],
];

t.test('health endpoints, as kube-apiserver serves them', async (t) => {
  for (const [name, state, url, status, body] of cases) {
    const app = await server(t, state);
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await app.inject({ method, url });
      t.equal(res.statusCode, status, `${name}: ${method} ${url} status`);
      if (method === 'HEAD') continue;
      if (typeof body === 'string') t.equal(res.body, body, `${name}: body`);
      else t.match(res.body, body, `${name}: body`);
      if (status !== 404) {
        t.equal(res.headers['content-type'], 'text/plain; charset=utf-8', `${name}: content type`);
        t.equal(res.headers['x-content-type-options'], 'nosniff', `${name}: nosniff`);
      }
    }
  }
});

t.test('the root paths are public, single checks need credentials', async (t) => {
  const app = await server(t, OK, { anonymous: false });
  for (const url of ['/healthz', '/livez', '/readyz', '/readyz?verbose']) t.equal((await app.inject({ url })).statusCode, 200, url);
  for (const url of ['/readyz/etcd', '/livez/ping']) t.equal((await app.inject({ url })).statusCode, 401, url);
  const anonymous = await server(t, OK, { anonymous: true });
  t.equal((await anonymous.inject({ url: '/readyz/etcd' })).statusCode, 403, 'anonymous may not read one check');
});

t.test('a store that hangs fails the etcd check after the timeout', async (t) => {
  const check = storeCheck({ range: () => new Promise(() => {}) }, 20);
  const err = await Promise.resolve(check.check()).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(err, { message: /did not answer within 20ms/ });
});

t.test('a check may throw anything; checks run in order', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  installHealthEndpoint(app, 'readyz', [
    { name: 'a', check: () => {} },
    {
      name: 'b',
      check: () => {
        throw 'not an Error';
      },
    },
    { name: 'c', check: async () => {} },
  ]);
  const res = await app.inject({ url: '/readyz?verbose' });
  t.equal(res.statusCode, 500);
  t.equal(res.body, '[+]a ok\n[-]b failed: reason withheld\n[+]c ok\nreadyz check failed\n');
  const one = await app.inject({ url: '/readyz/b' });
  t.equal(one.body, 'internal server error: not an Error\n');
});
