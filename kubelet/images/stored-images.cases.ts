/**
 * How the node's images are named and found: imageStatus's name resolution (id, short and
 * full references, repo@digest, what is absent), repoTags/repoDigests, uid/username from the
 * config's User, size, and listImages with a filter — on images built straight into a store.
 */
import t from 'tap';
import * as path from 'node:path';
import { buildImage, buildIndex } from './build-image.js';
import { ContentStore } from './content-store.js';
import { createImageService } from './image-service.js';
import { imageUser, isFullReference, repoNames } from './image-names.js';
import { SnapshotStore } from './snapshots.js';
import { tempDir } from './testing/temp-dir.js';

t.test('imageUser: numeric user part is a uid, anything else a name', async (t) => {
  const table: Array<[string | undefined, object]> = [
    [undefined, {}],
    ['', {}],
    ['0', { uid: { value: 0 } }],
    ['1000:1000', { uid: { value: 1000 } }],
    ['nobody', { username: 'nobody' }],
    ['www-data:www-data', { username: 'www-data' }],
    [':100', {}],
  ];
  for (const [user, want] of table) t.same(imageUser(user), want, String(user));
});

t.test('isFullReference: bare tags are not references', async (t) => {
  const table: Array<[string, boolean]> = [
    ['latest', false],
    ['1.0', false],
    ['busybox:1.0', true],
    ['docker.io/library/busybox:1.0', true],
    ['127.0.0.1:5000/busybox:latest', true],
    ['a/b', true],
    ['Busybox:x', false],
  ];
  for (const [name, want] of table) t.equal(isFullReference(name), want, name);
});

t.test('repoNames: tags and digests per name, normalised', async (t) => {
  const d1 = `sha256:${'1'.repeat(64)}`;
  const d2 = `sha256:${'2'.repeat(64)}`;
  t.same(
    repoNames([
      { ref: 'docker.io/library/busybox:1.36', digest: d1 },
      { ref: 'busybox:latest', digest: d1 },
      { ref: `127.0.0.1:5000/busybox@${d2}`, digest: d2 },
      { ref: '1.0', digest: d2 }, // a bare tag normalises to docker.io/library/1.0 — kept out by writers, harmless here
    ]),
    {
      repoTags: ['docker.io/library/1.0:latest', 'docker.io/library/busybox:1.36', 'docker.io/library/busybox:latest'],
      repoDigests: [`127.0.0.1:5000/busybox@${d2}`, `docker.io/library/1.0@${d2}`, `docker.io/library/busybox@${d1}`],
    },
  );
});

