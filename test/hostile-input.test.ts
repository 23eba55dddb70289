/**
 * Issue 5: thousands of generated malformed or oversized requests, over real HTTP with
 * keep-alive (so Node's parser and Fastify's body limit are in the path, not inject()).
 * Every one must be answered 4xx with a Status body, the server must keep serving, and
 * the store must hold exactly the bytes it held before: a rejected write writes nothing.
 *
 * Hangs are caught by a generous per-request timeout (a timeout is a failure), not by
 * asserting wall-clock time.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import t, { type Test } from 'tap';
import { buildApiServer } from '../apiserver/build-api-server.js';
import { builtinCatalogue } from '../apiserver/resources/index.js';
import { openStore } from '../store/index.js';
import type { MvccStore } from '../store/index.js';
import {
  bodyCases,
  objectCases,
  oversizedCases,
  patchCases,
  prng,
  queryCases,
  routingCases,
  type HostileCase,
  type KindTarget,
} from './helpers/hostile-requests.js';

const REQUEST_TIMEOUT_MS = 30_000;
const CONCURRENCY = 8;
/** the kinds attacked: a spread of groups, scopes and strategies */
const PLURALS = ['pods', 'deployments', 'configmaps', 'services', 'namespaces', 'cronjobs', 'roles', 'secrets', 'serviceaccounts', 'statefulsets', 'clusterroles', 'leases'];
/** kinds simple enough to create a real object for, so updates and patches hit something */
const EXISTING: Record<string, Record<string, unknown>> = {
  ConfigMap: { data: { k: 'v' } },
  Secret: { type: 'Opaque', data: { k: 'dg==' } },
  ServiceAccount: {},
  Role: { rules: [] },
  ClusterRole: { rules: [] },
  Namespace: {},
  Lease: { spec: {} },
};

/**
 * Server bugs this test found, not fixed yet (matched against "METHOD label :: path").
 * Their cases run last, after every strict batch, as todo assertions: they may write to
 * the store, which would spoil the byte-for-byte comparison of the strict batches. When
 * one is fixed its todo passes; then delete the entry so the case becomes strict.
 */
const KNOWN_BUGS: Array<[RegExp, string]> = [];

const knownBug = (c: HostileCase) => KNOWN_BUGS.find(([re]) => re.test(`${c.method} ${c.label} :: ${c.path}`));

interface Answer {
  code: number;
  body: string;
}

