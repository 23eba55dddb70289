import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import { sha256Digest } from './digest.js';
import { MANIFEST_ACCEPT_HEADER, MediaTypes } from './media-types.js';
import { RegistryClient, type RegistryCredentials } from './registry-client.js';
import { sendJson, startFakeRegistryServer, type FakeRegistryServer } from './testing/fake-registry-server.js';
import { collectBytes, registryRejection } from './testing/registry-test-helpers.js';

const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: {}, layers: [] }));
const manifestDigest = sha256Digest(manifest);
const blob = Buffer.from('layer bytes');
const blobDigest = sha256Digest(blob);

async function fakeServer(t: { teardown(fn: () => unknown): void }): Promise<FakeRegistryServer> {
  const server = await startFakeRegistryServer();
  t.teardown(() => server.stop());
  return server;
}

function sendManifest(res: import('node:http').ServerResponse, bytes = manifest, digest = sha256Digest(bytes)): void {
  res.writeHead(200, { 'Content-Type': MediaTypes.ociManifest, 'Docker-Content-Digest': digest, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

t.test('anonymous manifest: full Accept list, digest and media type', async (t) => {
  const server = await fakeServer(t);
  server.handle((_req, res) => sendManifest(res));
  const got = await new RegistryClient().fetchManifest(server.host, 'a/b', 'v1');
  t.equal(got.digest, manifestDigest);
  t.equal(got.mediaType, MediaTypes.ociManifest);
  t.same(got.bytes, manifest);
  t.equal(server.requests[0]!.url, '/v2/a/b/manifests/v1');
  t.equal(server.requests[0]!.headers.accept, MANIFEST_ACCEPT_HEADER);
  t.equal(server.requests[0]!.headers.authorization, undefined);
});

t.test('media type falls back to the document field when Content-Type is generic', async (t) => {
  const server = await fakeServer(t);
  server.handle((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(manifest);
  });
  t.equal((await new RegistryClient().fetchManifest(server.host, 'a', 'v1')).mediaType, MediaTypes.ociManifest);
});

t.test('manifest bytes that do not match Docker-Content-Digest are refused', async (t) => {
  const server = await fakeServer(t);
  server.handle((_req, res) => sendManifest(res, manifest, sha256Digest('something else')));
  const err = await registryRejection(new RegistryClient().fetchManifest(server.host, 'a', 'v1'));
  t.match(err.message, /manifest digest mismatch/);
  t.match(err.message, `${server.host}/a:v1`);
});

t.test('a manifest asked for by digest must hash to that digest', async (t) => {
  const server = await fakeServer(t);
  const other = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: {}, layers: [{}] }));
  // The registry lies consistently: its header matches the bytes it sends, not what we asked for.
  server.handle((_req, res) => sendManifest(res, other));
  const err = await registryRejection(new RegistryClient().fetchManifest(server.host, 'a', manifestDigest));
  t.match(err.message, `asked for ${manifestDigest}, content is ${sha256Digest(other)}`);
  t.match(err.message, `${server.host}/a@${manifestDigest}`);
});

t.test('unknown tag: containerd-like "not found" with the registry code', async (t) => {
  const server = await fakeServer(t);
  server.handle((_req, res) => sendJson(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'nope' } }] }));
  const err = await registryRejection(new RegistryClient().fetchManifest(server.host, 'busybox', 'nope'));
  t.equal(err.message, `${server.host}/busybox:nope: not found`);
  t.equal(err.status, 404);
  t.equal(err.code, 'MANIFEST_UNKNOWN');
});

t.test('other statuses: unexpected status message with the registry errors', async (t) => {
  const server = await fakeServer(t);
  server.handle((_req, res) => sendJson(res, 500, { errors: [{ code: 'UNKNOWN', message: 'disk on fire' }] }));
  const err = await registryRejection(new RegistryClient().fetchManifest(server.host, 'x', 'y'));
  t.equal(err.message, `unexpected status from GET request to http://${server.host}/v2/x/manifests/y: 500 Internal Server Error: unknown: disk on fire`);
  t.equal(err.status, 500);
  t.equal(err.code, 'UNKNOWN');
});