t.test('imageStatus resolves ids, short and full references and repo digests', async (t) => {
  const dir = await tempDir(t, 'stored-images');
  const store = await ContentStore.open(path.join(dir, 'images'));
  const snapshots = await SnapshotStore.open(path.join(dir, 'images', 'snapshots'));
  const service = createImageService({ store, snapshots, platform: { os: 'linux', architecture: 'amd64' } });
  const layer = [{ path: 'etc/os-release', content: 'k8ts\n' }];
  const busybox = await buildImage(store, { layers: [layer], user: '1000:1000', cmd: ['sh'], tag: 'docker.io/library/busybox:1.36' });
  await store.tagManifest('127.0.0.1:5000/busybox:latest', busybox.manifest);
  const named = await buildImage(store, { layers: [layer, [{ path: 'x', content: 'y' }]], user: 'nobody' });
  const amd = await buildImage(store, { layers: [[{ path: 'arch', content: 'amd64' }]], architecture: 'amd64' });
  const arm = await buildImage(store, { layers: [[{ path: 'arch', content: 'arm64' }]], architecture: 'arm64', variant: 'v8' });
  const index = await buildIndex(
    store,
    [
      { manifest: arm.manifest, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { manifest: amd.manifest, platform: { os: 'linux', architecture: 'amd64' } },
    ],
    'example.com/team/multi:2',
  );
  await store.tagManifest(`example.com/team/named@${named.manifest.digest}`, named.manifest);
  // not images: a bare tag, and a name whose blobs are missing
  await store.tagManifest('orphan.example/x:1', { mediaType: busybox.manifest.mediaType, digest: `sha256:${'9'.repeat(64)}`, size: 10 });

  const id = busybox.config.digest;
  const table: Array<[string, string | undefined]> = [
    [id, id],
    [id.slice('sha256:'.length), id],
    ['busybox:1.36', id],
    ['library/busybox:1.36', id],
    ['docker.io/library/busybox:1.36', id],
    ['index.docker.io/library/busybox:1.36', id],
    [`busybox@${busybox.manifest.digest}`, id],
    [`docker.io/library/busybox@${busybox.manifest.digest}`, id],
    ['127.0.0.1:5000/busybox', id],
    ['127.0.0.1:5000/busybox:latest', id],
    ['busybox', undefined],
    ['busybox:1.35', undefined],
    [`busybox@sha256:${'a'.repeat(64)}`, undefined],
    ['BUSYBOX', undefined],
    [`sha256:${'b'.repeat(64)}`, undefined],
    ['example.com/team/multi:2', amd.config.digest],
    [`example.com/team/multi@${index.digest}`, amd.config.digest],
    [`example.com/team/named@${named.manifest.digest}`, named.config.digest],
    ['orphan.example/x:1', undefined],
  ];
  for (const [query, want] of table) {
    const { image } = await service.imageStatus({ image: { image: query }, verbose: false });
    t.equal(image?.id, want, query);
  }

  const { image } = await service.imageStatus({ image: { image: 'busybox:1.36' }, verbose: false });
  t.same(image?.repoTags, ['127.0.0.1:5000/busybox:latest', 'docker.io/library/busybox:1.36']);
  t.same(image?.repoDigests, [`127.0.0.1:5000/busybox@${busybox.manifest.digest}`, `docker.io/library/busybox@${busybox.manifest.digest}`]);
  t.equal(image?.size, busybox.config.size + busybox.layers[0]!.size);
  t.same(image?.uid, { value: 1000 });
  t.equal(image?.username, undefined);

  const multi = (await service.imageStatus({ image: { image: 'example.com/team/multi:2' }, verbose: false })).image;
  t.same(multi?.repoDigests, [`example.com/team/multi@${index.digest}`], 'the repo digest of an index is the index digest');
  const byDigest = (await service.imageStatus({ image: { image: `example.com/team/named@${named.manifest.digest}` }, verbose: false })).image;
  t.same(byDigest?.repoTags, [], 'a name by digest is no tag');
  t.equal(byDigest?.username, 'nobody');

  const all = await service.listImages({});
  t.same(all.images.map((i) => i.id).sort(), [amd.config.digest, busybox.config.digest, named.config.digest].sort());
  t.same((await service.listImages({ filter: { image: { image: 'busybox:1.36' } } })).images.map((i) => i.id), [id]);
  t.same((await service.listImages({ filter: { image: { image: 'nothing:here' } } })).images, []);

  t.same((await service.imageConfig('busybox:1.36')).config?.Cmd, ['sh']);
  await t.rejects(service.imageConfig('busybox:9'), { code: 'NotFound' });
  const arm64Service = createImageService({ store, snapshots, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
  t.equal((await arm64Service.imageStatus({ image: { image: 'example.com/team/multi:2' }, verbose: false })).image?.id, arm.config.digest);

  const fsInfo = await service.imageFsInfo({});
  t.equal(fsInfo.imageFilesystems[0]?.fsId.mountpoint, store.dir);
  t.ok((fsInfo.imageFilesystems[0]?.usedBytes?.value ?? 0) > 0);
  t.ok((fsInfo.imageFilesystems[0]?.inodesUsed?.value ?? 0) > 5);
});

t.test('rootfsLayers unpacks on demand and lists the top layer first', async (t) => {
  const dir = await tempDir(t, 'stored-images');
  const store = await ContentStore.open(path.join(dir, 'images'));
  const snapshots = await SnapshotStore.open(path.join(dir, 'images', 'snapshots'));
  const service = createImageService({ store, snapshots });
  const built = await buildImage(store, {
    layers: [[{ path: 'base', content: 'b' }], [{ path: 'top', content: 't' }]],
    tag: 'example.com/layers:1',
  });
  const dirs = await service.rootfsLayers('example.com/layers:1');
  t.same(dirs, [snapshots.fsDir(built.diffIds[1]!), snapshots.fsDir(built.diffIds[0]!)]);
  t.same(await snapshots.list(), [...built.diffIds].sort());
  await t.rejects(service.rootfsLayers('example.com/layers:2'), { code: 'NotFound' });
});
