/**
 * importArchive: an OCI layout tarball (full-reference names, a bare tag that needs a name,
 * an index with one platform missing) and a docker-archive (`docker save` layout with
 * `<id>/layer.tar`), both built here with packTar; the imported images are then found and
 * unpacked by the image service like pulled ones. Broken archives fail with ImportError.
 */
import t, { type Test } from 'tap';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { buildImage, buildIndex, buildLayer, packTar, type Header } from './build-image.js';
import { ContentStore } from './content-store.js';
import { sha256Digest } from './digest.js';
import { createImageService } from './image-service.js';
import { importArchive, ImportError } from './import-archive.js';
import { SnapshotStore } from './snapshots.js';
import { tempDir } from './testing/temp-dir.js';

type Entry = { header: Header; body?: Buffer };
const file = (name: string, body: Buffer | string): Entry => {
  const bytes = Buffer.from(body);
  return { header: { name, type: 'file', mode: 0o644, size: bytes.length }, body: bytes };
};

/** The store's OCI layout as a tarball (optionally leaving some blobs out). */
async function layoutTar(store: ContentStore, out: string, omit: string[] = []): Promise<void> {
  const entries: Entry[] = [
    file('oci-layout', await fs.readFile(path.join(store.dir, 'oci-layout'))),
    file('index.json', await fs.readFile(path.join(store.dir, 'index.json'))),
  ];
  for (const hex of (await fs.readdir(path.join(store.dir, 'blobs/sha256'))).sort()) {
    if (omit.includes(`sha256:${hex}`)) continue;
    entries.push(file(`blobs/sha256/${hex}`, await fs.readFile(path.join(store.dir, 'blobs/sha256', hex))));
  }
  await fs.writeFile(out, await packTar(entries));
}

async function nodeStore(t: Test) {
  const dir = await tempDir(t, 'import-node');
  const store = await ContentStore.open(path.join(dir, 'images'));
  const snapshots = await SnapshotStore.open(path.join(dir, 'images', 'snapshots'));
  return { store, snapshots, service: createImageService({ store, snapshots, platform: { os: 'linux', architecture: 'amd64' } }) };
}

