import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { buildImage, buildIndex, buildLayer, type LayerFile } from './build-image.js';
import { ContentStore } from './content-store.js';
import { sha256Digest } from './digest.js';
import { isIndexMediaType, layerCompression, MediaTypes } from './media-types.js';
import type { ImageConfig, ImageIndex, ImageManifest } from './oci-types.js';
import { unpackLayer } from './unpack-layer.js';
import { tempDir } from './testing/temp-dir.js';

// Debian's busybox-static when installed (CI), else any small host binary.
const binary = existsSync('/usr/bin/busybox') ? '/usr/bin/busybox' : '/bin/ls';

const rootfs: LayerFile[] = [
  { path: 'bin/busybox', sourceFile: binary, mode: 0o755 },
  { path: 'bin/sh', type: 'symlink', linkTarget: 'busybox' },
  { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
  { path: 'etc/motd', content: 'hello\n' },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
  { path: 'proc', type: 'dir' },
];
const www: LayerFile[] = [
  { path: 'www/index.html', content: '<h1>k8ts</h1>\n' },
  { path: 'etc/.wh.motd', content: '' },
];

async function build(store: ContentStore) {
  const spec = { layers: [rootfs, www], cmd: ['httpd', '-f', '-p', '8080'], env: ['PATH=/bin'] };
  const amd64 = await buildImage(store, { ...spec, architecture: 'amd64', tag: 'httpd-amd64' });
  const arm64 = await buildImage(store, { ...spec, architecture: 'arm64', variant: 'v8', tag: 'httpd-arm64' });
  const index = await buildIndex(
    store,
    [
      { manifest: amd64.manifest, platform: { architecture: 'amd64', os: 'linux' } },
      { manifest: arm64.manifest, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
    ],
    'httpd:latest',
  );
  return { amd64, arm64, index };
}

t.test('build → store → resolve → unpack gives the files back', async (t) => {
  const base = await tempDir(t, 'build');
  const store = await ContentStore.open(path.join(base, 'store'));
  const built = await build(store);

  // Every blob is named by its digest.
  for (const hex of await fs.readdir(path.join(store.dir, 'blobs', 'sha256'))) {
    t.equal(sha256Digest(await fs.readFile(path.join(store.dir, 'blobs', 'sha256', hex))), `sha256:${hex}`);
  }
  t.same((await store.list()).map((i) => i.ref).sort(), ['httpd-amd64', 'httpd-arm64', 'httpd:latest']);

  const top = await store.resolve('httpd:latest');
  t.ok(top && isIndexMediaType(top.mediaType));
  const index = await store.readJson<ImageIndex>(top!.digest);
  t.same(
    index.manifests.map((m) => m.platform),
    [
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
    ],
  );
  const chosen = index.manifests.find((m) => m.platform?.architecture === 'amd64')!;
  t.equal(chosen.digest, built.amd64.manifest.digest);
  const manifest = await store.readJson<ImageManifest>(chosen.digest);
  t.equal(manifest.mediaType, MediaTypes.ociManifest);
  const config = await store.readJson<ImageConfig>(manifest.config.digest);
  t.match(config, { architecture: 'amd64', os: 'linux', config: { Cmd: ['httpd', '-f', '-p', '8080'], Env: ['PATH=/bin'] } });
  t.equal(config.rootfs.diff_ids.length, 2);
  const armConfig = await store.readJson<ImageConfig>(built.arm64.config.digest);
  t.match(armConfig, { architecture: 'arm64', variant: 'v8' });

  // One directory per layer, as the overlay snapshotter stacks them.
  const layerDirs: string[] = [];
  for (const [i, layer] of manifest.layers.entries()) {
    t.equal(layerCompression(layer.mediaType), 'gzip');
    const dir = path.join(base, 'layers', String(i));
    const result = await unpackLayer(store.openBlob(layer.digest), dir, { expectedDiffId: config.rootfs.diff_ids[i] });
    t.same(result.skipped, []);
    layerDirs.push(dir);
    if (i === 1) t.same(result.whiteouts, ['etc/motd']);
  }
  const [lower, upper] = layerDirs as [string, string];
  t.same(await fs.readFile(path.join(lower, 'bin/busybox')), await fs.readFile(binary), 'binary round-trips');
  t.equal((await fs.stat(path.join(lower, 'bin/busybox'))).mode & 0o7777, 0o755);
  t.equal(await fs.readlink(path.join(lower, 'bin/sh')), 'busybox');
  t.equal(await fs.readFile(path.join(lower, 'etc/passwd'), 'utf8'), 'root:x:0:0:root:/root:/bin/sh\n');
  t.equal((await fs.stat(path.join(lower, 'tmp'))).mode & 0o7777, 0o1777);
  t.ok((await fs.stat(path.join(lower, 'proc'))).isDirectory());
  t.equal(await fs.readFile(path.join(upper, 'www/index.html'), 'utf8'), '<h1>k8ts</h1>\n');
  if (process.getuid?.() === 0) t.ok((await fs.lstat(path.join(upper, 'etc/motd'))).isCharacterDevice());
});

t.test('builds are reproducible', async (t) => {
  const base = await tempDir(t, 'build');
  const a = await build(await ContentStore.open(path.join(base, 'a')));
  const b = await build(await ContentStore.open(path.join(base, 'b')));
  t.equal(a.index.digest, b.index.digest);
  t.same(a.amd64.diffIds, b.amd64.diffIds);
  t.not(a.amd64.manifest.digest, a.arm64.manifest.digest, 'platforms differ by config');
  t.same(a.amd64.layers, a.arm64.layers, 'but share layers');
});

t.test('bad layer paths are refused at build time', async (t) => {
  const base = await tempDir(t, 'build');
  const store = await ContentStore.open(base);
  await t.rejects(buildImage(store, { layers: [[{ path: '../x', content: '' }]] }), /bad path/);
});

t.test('GNU tar reads the layers we write', async (t) => {
  if (!existsSync('/usr/bin/tar') && !existsSync('/bin/tar')) {
    t.pass('skipped: GNU tar is not installed');
    return;
  }
  const base = await tempDir(t, 'build');
  const layer = await buildLayer([...rootfs, ...www]);
  const file = path.join(base, 'layer.tar.gz');
  await fs.writeFile(file, layer.gzip);
  const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
  t.same(listing, [
    'bin/',
    'bin/busybox',
    'bin/sh',
    'etc/',
    'etc/.wh.motd',
    'etc/motd',
    'etc/passwd',
    'proc/',
    'tmp/',
    'www/',
    'www/index.html',
  ]);
});

t.test('as root, the unpacked layers stack as overlayfs lowerdirs with whiteouts honoured', async (t) => {
  const unshare = ['/usr/bin/unshare', '/bin/unshare'].find((p) => existsSync(p));
  if (process.getuid?.() !== 0 || unshare === undefined) {
    t.pass('skipped: needs root and unshare to mount overlayfs in a private mount namespace');
    return;
  }
  const base = await tempDir(t, 'build');
  const store = await ContentStore.open(path.join(base, 'store'));
  const built = await buildImage(store, {
    layers: [
      rootfs,
      www,
      [
        { path: 'www/.wh..wh..opq', content: '' },
        { path: 'www/new.html', content: 'new\n' },
      ],
    ],
  });
  const dirs: string[] = [];
  let opaqueSet = false;
  for (const [i, layer] of built.layers.entries()) {
    const dir = path.join(base, 'layers', String(i));
    const result = await unpackLayer(store.openBlob(layer.digest), dir, { expectedDiffId: built.diffIds[i] });
    if (i === 2) opaqueSet = result.opaqueXattrsSet;
    dirs.push(dir);
  }
  const merged = path.join(base, 'merged');
  await fs.mkdir(merged);
  // A private mount namespace: the mount disappears with the process, nothing can leak.
  const lower = [...dirs].reverse().join(':'); // top layer first
  const script = `mount -t overlay overlay -o lowerdir=${lower} ${merged} && cd ${merged} && ls -A etc www && cat www/*`;
  const out = execFileSync(unshare, ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
  t.notMatch(out, /motd/, 'the whiteout hides etc/motd of the lower layer');
  t.match(out, /passwd/, 'other lower files stay visible');
  t.match(out, /new\n/);
  if (opaqueSet) t.notMatch(out, /index\.html|k8ts/, 'the opaque www/ hides the lower www/index.html');
  else t.comment('setfattr not installed: opaque dirs were only reported, not marked');
});
