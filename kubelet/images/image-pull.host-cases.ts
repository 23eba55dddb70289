/**
 * Pulls from a real registry (Debian's docker-registry on 127.0.0.1, started by
 * testing/registry-harness.ts) into a fresh node store: a single-arch busybox image, a
 * two-arch OCI index and a Docker manifest list (amd64 chosen), a missing tag (NotFound with
 * containerd's message), Basic auth from the CRI AuthConfig, snapshots shared between
 * images, and removeImage dropping only what no other image uses. Skips without the
 * registry binary or busybox-static.
 */
import t, { type Test } from 'tap';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { AuthConfig } from '../cri/api.js';
import { isCriError } from '../cri/errors.js';
import { ContentStore } from './content-store.js';
import { createImageService, type NodeImageService } from './image-service.js';
import type { Platform } from './oci-types.js';
import { SnapshotStore } from './snapshots.js';
import { existsSync } from 'node:fs';
import { buildBusyboxImage, buildBusyboxIndex, HOST_BUSYBOX } from './testing/busybox-images.js';
import { pushImage } from './testing/push-image.js';
import { registryAvailable, startRegistry, type RunningRegistry } from './testing/registry-harness.js';
import { tempDir } from './testing/temp-dir.js';

const AMD64: Platform = { os: 'linux', architecture: 'amd64' };

const skip = !registryAvailable()
  ? 'docker-registry is not installed (/usr/bin/docker-registry)'
  : !existsSync(HOST_BUSYBOX)
    ? `busybox-static is not installed (${HOST_BUSYBOX})`
    : false;

async function nodeService(t: Test, platform = AMD64): Promise<{ service: NodeImageService; store: ContentStore; snapshots: SnapshotStore }> {
  const dir = await tempDir(t, 'node-images');
  const store = await ContentStore.open(path.join(dir, 'images'));
  const snapshots = await SnapshotStore.open(path.join(dir, 'images', 'snapshots'));
  return { service: createImageService({ store, snapshots, platform }), store, snapshots };
}

const auth = (fields: Partial<AuthConfig>): AuthConfig => ({ username: '', password: '', auth: '', serverAddress: '', identityToken: '', registryToken: '', ...fields });