t.test('Basic challenge', async (t) => {
  const server = await fakeServer(t);
  const good = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
  server.handle((req, res) => {
    if (req.headers.authorization !== good) {
      return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'WWW-Authenticate': 'Basic realm="test"' });
    }
    if (req.url.includes('/blobs/')) return void res.writeHead(200).end(blob);
    sendManifest(res);
  });

  await t.test('no credentials: 401 with the registry message', async (t) => {
    const err = await registryRejection(new RegistryClient().fetchManifest(server.host, 'x', 'y'));
    t.equal(err.status, 401);
    t.equal(err.code, 'UNAUTHORIZED');
    t.equal(err.message, `unexpected status from GET request to http://${server.host}/v2/x/manifests/y: 401 Unauthorized: unauthorized: authentication required`);
  });

  await t.test('wrong password: 401 after one retry', async (t) => {
    const before = server.requests.length;
    const client = new RegistryClient({ credentials: () => ({ username: 'alice', password: 'wrong' }) });
    const err = await registryRejection(client.fetchManifest(server.host, 'x', 'y'));
    t.equal(err.status, 401);
    t.equal(server.requests.length - before, 2, 'anonymous, then one retry with credentials');
  });

  await t.test('right password: ok, and later requests send Basic up front', async (t) => {
    const client = new RegistryClient({ credentials: (host) => (host === server.host ? { username: 'alice', password: 'secret' } : undefined) });
    await client.fetchManifest(server.host, 'x', 'y');
    const before = server.requests.length;
    t.same(await collectBytes(await client.fetchBlob(server.host, 'x', blobDigest)), blob);
    t.equal(server.requests.length - before, 1, 'no second challenge');
    t.equal(server.requests.at(-1)!.headers.authorization, good);
  });
});

/** A registry with a token endpoint on the same fake server (/token), like Docker Hub's flow. */
function bearerRegistry(server: FakeRegistryServer, opts: { expiresIn?: number; users?: Record<string, string> } = {}) {
  let serial = 0;
  const valid = new Set<string>();
  server.handle((req, res) => {
    const url = new URL(req.url, `http://${server.host}`);
    if (url.pathname === '/token') {
      if (opts.users) {
        const basic = req.headers.authorization?.replace(/^Basic /, '');
        const [user, password] = Buffer.from(basic ?? '', 'base64').toString().split(':');
        if (!basic || opts.users[user ?? ''] !== password) return sendJson(res, 401, { details: 'bad creds' });
      }
      if (req.method === 'POST') {
        const form = new URLSearchParams(req.body);
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== 'refresh-me') return sendJson(res, 400, {});
      }
      const token = `tok${++serial}`;
      valid.add(token);
      return sendJson(res, 200, req.method === 'POST' ? { access_token: token, expires_in: opts.expiresIn } : { token, expires_in: opts.expiresIn });
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (token === undefined || !valid.has(token)) {
      const repo = url.pathname.split('/')[2];
      return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
        'WWW-Authenticate': `Bearer realm="http://${server.host}/token",service="fake",scope="repository:${repo}:pull"`,
      });
    }
    if (url.pathname.includes('/blobs/')) return void res.writeHead(200).end(blob);
    sendManifest(res);
  });
  return {
    tokenRequests: () => server.requests.filter((r) => r.url.startsWith('/token')),
    revokeAll: () => valid.clear(),
  };
}