async function startServer(t: Test) {
  const store = await openStore({ backend: 'memory', compactionWindowMs: 0, leaseCheckIntervalMs: 0 });
  const catalogue = builtinCatalogue();
  const app = buildApiServer({ store, api: { catalogue, cluster: { serviceCIDR: '10.96.0.0/12', podCIDR: '10.244.0.0/16' } } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  t.teardown(async () => {
    agent.destroy();
    await app.close();
    await store.close();
  });
  const kinds: KindTarget[] = [];
  for (const d of catalogue.all()) {
    if (!PLURALS.includes(d.plural)) continue;
    const prefix = d.group === '' ? `/api/${d.version}` : `/apis/${d.group}/${d.version}`;
    kinds.push({
      kind: d.kind,
      apiVersion: d.group === '' ? d.version : `${d.group}/${d.version}`,
      collection: d.namespaced ? `${prefix}/namespaces/default/${d.plural}` : `${prefix}/${d.plural}`,
      namespaced: d.namespaced,
      nameRule: d.nameRule ?? 'dns1123-subdomain',
    });
  }
  return { store, port, agent, kinds };
}

/** One request over the keep-alive agent; network errors and timeouts become code 0. */
function send(port: number, agent: Agent, c: HostileCase): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...c.headers };
    if (c.body && !c.chunked) headers['content-length'] = c.body.length;
    const req = httpRequest({ host: '127.0.0.1', port, method: c.method, path: c.path, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => resolve({ code: 0, body: `response error: ${err.message}` }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    // the server may answer 413 and close before an oversized body is fully sent; the
    // answer, if any, still arrives through the response callback first
    req.on('error', (err) => resolve({ code: 0, body: `request error: ${err.message}` }));
    if (c.body && c.chunked) {
      // several writes so that the body really goes out as chunks
      for (let i = 0; i < c.body.length; i += 256 * 1024) req.write(c.body.subarray(i, i + 256 * 1024));
      req.end();
    } else {
      req.end(c.body);
    }
  });
}

/** What is wrong with an answer, or undefined if it is what the case allows. */
function problem(c: HostileCase, a: Answer): string | undefined {
  if (a.code === 0) return a.body;
  if (a.code >= 500) return `server error ${a.code}: ${a.body.slice(0, 300)}`;
  if (a.code < 400) return c.expect === '4xx' ? `accepted with ${a.code}: ${a.body.slice(0, 300)}` : undefined;
  let status: Record<string, unknown>;
  try {
    status = JSON.parse(a.body) as Record<string, unknown>;
  } catch {
    return `${a.code} with a body that is not JSON: ${a.body.slice(0, 200)}`;
  }
  if (status.kind !== 'Status' || status.apiVersion !== 'v1' || status.status !== 'Failure') return `${a.code} without a Failure Status: ${a.body.slice(0, 300)}`;
  if (typeof status.reason !== 'string' || status.reason === '') return `${a.code} Status without a reason: ${a.body.slice(0, 300)}`;
  if (status.code !== a.code) return `HTTP ${a.code} but Status code ${String(status.code)}`;
  return undefined;
}

/** Run cases CONCURRENCY at a time; returns one line per failing case. */
async function runAll(port: number, agent: Agent, cases: HostileCase[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      const p = problem(c, await send(port, agent, c));
      if (p) failures.push(`#${i} ${c.label} — ${c.method} ${c.path.slice(0, 120)}: ${p}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

/** Every key, value and revision in the store, as one comparable string per key. */
async function snapshot(store: MvccStore): Promise<string[]> {
  const r = await store.range('\u0001', '\0');
  return r.kvs.map((kv) => `${kv.key} c=${kv.createRevision} m=${kv.modRevision} v=${kv.version} l=${kv.lease} ${Buffer.from(kv.value).toString('base64')}`);
}

/** Raw bytes on a socket: request lines and headers node:http would refuse to send. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('close', () => resolve(got));
    socket.on('error', () => undefined);
    socket.write(bytes, () => socket.end());
  });
}

t.test('hostile input: only 4xx Status answers, the server keeps serving, rejected writes write nothing', async (t) => {
  const { store, port, agent, kinds } = await startServer(t);
  t.ok(kinds.length >= 10, `attacking ${kinds.length} kinds: ${kinds.map((k) => k.kind).join(', ')}`);

  const existing = new Map<string, string>();
  for (const k of kinds) {
    const extra = EXISTING[k.kind];
    if (!extra) continue;
    const name = 'hostile-target';
    const body = Buffer.from(JSON.stringify({ apiVersion: k.apiVersion, kind: k.kind, metadata: { name }, ...extra }));
    const a = await send(port, agent, { category: 'setup', label: k.kind, method: 'POST', path: k.collection, headers: { 'content-type': 'application/json' }, body, expect: 'not5xx' });
    t.equal(a.code, 201, `setup: created ${k.kind} ${name}`, { body: a.body });
    if (a.code === 201) existing.set(k.kind, name);
  }
  // bootstrap objects are written before listen() resolves and no controllers run here,
  // so from now on nothing but an accepted hostile request could write
  const before = await snapshot(store);
  const revision = store.revision;

  const rng = prng(0x5eed);
  const batches: Array<[string, HostileCase[]]> = [];
  const all = [
    ...bodyCases(kinds, existing, rng),
    ...oversizedCases(kinds),
    ...objectCases(kinds, existing, rng),
    ...queryCases(kinds, existing),
    ...patchCases(kinds, existing),
    ...routingCases(kinds, existing),
  ];
  const known = new Map<string, HostileCase[]>();
  for (const c of all) {
    const bug = knownBug(c);
    if (bug) {
      known.set(bug[1], [...(known.get(bug[1]) ?? []), c]);
      continue;
    }
    const batch = batches.find(([name]) => name === c.category);
    if (batch) batch[1].push(c);
    else batches.push([c.category, [c]]);
  }
  t.ok(all.length >= 2500, `${all.length} hostile requests`);

  for (const [category, cases] of batches) {
    const failures = await runAll(port, agent, cases);
    t.same(failures, [], `${category}: ${cases.length} requests, all answered 4xx Status`);
    const alive = await send(port, agent, { category: 'probe', label: 'probe', method: 'GET', path: '/api/v1/namespaces/default', headers: {}, expect: 'not5xx' });
    t.equal(alive.code, 200, `${category}: the server still serves a normal GET`);
    t.same(await snapshot(store), before, `${category}: the store is byte-for-byte unchanged`);
    t.equal(store.revision, revision, `${category}: no write committed`);
  }

  // known bugs last: they may write, and only todo assertions report them
  for (const [bug, cases] of known) {
    const failures = await runAll(port, agent, cases);
    t.same(failures, [], `known bug (${cases.length} requests): ${bug}`, { todo: 'server bug found by this test, see KNOWN_BUGS' });
  }
  const alive = await send(port, agent, { category: 'probe', label: 'probe', method: 'GET', path: '/api/v1/namespaces/default', headers: {}, expect: 'not5xx' });
  t.equal(alive.code, 200, 'after the known bugs too, the server still serves a normal GET');
});

t.test('hostile input: malformed HTTP framing is refused and the server keeps serving', async (t) => {
  const { store, port, agent } = await startServer(t);
  const before = await snapshot(store);
  const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"framed"}}';
  const cases: Array<[string, string]> = [
    ['garbage request line', 'HELLO WORLD\r\n\r\n'],
    ['no HTTP version', 'GET /api/v1/namespaces\r\n\r\n'],
    ['bad header line', 'GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nno-colon-here\r\n\r\n'],
    ['header over 16 KiB', `GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['Content-Length not a number', `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n${body}`],
    ['Content-Length and chunked', `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${body}`],
    ['two Content-Lengths', `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: ${body.length}\r\n\r\n${body}`],
    ['bad chunk size', `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`],
    ['body shorter than Content-Length', `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9999\r\n\r\n${body}`],
    ['NUL in the path', 'GET /api/v1/\0namespaces HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['space in the path', 'GET /api/v1/name spaces HTTP/1.1\r\nHost: x\r\n\r\n'],
  ];
  for (const [label, bytes] of cases) {
    const got = await rawExchange(port, bytes);
    // Node's parser answers these itself (plain 400/431, as Go's server does) or just
    // closes; a request line without a version is read as HTTP/0.9 and may be served,
    // so only "no 5xx" is asserted here and the store comparison catches any write
    const code = Number(/^HTTP\/1\.[01] (\d{3})/.exec(got)?.[1] ?? 0);
    t.ok(code < 500, `${label}: no server error (${code || 'closed'})`, { got: got.slice(0, 200) });
    const alive = await send(port, agent, { category: 'probe', label: 'probe', method: 'GET', path: '/api/v1/namespaces/default', headers: {}, expect: 'not5xx' });
    t.equal(alive.code, 200, `${label}: the server still serves a normal GET`);
  }
  t.same(await snapshot(store), before, 'the store is byte-for-byte unchanged');
});