t.test('pulls from a real registry', { skip }, async (t) => {
  const registry: RunningRegistry = await startRegistry();
  t.teardown(() => registry.stop());
  const host = registry.host;
  const source = await ContentStore.open(await tempDir(t, 'source-images'));
  const single = await buildBusyboxImage(source, { tag: 'src/single', extraLayers: [[{ path: 'www/index.html', content: 'hi\n' }]], cmd: ['httpd', '-f'] });
  const oci = await buildBusyboxIndex(source, { tag: 'src/oci' });
  const docker = await buildBusyboxIndex(source, { tag: 'src/docker', format: 'docker', env: ['PATH=/bin', 'FLAVOUR=docker'] });
  await pushImage(source, 'src/single', { host, repository: 'busybox', tag: '1.0' });
  await pushImage(source, 'src/oci', { host, repository: 'multi', tag: 'oci' });
  await pushImage(source, 'src/docker', { host, repository: 'multi', tag: 'docker' });

  t.test('a single-arch image', async (t) => {
    const { service, snapshots } = await nodeService(t);
    const ref = `${host}/busybox:1.0`;
    t.same(await service.pullImage({ image: { image: ref } }), { imageRef: single.config.digest });
    const { image } = await service.imageStatus({ image: { image: ref }, verbose: false });
    t.equal(image?.id, single.config.digest);
    t.same(image?.repoTags, [ref]);
    t.same(image?.repoDigests, [`${host}/busybox@${single.manifest.digest}`]);
    t.equal(image?.size, single.config.size + single.layers.reduce((s, l) => s + l.size, 0));
    t.same((await service.imageConfig(ref)).config?.Cmd, ['httpd', '-f']);
    t.same(await snapshots.list(), [...single.diffIds].sort(), 'every layer was unpacked by the pull');
    const [top, base] = await service.rootfsLayers(single.config.digest);
    t.equal(await fs.readFile(path.join(top!, 'www/index.html'), 'utf8'), 'hi\n');
    t.ok((await fs.stat(path.join(base!, 'bin/busybox'))).isFile());
    t.equal(await fs.readlink(path.join(base!, 'bin/sh')), 'busybox');
    // a pull of the same image by digest names it once more, by digest
    await service.pullImage({ image: { image: `${host}/busybox@${single.manifest.digest}` } });
    t.equal((await service.listImages({})).images.length, 1);
  });

  t.test('an OCI index and a Docker manifest list: the amd64 manifest, or arm64/v8 on an arm64 node', async (t) => {
    const { service } = await nodeService(t);
    t.same(await service.pullImage({ image: { image: `${host}/multi:oci` } }), { imageRef: oci.amd64.config.digest });
    t.same(await service.pullImage({ image: { image: `${host}/multi:docker` } }), { imageRef: docker.amd64.config.digest });
    const [ociRoot] = await service.rootfsLayers(`${host}/multi:oci`);
    t.equal(await fs.readFile(path.join(ociRoot!, 'etc/k8ts-arch'), 'utf8'), 'amd64\n');
    const dockerImage = (await service.imageStatus({ image: { image: `${host}/multi:docker` }, verbose: false })).image;
    t.same(dockerImage?.repoDigests, [`${host}/multi@${docker.index.digest}`]);
    t.same((await service.imageConfig(`${host}/multi:docker`)).config?.Env, ['PATH=/bin', 'FLAVOUR=docker']);

    const arm = await nodeService(t, { os: 'linux', architecture: 'arm64', variant: 'v8' });
    t.same(await arm.service.pullImage({ image: { image: `${host}/multi:oci` } }), { imageRef: oci.arm64.config.digest });
    const [armRoot] = await arm.service.rootfsLayers(`${host}/multi:oci`);
    t.equal(await fs.readFile(path.join(armRoot!, 'etc/k8ts-arch'), 'utf8'), 'arm64 (amd64 binary)\n');

    const s390x = await nodeService(t, { os: 'linux', architecture: 's390x' });
    await t.rejects(s390x.service.pullImage({ image: { image: `${host}/multi:oci` } }), /no match for platform in manifest/);
  });

  t.test('a missing tag is NotFound with containerd\'s message; a bad reference InvalidArgument', async (t) => {
    const { service, store } = await nodeService(t);
    const ref = `${host}/busybox:nope`;
    const err = await service.pullImage({ image: { image: ref } }).catch((e: unknown) => e);
    t.ok(isCriError(err, 'NotFound'), 'NotFound');
    t.equal((err as Error).message, `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`);
    t.same(await store.list(), [], 'no name was written');
    await t.rejects(service.pullImage({ image: { image: 'Bad Name' } }), { code: 'InvalidArgument', message: /failed to parse image reference "Bad Name"/ });
  });

  t.test('snapshots are shared between images, and removeImage keeps what others use', async (t) => {
    const { service, store, snapshots } = await nodeService(t);
    await service.pullImage({ image: { image: `${host}/busybox:1.0` } });
    await service.pullImage({ image: { image: `${host}/multi:oci` } });
    t.equal(single.diffIds[0], oci.amd64.diffIds[0], 'the base layer is the same');
    t.same(await snapshots.list(), [...new Set([...single.diffIds, ...oci.amd64.diffIds])].sort());

    await service.removeImage({ image: { image: `${host}/busybox:1.0` } });
    t.equal((await service.imageStatus({ image: { image: `${host}/busybox:1.0` }, verbose: false })).image, undefined);
    t.equal((await service.imageStatus({ image: { image: single.config.digest }, verbose: false })).image, undefined);
    t.same(await snapshots.list(), [...oci.amd64.diffIds].sort(), 'the shared base snapshot stays');
    t.notOk(await store.hasBlob(single.layers[1]!.digest), 'the unique layer blob is gone');
    t.notOk(await store.hasBlob(single.manifest.digest));
    t.ok(await store.hasBlob(single.layers[0]!.digest), 'the shared layer blob stays');
    const [root] = await service.rootfsLayers(`${host}/multi:oci`);
    t.ok((await fs.stat(path.join(root!, 'bin/busybox'))).isFile(), 'the other image still works');

    await service.removeImage({ image: { image: `${host}/busybox:1.0` } }); // idempotent
    await service.removeImage({ image: { image: oci.amd64.config.digest } });
    t.same(await snapshots.list(), []);
    t.same((await service.listImages({})).images, []);
  });

  t.test('concurrent pulls of one image share one pull', async (t) => {
    const { service } = await nodeService(t);
    const results = await Promise.all([1, 2, 3].map(() => service.pullImage({ image: { image: `${host}/busybox:1.0` } })));
    t.same(results, [1, 2, 3].map(() => ({ imageRef: single.config.digest })));
  });
});

t.test('pulls with Basic auth from the CRI AuthConfig', { skip }, async (t) => {
  const registry = await startRegistry({ auth: 'htpasswd', users: { alice: 's3cret' } });
  t.teardown(() => registry.stop());
  const host = registry.host;
  const source = await ContentStore.open(await tempDir(t, 'source-images'));
  const built = await buildBusyboxImage(source, { tag: 'src/private' });
  await pushImage(source, 'src/private', { host, repository: 'private/busybox', tag: '1' }, { username: 'alice', password: 's3cret' });
  const ref = `${host}/private/busybox:1`;

  const { service } = await nodeService(t);
  const denied = await service.pullImage({ image: { image: ref } }).catch((e: unknown) => e);
  t.match((denied as Error).message, `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: `);
  const wrong = await service.pullImage({ image: { image: ref }, auth: auth({ username: 'alice', password: 'nope' }) }).catch((e: unknown) => e);
  t.match((wrong as Error).message, /pull access denied/);
  t.same(
    await service.pullImage({ image: { image: ref }, auth: auth({ auth: Buffer.from('alice:s3cret').toString('base64') }) }),
    { imageRef: built.config.digest },
    'auth as base64 user:password',
  );
  const other = await nodeService(t);
  t.same(await other.service.pullImage({ image: { image: ref }, auth: auth({ username: 'alice', password: 's3cret' }) }), { imageRef: built.config.digest });
});
