/**
 * Authentication and authorization through the real API server over real TLS: client
 * certificates, tokens, anonymous, and the 401/403 Status bodies. A test-only /whoami
 * route shows what handlers see as request.user.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import t from 'tap';
import { loadOrCreatePki, type Pki } from '../../cli/pki/pki.js';
import { createCertificateAuthority, issueCertificate } from '../../cli/pki/x509.js';
import { openStore } from '../../store/index.js';
import { httpsGet } from '../../test/helpers/https-get.js';
import { buildApiServer } from '../build-api-server.js';
import type { AuthenticationOptions } from './authenticate.js';

type T = { teardown(fn: () => unknown): void };

let pki: Pki;
t.before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-auth-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  pki = await loadOrCreatePki(dir, { address: '127.0.0.1', nodes: ['k8ts-node-1'] });
});

async function serve(t: T, authentication: AuthenticationOptions) {
  const store = await openStore({ backend: 'memory' });
  const app = buildApiServer({ store, tls: { cert: pki.serving.cert, key: pki.serving.key, clientCA: pki.ca.cert }, authentication });
  app.get('/whoami', async (request) => request.user);
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  return `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

t.test('client certificates: CN is the user, O the groups, plus system:authenticated', async (t) => {
  const url = await serve(t, {});
  const ca = pki.ca.cert;
  const cases: Array<[string, string[]]> = [
    ['admin', ['system:masters', 'system:authenticated']],
    ['system:kube-scheduler', ['system:authenticated']],
    ['system:kube-controller-manager', ['system:authenticated']],
    ['system:node:k8ts-node-1', ['system:nodes', 'system:authenticated']],
  ];
  for (const [user, groups] of cases) {
    const { cert, key } = pki.clients.get(user)!;
    const res = await httpsGet(`${url}/whoami`, { ca, cert, key });
    t.equal(res.status, 200, user);
    t.same(res.json(), { name: user, groups }, user);
  }
});

t.test('a certificate from another CA is 401, even with --anonymous', async (t) => {
  const url = await serve(t, { anonymous: true });
  const otherCa = await createCertificateAuthority('other-ca', 1);
  const { cert, key } = await issueCertificate(otherCa, { commonName: 'admin', organizations: ['system:masters'], usage: 'client', validDays: 1 });
  const res = await httpsGet(`${url}/whoami`, { ca: pki.ca.cert, cert, key });
  t.equal(res.status, 401);
  t.same(res.json(), UNAUTHORIZED);
});

t.test('tokens: a good one authenticates, a bad one is 401', async (t) => {
  const url = await serve(t, { tokens: new Map([['s3cret', { name: 'alice', uid: '1', groups: ['devs'] }]]) });
  const good = await httpsGet(`${url}/whoami`, { ca: pki.ca.cert, token: 's3cret' });
  t.same(good.json(), { name: 'alice', uid: '1', groups: ['devs', 'system:authenticated'] });
  const bad = await httpsGet(`${url}/whoami`, { ca: pki.ca.cert, token: 'wrong' });
  t.equal(bad.status, 401);
  t.same(bad.json(), UNAUTHORIZED);
});

t.test('no credentials: 401 everywhere but the public paths; 404s are 401 too', async (t) => {
  const url = await serve(t, {});
  for (const path of ['/whoami', '/api', '/api/v1/namespaces/default/pods', '/nope']) {
    const res = await httpsGet(`${url}${path}`, { ca: pki.ca.cert });
    t.equal(res.status, 401, path);
    t.same(res.json(), UNAUTHORIZED, path);
  }
  for (const path of ['/healthz', '/livez', '/readyz', '/version']) {
    t.equal((await httpsGet(`${url}${path}`, { ca: pki.ca.cert })).status, 200, path);
  }
});

t.test('--anonymous: system:anonymous, forbidden beyond the public paths', async (t) => {
  const url = await serve(t, { anonymous: true });
  t.equal((await httpsGet(`${url}/version`, { ca: pki.ca.cert })).status, 200);
  const pods = await httpsGet(`${url}/api/v1/namespaces/default/pods`, { ca: pki.ca.cert });
  t.equal(pods.status, 403);
  t.same(pods.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"',
    reason: 'Forbidden',
    details: { kind: 'pods' },
    code: 403,
  });
  const whoami = await httpsGet(`${url}/whoami`, { ca: pki.ca.cert });
  t.equal(whoami.status, 403);
  t.equal(whoami.json().message, 'forbidden: User "system:anonymous" cannot get path "/whoami"');
});

t.test('HTTP/1.1 only: h2 is never chosen through ALPN', async (t) => {
  const url = new URL(await serve(t, {}));
  const socket = connect({ host: url.hostname, port: Number(url.port), ca: pki.ca.cert, ALPNProtocols: ['h2', 'http/1.1'] });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  t.equal(socket.alpnProtocol, 'http/1.1');
  socket.destroy();
});