t.test('an OCI layout tarball: full references are imported, bare tags need a name', async (t) => {
  const dir = await tempDir(t, 'import-src');
  const source = await ContentStore.open(path.join(dir, 'layout'));
  const app = await buildImage(source, { layers: [[{ path: 'app', content: 'v1' }]], cmd: ['/app'], tag: 'example.com/app:1' });
  const amd = await buildImage(source, { layers: [[{ path: 'arch', content: 'amd64' }]], architecture: 'amd64' });
  const arm = await buildImage(source, { layers: [[{ path: 'arch', content: 'arm64' }]], architecture: 'arm64', variant: 'v8' });
  const index = await buildIndex(source, [
    { manifest: amd.manifest, platform: { os: 'linux', architecture: 'amd64' } },
    { manifest: arm.manifest, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ], 'multi:2');
  await source.tagManifest('1.0', app.manifest); // a bare tag, as umoci writes them
  const tar = path.join(dir, 'layout.tar');
  // the arm64 image is left out, as `skopeo copy` without --all does
  await layoutTar(source, tar, [arm.manifest.digest, arm.config.digest, arm.layers[0]!.digest]);

  const { store, service } = await nodeStore(t);
  const imported = await importArchive(store, tar);
  t.same(imported, [
    { ref: 'example.com/app:1', digest: app.manifest.digest },
    { ref: 'docker.io/library/multi:2', digest: index.digest },
  ]);
  t.equal((await service.imageStatus({ image: { image: 'example.com/app:1' }, verbose: false })).image?.id, app.config.digest);
  t.equal((await service.imageStatus({ image: { image: 'multi:2' }, verbose: false })).image?.id, amd.config.digest);
  const [root] = await service.rootfsLayers('example.com/app:1');
  t.equal(await fs.readFile(path.join(root!, 'app'), 'utf8'), 'v1');

  // only the bare-tagged entry and --name with a repository: repo:tag
  const bare = await ContentStore.open(path.join(dir, 'bare'));
  const only = await buildImage(bare, { layers: [[{ path: 'x', content: 'x' }]], tag: '1.0' });
  const bareTar = path.join(dir, 'bare.tar');
  await layoutTar(bare, bareTar);
  await t.rejects(importArchive(store, bareTar), { name: 'ImportError', message: /no full reference as name: give one with --name REF/ });
  t.same(await importArchive(store, bareTar, { name: 'example.com/only' }), [{ ref: 'example.com/only:latest', digest: only.manifest.digest }]);
});

t.test('an OCI layout with two bare tags takes the repository from --name', async (t) => {
  const dir = await tempDir(t, 'import-src');
  const source = await ContentStore.open(path.join(dir, 'layout'));
  const one = await buildImage(source, { layers: [[{ path: 'v', content: '1' }]], tag: '1.0' });
  const two = await buildImage(source, { layers: [[{ path: 'v', content: '2' }]], tag: '2.0' });
  const tar = path.join(dir, 'layout.tar');
  await layoutTar(source, tar);
  const { store } = await nodeStore(t);
  t.same(await importArchive(store, tar, { name: 'registry.local/tool' }), [
    { ref: 'registry.local/tool:1.0', digest: one.manifest.digest },
    { ref: 'registry.local/tool:2.0', digest: two.manifest.digest },
  ]);
});

t.test('a docker-archive becomes an OCI manifest over the same config and layers', async (t) => {
  const dir = await tempDir(t, 'import-docker');
  const base = await buildLayer([{ path: 'bin/tool', content: '#!/bin/sh\necho hi\n', mode: 0o755 }]);
  const top = await buildLayer([{ path: 'etc/motd', content: 'welcome\n' }]);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/tool'], User: '33' },
      rootfs: { type: 'layers', diff_ids: [base.diffId, top.diffId] },
    }),
  );
  const configHex = sha256Digest(config).slice('sha256:'.length);
  const manifest = [{ Config: `${configHex}.json`, RepoTags: ['tool:1', 'example.com/tool:latest'], Layers: ['aaa/layer.tar', 'bbb/layer.tar'] }];
  const tar = path.join(dir, 'docker.tar');
  await fs.writeFile(
    tar,
    await packTar([
      file('aaa/VERSION', '1.0'),
      file('aaa/layer.tar', base.tar),
      file('bbb/layer.tar', top.tar),
      file(`${configHex}.json`, config),
      file('repositories', '{}'),
      file('manifest.json', JSON.stringify(manifest)),
    ]),
  );
  const { store, service, snapshots } = await nodeStore(t);
  const imported = await importArchive(store, tar);
  t.same(imported.map((i) => i.ref), ['docker.io/library/tool:1', 'example.com/tool:latest']);
  const ociManifest = await store.readJson<{ mediaType: string; config: { digest: string; mediaType: string }; layers: Array<{ mediaType: string; digest: string }> }>(imported[0]!.digest);
  t.equal(ociManifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  t.equal(ociManifest.config.digest, `sha256:${configHex}`);
  t.same(ociManifest.layers, [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: base.diffId, size: base.tar.length },
    { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: top.diffId, size: top.tar.length },
  ]);
  const { image } = await service.imageStatus({ image: { image: 'tool:1' }, verbose: false });
  t.equal(image?.id, `sha256:${configHex}`);
  t.same(image?.repoTags, ['docker.io/library/tool:1', 'example.com/tool:latest']);
  t.same(image?.uid, { value: 33 });
  const [motd, tool] = await service.rootfsLayers('example.com/tool');
  t.equal(await fs.readFile(path.join(motd!, 'etc/motd'), 'utf8'), 'welcome\n');
  t.ok((await fs.stat(path.join(tool!, 'bin/tool'))).isFile());
  t.same(await snapshots.list(), [base.diffId, top.diffId].sort());

  // --name replaces RepoTags for a one-image archive
  t.same((await importArchive(store, tar, { name: 'renamed:7' })).map((i) => i.ref), ['docker.io/library/renamed:7']);
});

t.test('broken archives fail with ImportError and name nothing', async (t) => {
  const dir = await tempDir(t, 'import-bad');
  const { store } = await nodeStore(t);
  const write = async (name: string, entries: Entry[]) => {
    const p = path.join(dir, name);
    await fs.writeFile(p, await packTar(entries));
    return p;
  };
  const cases: Array<[string, Entry[], RegExp]> = [
    ['empty.tar', [file('README', 'x')], /neither an OCI layout .* nor a docker-archive/],
    ['bad-manifest.tar', [file('manifest.json', '{"x":1}')], /manifest.json: not a non-empty list/],
    ['missing-layer.tar', [file('manifest.json', JSON.stringify([{ Config: 'c.json', RepoTags: ['a:1'], Layers: ['l/layer.tar'] }])), file('c.json', '{}')], /names "l\/layer.tar", which is not in the archive/],
    ['no-tags.tar', [file('manifest.json', JSON.stringify([{ Config: 'c.json', Layers: [] }])), file('c.json', '{}')], /has no RepoTags: give a name with --name REF/],
    [
      'missing-blob.tar',
      [
        file('oci-layout', '{"imageLayoutVersion":"1.0.0"}'),
        file('index.json', JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2, annotations: { 'org.opencontainers.image.ref.name': 'example.com/x:1' } }] })),
      ],
      /the archive lacks blob sha256:c{64}/,
    ],
  ];
  for (const [name, entries, message] of cases) {
    const err = await importArchive(store, await write(name, entries)).catch((e: unknown) => e);
    t.ok(err instanceof ImportError, `${name}: ImportError`);
    t.match((err as Error).message, message, name);
  }
  await t.rejects(importArchive(store, path.join(dir, 'nope.tar')), { name: 'ImportError', message: /cannot read the archive: ENOENT.*nope\.tar/ });
  t.same(await store.list(), []);
});
