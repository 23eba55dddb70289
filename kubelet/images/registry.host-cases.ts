import t, { type Test } from 'tap';
import * as path from 'node:path';
import { buildImage, buildIndex } from './build-image.js';
import { ContentStore } from './content-store.js';
import { isIndexMediaType } from './media-types.js';
import type { ImageIndex, ImageManifest } from './oci-types.js';
import { RegistryClient } from './registry-client.js';
import { pushImage } from './testing/push-image.js';
import { registryAvailable, startRegistry, type RunningRegistry } from './testing/registry-harness.js';
import { collectBytes, registryRejection } from './testing/registry-test-helpers.js';
import { tempDir } from './testing/temp-dir.js';

// Real registries (Debian's docker-registry on 127.0.0.1, our own config): anonymous,
// htpasswd Basic auth, and Bearer tokens from our token server.

/** A one-file image for amd64 and arm64 plus the index over both, tagged 'two-arch' (and 'one' for amd64 alone). */
async function seedStore(t: { teardown(fn: () => unknown): void }) {
  const store = await ContentStore.open(path.join(await tempDir(t, 'registry-store'), 'store'));
  const layers = [[{ path: 'hello.txt', content: 'hello from k8ts\n' }]];
  const amd64 = await buildImage(store, { layers, architecture: 'amd64', tag: 'one' });
  const arm64 = await buildImage(store, { layers: [[{ path: 'hello.txt', content: 'hello arm\n' }]], architecture: 'arm64', variant: 'v8' });
  const index = await buildIndex(
    store,
    [
      { manifest: amd64.manifest, platform: { architecture: 'amd64', os: 'linux' } },
      { manifest: arm64.manifest, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
    ],
    'two-arch',
  );
  return { store, amd64, arm64, index };
}

/** Pulls the two-arch index, both manifests and every blob, storing them with digest checks. */
async function pullAll(t: Test, client: RegistryClient, host: string, repository: string, seeded: Awaited<ReturnType<typeof seedStore>>) {
  const target = await ContentStore.open(path.join(await tempDir(t, 'registry-pull'), 'store'));
  const top = await client.fetchManifest(host, repository, 'latest');
  t.equal(top.digest, seeded.index.digest, 'index digest survives the round trip');
  t.ok(isIndexMediaType(top.mediaType));
  const index = JSON.parse(top.bytes.toString()) as ImageIndex;
  for (const child of index.manifests) {
    const m = await client.fetchManifest(host, repository, child.digest);
    t.equal(m.digest, child.digest);
    const manifest = JSON.parse(m.bytes.toString()) as ImageManifest;
    for (const blob of [manifest.config, ...manifest.layers]) {
      const stored = await target.putBlob(await client.fetchBlob(host, repository, blob.digest), blob.digest);
      t.equal(stored.size, blob.size);
    }
  }
  t.same(await target.readBlob(seeded.amd64.layers[0]!.digest), await seeded.store.readBlob(seeded.amd64.layers[0]!.digest));
}

async function withRegistry(t: Test, opts: Parameters<typeof startRegistry>[0]): Promise<RunningRegistry> {
  const registry = await startRegistry(opts);
  t.teardown(() => registry.stop());
  return registry;
}

// Skipped, with the reason, where Debian's docker-registry is not installed.
const skip = registryAvailable() ? false : 'registry tests: /usr/bin/docker-registry is not installed (apt-get install docker-registry)';

t.test('anonymous registry', { skip }, async (t) => {
  const seeded = await seedStore(t);
  const registry = await withRegistry(t, { auth: 'none' });
  await pushImage(seeded.store, 'two-arch', { host: registry.host, repository: 'k8ts/hello', tag: 'latest' });
  await pushImage(seeded.store, 'one', { host: registry.host, repository: 'k8ts/one', tag: 'v1' });
  const client = new RegistryClient();
  await pullAll(t, client, registry.host, 'k8ts/hello', seeded);

  const single = await client.fetchManifest(registry.host, 'k8ts/one', 'v1');
  t.equal(single.digest, seeded.amd64.manifest.digest);
  t.equal(single.mediaType, seeded.amd64.manifest.mediaType);

  const missing = await registryRejection(client.fetchManifest(registry.host, 'k8ts/hello', 'nope'));
  t.equal(missing.message, `${registry.host}/k8ts/hello:nope: not found`);
  t.equal(missing.code, 'MANIFEST_UNKNOWN');
  t.equal(missing.status, 404);

  const noRepo = await registryRejection(client.fetchManifest(registry.host, 'k8ts/none', 'latest'));
  t.equal(noRepo.message, `${registry.host}/k8ts/none:latest: not found`);
  // distribution 2.8 answers MANIFEST_UNKNOWN for a repository it has never seen, too
  t.equal(noRepo.code, 'MANIFEST_UNKNOWN');

  const blob = await collectBytes(await client.fetchBlob(registry.host, 'k8ts/hello', seeded.amd64.config.digest));
  t.same(blob, await seeded.store.readBlob(seeded.amd64.config.digest));
});

t.test('htpasswd registry (Basic auth)', { skip }, async (t) => {
  const seeded = await seedStore(t);
  const users = { alice: 'wonderland' };
  const registry = await withRegistry(t, { auth: 'htpasswd', users });
  await pushImage(seeded.store, 'two-arch', { host: registry.host, repository: 'private/hello', tag: 'latest' }, { username: 'alice', password: 'wonderland' });

  await t.test('right password', async (t) => {
    const client = new RegistryClient({ credentials: (host) => (host === registry.host ? { username: 'alice', password: 'wonderland' } : undefined) });
    await pullAll(t, client, registry.host, 'private/hello', seeded);
  });

  await t.test('wrong password', async (t) => {
    const client = new RegistryClient({ credentials: () => ({ username: 'alice', password: 'looking-glass' }) });
    const err = await registryRejection(client.fetchManifest(registry.host, 'private/hello', 'latest'));
    t.equal(err.status, 401);
    t.equal(err.code, 'UNAUTHORIZED');
    t.equal(
      err.message,
      `unexpected status from GET request to http://${registry.host}/v2/private/hello/manifests/latest: 401 Unauthorized: unauthorized: authentication required`,
    );
  });

  await t.test('no password', async (t) => {
    const err = await registryRejection(new RegistryClient().fetchManifest(registry.host, 'private/hello', 'latest'));
    t.equal(err.status, 401);
    t.match(err.message, /401 Unauthorized: unauthorized: authentication required$/);
  });
});

t.test('token registry with users (Bearer flow)', { skip }, async (t) => {
  const seeded = await seedStore(t);
  const registry = await withRegistry(t, { auth: 'token', users: { bob: 'builder' }, refreshTokens: { 'bob-refresh': 'bob' } });
  const tokens = registry.tokenServer!;
  await pushImage(seeded.store, 'two-arch', { host: registry.host, repository: 'team/hello', tag: 'latest' }, { username: 'bob', password: 'builder' });

  await t.test('anonymous is denied by the token server', async (t) => {
    const err = await registryRejection(new RegistryClient().fetchManifest(registry.host, 'team/hello', 'latest'));
    t.equal(err.status, 401);
    t.match(err.message, new RegExp(`^failed to fetch anonymous token: unexpected status from GET request to ${tokens.realm.replace(/[.?]/g, '\\$&')}\\?service=k8ts-test&scope=repository%3Ateam%2Fhello%3Apull: 401 Unauthorized: unauthorized: invalid username or password$`));
  });

  await t.test('wrong password is denied', async (t) => {
    const err = await registryRejection(new RegistryClient({ credentials: () => ({ username: 'bob', password: 'x' }) }).fetchManifest(registry.host, 'team/hello', 'latest'));
    t.equal(err.status, 401);
    t.match(err.message, /^failed to fetch token: /);
  });

  await t.test('with credentials: pulls, and one token serves the whole pull', async (t) => {
    const before = tokens.issued;
    const client = new RegistryClient({ credentials: () => ({ username: 'bob', password: 'builder' }) });
    await pullAll(t, client, registry.host, 'team/hello', seeded);
    t.equal(tokens.issued - before, 1, 'index, 2 manifests and 4 blobs with one token');
  });

  await t.test('with an identity token (refresh_token grant)', async (t) => {
    const client = new RegistryClient({ credentials: () => ({ identityToken: 'bob-refresh' }) });
    const m = await client.fetchManifest(registry.host, 'team/hello', 'latest');
    t.equal(m.digest, seeded.index.digest);
    const bad = new RegistryClient({ credentials: () => ({ identityToken: 'stolen' }) });
    const err = await registryRejection(bad.fetchManifest(registry.host, 'team/hello', 'latest'));
    t.match(err.message, /^failed to fetch oauth token: unexpected status from POST request to .*: 401 Unauthorized$/);
  });

  await t.test('unknown tag behind token auth: not found', async (t) => {
    const client = new RegistryClient({ credentials: () => ({ username: 'bob', password: 'builder' }) });
    const err = await registryRejection(client.fetchManifest(registry.host, 'team/hello', 'nope'));
    t.equal(err.message, `${registry.host}/team/hello:nope: not found`);
    t.equal(err.code, 'MANIFEST_UNKNOWN');
  });
});

t.test('token registry without users: anonymous tokens', { skip }, async (t) => {
  const seeded = await seedStore(t);
  const registry = await withRegistry(t, { auth: 'token' });
  await pushImage(seeded.store, 'two-arch', { host: registry.host, repository: 'public/hello', tag: 'latest' });
  await pullAll(t, new RegistryClient(), registry.host, 'public/hello', seeded);
});
