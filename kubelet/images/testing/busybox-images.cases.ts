/**
 * The busybox test images: reproducible digests, the rootfs every runc test relies on
 * (bin/busybox, applet links, passwd, tmp 1777, the arch marker), and the two-platform
 * index in OCI and Docker form. Skips without busybox-static.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { Readable } from 'node:stream';
import { ContentStore } from '../content-store.js';
import { MediaTypes } from '../media-types.js';
import type { ImageConfig, ImageIndex } from '../oci-types.js';
import { BUSYBOX_PATH_ENV, buildBusyboxImage, buildBusyboxIndex, HOST_BUSYBOX } from './busybox-images.js';
import { tempDir } from './temp-dir.js';

const skip = existsSync(HOST_BUSYBOX) ? false : `busybox-static is not installed (${HOST_BUSYBOX})`;

async function tarEntries(tar: Buffer): Promise<Map<string, { type: string; mode: number; linkname?: string; body: Buffer }>> {
  const out = new Map<string, { type: string; mode: number; linkname?: string; body: Buffer }>();
  const ex = extract();
  Readable.from([tar]).pipe(ex as unknown as NodeJS.WritableStream);
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const c of entry as unknown as AsyncIterable<Buffer>) chunks.push(c);
    const h = entry.header;
    out.set(h.name.replace(/\/$/, ''), { type: h.type ?? 'file', mode: h.mode ?? 0, ...(h.linkname ? { linkname: h.linkname } : {}), body: Buffer.concat(chunks) });
  }
  return out;
}

t.test('a busybox image: reproducible, with the rootfs the tests rely on', { skip }, async (t) => {
  const a = await ContentStore.open(await tempDir(t, 'busybox-a'));
  const b = await ContentStore.open(await tempDir(t, 'busybox-b'));
  const one = await buildBusyboxImage(a, { tag: 'example.com/busybox:1', user: '65534' });
  const two = await buildBusyboxImage(b, { user: '65534' });
  t.equal(one.manifest.digest, two.manifest.digest, 'same inputs, same digest');
  t.same(await a.resolve('example.com/busybox:1'), one.manifest);

  const config = await a.readJson<ImageConfig>(one.config.digest);
  t.same(config.config?.Env, [BUSYBOX_PATH_ENV]);
  t.same(config.config?.Cmd, ['sh']);
  t.equal(config.config?.User, '65534');
  t.equal(config.architecture, 'amd64');

  const files = await tarEntries(gunzipSync(await a.readBlob(one.layers[0]!.digest)));
  t.equal(files.get('bin/busybox')?.type, 'file');
  t.equal(files.get('bin/busybox')?.mode, 0o755);
  for (const applet of ['sh', 'httpd', 'wget', 'nc', 'sleep']) t.equal(files.get(`bin/${applet}`)?.linkname, 'busybox', applet);
  t.match(files.get('etc/passwd')?.body.toString(), /^root:x:0:0:/m);
  t.match(files.get('etc/passwd')?.body.toString(), /^nobody:x:65534:65534:/m);
  t.equal(files.get('etc/k8ts-arch')?.body.toString(), 'amd64\n');
  t.equal(files.get('tmp')?.mode, 0o1777);
  for (const d of ['proc', 'sys', 'dev', 'root']) t.equal(files.get(d)?.type, 'directory', d);
});

t.test('a two-platform index, OCI and Docker', { skip }, async (t) => {
  const store = await ContentStore.open(path.join(await tempDir(t, 'busybox-index'), 'layout'));
  const oci = await buildBusyboxIndex(store, { tag: 'example.com/multi:1' });
  const index = await store.readJson<ImageIndex>(oci.index.digest);
  t.equal(index.mediaType, MediaTypes.ociIndex);
  t.same(index.manifests.map((m) => m.platform), [
    { architecture: 'amd64', os: 'linux' },
    { architecture: 'arm64', os: 'linux', variant: 'v8' },
  ]);
  const arm = await store.readJson<ImageConfig>(oci.arm64.config.digest);
  t.equal(arm.architecture, 'arm64');
  t.equal(arm.variant, 'v8');
  const armFiles = await tarEntries(gunzipSync(await store.readBlob(oci.arm64.layers[0]!.digest)));
  t.equal(armFiles.get('etc/k8ts-arch')?.body.toString(), 'arm64 (amd64 binary)\n');

  const docker = await buildBusyboxIndex(store, { format: 'docker' });
  const list = await store.readJson<ImageIndex>(docker.index.digest);
  t.equal(list.mediaType, MediaTypes.dockerManifestList);
  const child = await store.readJson<{ mediaType: string; config: { mediaType: string }; layers: Array<{ mediaType: string }> }>(list.manifests[0]!.digest);
  t.equal(child.mediaType, MediaTypes.dockerManifest);
  t.equal(child.config.mediaType, MediaTypes.dockerConfig);
  t.same(child.layers.map((l) => l.mediaType), [MediaTypes.dockerLayerTarGzip]);
});