t.test('Bearer: anonymous token, cached per scope until expires_in runs out', async (t) => {
  const server = await fakeServer(t);
  const registry = bearerRegistry(server, { expiresIn: 120 });
  const clock = new FakeClock();
  const client = new RegistryClient({ clock });
  await client.fetchManifest(server.host, 'a', 'v1');
  await collectBytes(await client.fetchBlob(server.host, 'a', blobDigest));
  await collectBytes(await client.fetchBlob(server.host, 'a', blobDigest));
  t.equal(registry.tokenRequests().length, 1, 'one token for the manifest and both blobs');
  const tokenUrl = new URL(registry.tokenRequests()[0]!.url, 'http://x');
  t.equal(tokenUrl.searchParams.get('service'), 'fake');
  t.same(tokenUrl.searchParams.getAll('scope'), ['repository:a:pull']);
  t.equal(registry.tokenRequests()[0]!.headers.authorization, undefined, 'anonymous token request');

  await client.fetchManifest(server.host, 'other', 'v1');
  t.equal(registry.tokenRequests().length, 2, 'another repository needs its own token');

  clock.step(119_000);
  await client.fetchManifest(server.host, 'a', 'v1');
  t.equal(registry.tokenRequests().length, 2, 'still valid');
  clock.step(2_000);
  await client.fetchManifest(server.host, 'a', 'v1');
  t.equal(registry.tokenRequests().length, 3, 'expired: fetched again');
});

t.test('Bearer: a revoked cached token is replaced after one 401', async (t) => {
  const server = await fakeServer(t);
  const registry = bearerRegistry(server);
  const client = new RegistryClient();
  await client.fetchManifest(server.host, 'a', 'v1');
  registry.revokeAll();
  await client.fetchManifest(server.host, 'a', 'v1');
  t.equal(registry.tokenRequests().length, 2);
});

t.test('Bearer with username/password: Basic on the token request', async (t) => {
  const server = await fakeServer(t);
  const registry = bearerRegistry(server, { users: { bob: 'pw' } });
  const ok = new RegistryClient({ credentials: () => ({ username: 'bob', password: 'pw' }) });
  await ok.fetchManifest(server.host, 'a', 'v1');
  t.equal(registry.tokenRequests()[0]!.headers.authorization, `Basic ${Buffer.from('bob:pw').toString('base64')}`);

  const err = await registryRejection(new RegistryClient({ credentials: () => ({ username: 'bob', password: 'nope' }) }).fetchManifest(server.host, 'a', 'v1'));
  t.equal(err.status, 401);
  t.match(err.message, /^failed to fetch token: unexpected status from GET request to http:\/\/127\.0\.0\.1:\d+\/token\?service=fake&scope=repository%3Aa%3Apull: 401 Unauthorized$/);

  const anonymous = await registryRejection(new RegistryClient().fetchManifest(server.host, 'a', 'v1'));
  t.match(anonymous.message, /^failed to fetch anonymous token: /);
});

t.test('Bearer with an identity token: OAuth2 refresh_token grant by POST', async (t) => {
  const server = await fakeServer(t);
  const registry = bearerRegistry(server);
  await new RegistryClient({ credentials: () => ({ identityToken: 'refresh-me' }) }).fetchManifest(server.host, 'a', 'v1');
  const [req] = registry.tokenRequests();
  t.equal(req!.method, 'POST');
  const form = new URLSearchParams(req!.body);
  t.equal(form.get('grant_type'), 'refresh_token');
  t.equal(form.get('service'), 'fake');
  t.equal(form.get('scope'), 'repository:a:pull');
  t.ok(form.get('client_id'));
});

t.test('Bearer with a registry token: sent as is, no token request', async (t) => {
  const server = await fakeServer(t);
  let seen: string | undefined;
  server.handle((req, res) => {
    seen = req.headers.authorization;
    if (seen !== 'Bearer given') {
      return sendJson(res, 401, {}, { 'WWW-Authenticate': `Bearer realm="http://${server.host}/token",service="fake"` });
    }
    sendManifest(res);
  });
  await new RegistryClient({ credentials: (): RegistryCredentials => ({ registryToken: 'given' }) }).fetchManifest(server.host, 'a', 'v1');
  t.equal(seen, 'Bearer given');
  t.notOk(server.requests.some((r) => r.url.startsWith('/token')));
});

