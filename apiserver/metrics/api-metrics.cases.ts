import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { openStore } from '../../store/index.js';
import type { AuthenticationOptions } from '../auth/authenticate.js';
import { buildApiServer } from '../build-api-server.js';
import { builtinCatalogue } from '../resources/index.js';
import { REQUEST_DURATION_BUCKETS } from './api-metrics.js';

type T = { teardown(fn: () => unknown): void };

const TOKEN = 'metrics-reader-token';
const authentication: AuthenticationOptions = { tokens: new Map([[TOKEN, { name: 'alice', groups: ['system:authenticated'] }]]) };
const auth = { authorization: `Bearer ${TOKEN}` };

async function setup(t: T, state = { shuttingDown: false }) {
  const store = await openStore({ backend: 'memory' });
  const app = buildApiServer({
    store,
    isShuttingDown: () => state.shuttingDown,
    authentication,
    api: { catalogue: builtinCatalogue(), cluster: { serviceCIDR: '10.96.0.0/12', podCIDR: '10.244.0.0/16' } },
  });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  const scrape = async () => {
    const res = await app.inject({ url: '/metrics', headers: auth });
    return { res, samples: parse(res.body) };
  };
  return { app, scrape, state };
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (comments skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

const matches = (s: Sample, name: string, labels: Record<string, string>) =>
  s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v);
const valueOf = (samples: Sample[], name: string, labels: Record<string, string>) => {
  const found = samples.filter((s) => matches(s, name, labels));
  return found.length === 1 ? found[0]!.value : found.length === 0 ? undefined : NaN;
};

const LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'];
const labelSet = (verb: string, resource: string, scope: string, over: Record<string, string> = {}) => ({
  verb,
  dry_run: '',
  group: '',
  version: 'v1',
  resource,
  subresource: '',
  scope,
  component: 'apiserver',
  ...over,
});
const health = (path: string) => ({ verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: path, scope: '', component: '' });

type Call = { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> };
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

const cases: Array<[name: string, call: Call, labels: Record<string, string>, code: string]> = [
  ['create', { method: 'POST', url: '/api/v1/namespaces/default/configmaps', payload: cm('a') }, labelSet('POST', 'configmaps', 'resource'), '201'],
  ['dry-run create', { method: 'POST', url: '/api/v1/namespaces/default/configmaps?dryRun=All', payload: cm('b') }, labelSet('POST', 'configmaps', 'resource', { dry_run: 'All' }), '201'],
  ['get', { url: '/api/v1/namespaces/default/configmaps/a' }, labelSet('GET', 'configmaps', 'resource'), '200'],
  ['get, not found', { url: '/api/v1/namespaces/default/configmaps/nope' }, labelSet('GET', 'configmaps', 'resource'), '404'],
  ['list', { url: '/api/v1/namespaces/default/configmaps' }, labelSet('LIST', 'configmaps', 'namespace'), '200'],
  ['list across namespaces', { url: '/api/v1/configmaps' }, labelSet('LIST', 'configmaps', 'cluster'), '200'],
  ['update, conflict', { method: 'PUT', url: '/api/v1/namespaces/default/configmaps/a', payload: { ...cm('a'), metadata: { name: 'a', resourceVersion: '1' } } }, labelSet('PUT', 'configmaps', 'resource'), '409'],
  ['delete', { method: 'DELETE', url: '/api/v1/namespaces/default/configmaps/a' }, labelSet('DELETE', 'configmaps', 'resource'), '200'],
  ['delete collection', { method: 'DELETE', url: '/api/v1/namespaces/default/configmaps' }, labelSet('DELETECOLLECTION', 'configmaps', 'namespace'), '200'],
  ['watch, to its timeout', { url: '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1' }, labelSet('WATCH', 'configmaps', 'namespace'), '200'],
  ['another group', { url: '/apis/coordination.k8s.io/v1/leases' }, labelSet('LIST', 'leases', 'cluster', { group: 'coordination.k8s.io' }), '200'],
  ['no credentials: 401 counts too', { url: '/api/v1/nodes', headers: { authorization: '' } }, labelSet('LIST', 'nodes', 'cluster'), '401'],
  ['health', { url: '/readyz?verbose' }, health('/readyz'), '200'],
  ['unknown resource: no resource labels', { url: '/api/v1/namespaces/default/nopes' }, { ...health(''), verb: 'LIST' }, '404'],
];

t.test('every request is counted and timed with kube-apiserver labels', async (t) => {
  const { app, scrape } = await setup(t);
  for (const [name, call, , code] of cases) {
    const headers = { ...auth, ...call.headers };
    if (headers.authorization === '') delete (headers as { authorization?: string }).authorization;
    const res = await app.inject({ method: call.method ?? 'GET', url: call.url, headers, ...(call.payload ? { payload: call.payload as object } : {}) });
    t.equal(String(res.statusCode), code, `${name}: the call answers ${code}`);
  }
  const { res, samples } = await scrape();
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  for (const [name, , labels, code] of cases) {
    t.equal(valueOf(samples, 'apiserver_request_total', { ...labels, code }), 1, `${name}: counted once`);
    // the histogram has no code label: calls that differ only in their code share a series
    const timed = cases.filter(([, , other]) => JSON.stringify(other) === JSON.stringify(labels)).length;
    t.equal(valueOf(samples, 'apiserver_request_duration_seconds_count', labels), timed, `${name}: timed`);
  }
  for (const s of samples.filter((s) => s.name === 'apiserver_request_total')) {
    t.same(Object.keys(s.labels).sort(), [...LABELS, 'code'].sort(), 'every series has exactly the kube labels');
  }
  const watchSeconds = valueOf(samples, 'apiserver_request_duration_seconds_sum', labelSet('WATCH', 'configmaps', 'namespace'));
  t.ok(watchSeconds! >= 0.9 && watchSeconds! < 10, `a WATCH lasts as long as its stream (${watchSeconds}s)`);
});

t.test('the exposition: types, kube buckets, in-flight and process metrics', async (t) => {
  const { app, scrape } = await setup(t);
  await app.inject({ url: '/healthz' });
  const { res, samples } = await scrape();
  for (const [name, type] of [
    ['apiserver_request_total', 'counter'],
    ['apiserver_request_duration_seconds', 'histogram'],
    ['apiserver_current_inflight_requests', 'gauge'],
    ['process_resident_memory_bytes', 'gauge'],
    ['process_start_time_seconds', 'gauge'],
  ]) {
    t.match(res.body, new RegExp(`^# HELP ${name} \\S`, 'm'), `${name} has help`);
    t.match(res.body, new RegExp(`^# TYPE ${name} ${type}$`, 'm'), `${name} is a ${type}`);
  }
  const buckets = samples.filter((s) => matches(s, 'apiserver_request_duration_seconds_bucket', health('/healthz'))).map((s) => s.labels.le);
  t.same(buckets, [...REQUEST_DURATION_BUCKETS.map(String), '+Inf'], "kube's bucket boundaries");
  t.equal(valueOf(samples, 'apiserver_request_duration_seconds_bucket', { ...health('/healthz'), le: '+Inf' }), 1);
  // the scrape itself is the one request in flight
  t.equal(valueOf(samples, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' }), 1);
  t.equal(valueOf(samples, 'apiserver_current_inflight_requests', { request_kind: 'mutating' }), 0);
  t.ok(valueOf(samples, 'process_resident_memory_bytes', {})! > 1e6, 'resident memory');
  const start = valueOf(samples, 'process_start_time_seconds', {})!;
  t.ok(start <= Date.now() / 1000 && start > Date.now() / 1000 - 3600 * 24 * 365, 'start time in seconds since the epoch');
});

t.test('who may read /metrics: authenticated users only', async (t) => {
  const { app } = await setup(t);
  t.equal((await app.inject({ url: '/metrics' })).statusCode, 401, 'no credentials');
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401, 'bad token');
  t.equal((await app.inject({ url: '/metrics', headers: auth })).statusCode, 200, 'a user');

  const store = await openStore({ backend: 'memory' });
  const open = buildApiServer({ store, authentication: { anonymous: true } });
  t.teardown(async () => {
    await open.close();
    await store.close();
  });
  t.equal((await open.inject({ url: '/metrics' })).statusCode, 403, 'anonymous is not allowed');
});

t.test('each API server has its own registry', async (t) => {
  const a = await setup(t);
  const b = await setup(t);
  await a.app.inject({ url: '/livez', headers: auth });
  await a.app.inject({ url: '/livez', headers: auth });
  t.equal(valueOf((await a.scrape()).samples, 'apiserver_request_total', { ...health('/livez'), code: '200' }), 2);
  t.equal(valueOf((await b.scrape()).samples, 'apiserver_request_total', { ...health('/livez'), code: '200' }), undefined);
});

t.test('a write refused while shutting down is counted as 503', async (t) => {
  const { app, scrape, state } = await setup(t);
  state.shuttingDown = true;
  const res = await app.inject({ method: 'POST', url: '/api/v1/namespaces/default/configmaps', payload: cm('x'), headers: auth });
  t.equal(res.statusCode, 503);
  t.equal(valueOf((await scrape()).samples, 'apiserver_request_total', { ...labelSet('POST', 'configmaps', 'resource'), code: '503' }), 1);
});

t.test('a watch whose client goes away is counted when its stream closes', async (t) => {
  const { app, scrape } = await setup(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/namespaces/default/configmaps?watch=1', headers: auth }, (res) => {
      t.equal(res.statusCode, 200);
      // headers are in: the watch is streaming; hang up
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    req.end();
  });
  const watch = labelSet('WATCH', 'configmaps', 'namespace');
  let count: number | undefined;
  for (let i = 0; i < 50 && count === undefined; i++) {
    count = valueOf((await scrape()).samples, 'apiserver_request_total', { ...watch, code: '200' });
    if (count === undefined) await new Promise((r) => setTimeout(r, 20));
  }
  t.equal(count, 1, 'counted once');
  t.equal(valueOf((await scrape()).samples, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' }), 1, 'only the scrape is in flight');
});