t.test('blob redirect to another host: followed, Authorization dropped there', async (t) => {
  const registry = await fakeServer(t);
  const storage = await fakeServer(t);
  const good = `Basic ${Buffer.from('u:p').toString('base64')}`;
  registry.handle((req, res) => {
    if (req.headers.authorization !== good) return sendJson(res, 401, {}, { 'WWW-Authenticate': 'Basic realm="r"' });
    // "localhost" is another host name than 127.0.0.1 as far as credentials are concerned
    res.writeHead(307, { Location: `http://localhost:${storage.port}/bucket/blob?sig=1` }).end();
  });
  storage.handle((_req, res) => void res.writeHead(200).end(blob));
  const client = new RegistryClient({ credentials: () => ({ username: 'u', password: 'p' }) });
  t.same(await collectBytes(await client.fetchBlob(registry.host, 'a', blobDigest)), blob);
  t.equal(storage.requests.length, 1);
  t.equal(storage.requests[0]!.url, '/bucket/blob?sig=1');
  t.equal(storage.requests[0]!.headers.authorization, undefined);
});

t.test('unknown blob: not found', async (t) => {
  const server = await fakeServer(t);
  server.handle((_req, res) => sendJson(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }));
  const err = await registryRejection(new RegistryClient().fetchBlob(server.host, 'a', blobDigest));
  t.equal(err.message, `${server.host}/a@${blobDigest}: not found`);
  t.equal(err.code, 'BLOB_UNKNOWN');
});

t.test('no response headers within the timeout: RegistryError, no hang', async (t) => {
  const server = await fakeServer(t);
  let arrived!: () => void;
  const requestArrived = new Promise<void>((r) => (arrived = r));
  server.handle(() => arrived()); // never answers
  const clock = new FakeClock();
  const pending = registryRejection(new RegistryClient({ clock, timeoutMs: 5000 }).fetchManifest(server.host, 'a', 'v1'));
  await requestArrived;
  clock.step(5000);
  const err = await pending;
  t.equal(err.status, 0);
  t.match(err.message, /request timed out/);
});

t.test('a body that stalls: the idle timeout aborts the stream', async (t) => {
  const server = await fakeServer(t);
  let wrote!: () => void;
  const firstChunk = new Promise<void>((r) => (wrote = r));
  server.handle((_req, res) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('partial', () => wrote());
  });
  const clock = new FakeClock();
  const stream = await new RegistryClient({ clock, timeoutMs: 5000 }).fetchBlob(server.host, 'a', blobDigest);
  const reading = registryRejection(collectBytes(stream));
  await firstChunk;
  // Whether the reader is still on the first chunk or waiting for the second, its idle timer is armed.
  clock.step(5000);
  const err = await reading;
  t.match(err.message, /reading body: request timed out/);
});

t.test('connection refused: RegistryError with the cause', async (t) => {
  const server = await startFakeRegistryServer();
  const host = server.host;
  await server.stop();
  const err = await registryRejection(new RegistryClient().fetchManifest(host, 'a', 'v1'));
  t.equal(err.status, 0);
  t.match(err.message, /ECONNREFUSED/);
});

t.test('non-loopback hosts use https unless told otherwise', async (t) => {
  const urls: string[] = [];
  const fakeFetch = (async (url: string | URL | Request) => {
    urls.push(String(url));
    return new Response(manifest, { status: 200, headers: { 'Content-Type': MediaTypes.ociManifest } });
  }) as typeof fetch;
  await new RegistryClient({ fetch: fakeFetch }).fetchManifest('registry.example', 'a', 'v1');
  await new RegistryClient({ fetch: fakeFetch, plainHttp: () => true }).fetchManifest('registry.example', 'a', 'v1');
  t.same(urls, ['https://registry.example/v2/a/manifests/v1', 'http://registry.example/v2/a/manifests/v1']);
});
