/**
 * SnapshotStore: a layer unpacked once per diffId and shared, concurrent ensure() calls
 * (in one store and across two stores on one directory, as two runtimes would) ending in
 * one complete snapshot, a wrong diffId leaving nothing behind, remove and list.
 */
import t, { type Test } from 'tap';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { buildLayer } from './build-image.js';
import { ContentStore } from './content-store.js';
import { MediaTypes } from './media-types.js';
import type { Descriptor } from './oci-types.js';
import { SnapshotStore } from './snapshots.js';
import { tempDir } from './testing/temp-dir.js';

async function setup(t: Test) {
  const dir = await tempDir(t, 'snapshots');
  const store = await ContentStore.open(path.join(dir, 'store'));
  const layer = await buildLayer([
    { path: 'etc/hello', content: 'hello\n' },
    { path: 'bin/tool', content: '#!/bin/sh\n', mode: 0o755 },
  ]);
  await store.putBlob(layer.gzip, layer.digest);
  const descriptor: Descriptor = { mediaType: MediaTypes.ociLayerTarGzip, digest: layer.digest, size: layer.gzip.length };
  return { dir, store, layer, descriptor };
}

t.test('ensure unpacks once and returns the same fs dir after', async (t) => {
  const { dir, store, layer, descriptor } = await setup(t);
  const snapshots = await SnapshotStore.open(path.join(dir, 'snapshots'));
  t.same(await snapshots.list(), []);
  const fsDir = await snapshots.ensure(store, descriptor, layer.diffId);
  t.equal(fsDir, path.join(dir, 'snapshots', layer.diffId.slice('sha256:'.length), 'fs'));
  t.equal(await fs.readFile(path.join(fsDir, 'etc/hello'), 'utf8'), 'hello\n');
  t.equal((await fs.stat(path.join(fsDir, 'bin/tool'))).mode & 0o777, 0o755);
  // a second ensure does not unpack again: a marker left in the snapshot survives
  await fs.writeFile(path.join(fsDir, 'marker'), 'x');
  t.equal(await snapshots.ensure(store, descriptor, layer.diffId), fsDir);
  t.equal(await fs.readFile(path.join(fsDir, 'marker'), 'utf8'), 'x');
  t.same(await snapshots.list(), [layer.diffId]);
});

t.test('concurrent ensure in one store and across two stores yields one complete snapshot', async (t) => {
  const { dir, store, layer, descriptor } = await setup(t);
  const a = await SnapshotStore.open(path.join(dir, 'snapshots'));
  const b = await SnapshotStore.open(path.join(dir, 'snapshots'));
  const results = await Promise.all([
    a.ensure(store, descriptor, layer.diffId),
    a.ensure(store, descriptor, layer.diffId),
    b.ensure(store, descriptor, layer.diffId),
    b.ensure(store, descriptor, layer.diffId),
  ]);
  t.equal(new Set(results).size, 1);
  t.equal(await fs.readFile(path.join(results[0]!, 'etc/hello'), 'utf8'), 'hello\n');
  const names = await fs.readdir(path.join(dir, 'snapshots'));
  t.same(names, [layer.diffId.slice('sha256:'.length)], 'the losers discarded their temp copies');
});

t.test('a layer whose diffId does not match leaves nothing behind', async (t) => {
  const { dir, store, descriptor } = await setup(t);
  const snapshots = await SnapshotStore.open(path.join(dir, 'snapshots'));
  const wrong = `sha256:${'0'.repeat(64)}`;
  await t.rejects(snapshots.ensure(store, descriptor, wrong), /diff_id mismatch/);
  t.same(await fs.readdir(path.join(dir, 'snapshots')), []);
  t.notOk(await snapshots.has(wrong));
});

t.test('an unsupported layer media type is refused', async (t) => {
  const { dir, store, layer, descriptor } = await setup(t);
  const snapshots = await SnapshotStore.open(path.join(dir, 'snapshots'));
  await t.rejects(snapshots.ensure(store, { ...descriptor, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }, layer.diffId), /unsupported layer media type/);
});

t.test('remove deletes the snapshot; a temp dir of a dead process is cleaned at open', async (t) => {
  const { dir, store, layer, descriptor } = await setup(t);
  const root = path.join(dir, 'snapshots');
  const snapshots = await SnapshotStore.open(root);
  await snapshots.ensure(store, descriptor, layer.diffId);
  t.equal(await snapshots.remove(layer.diffId), true);
  t.equal(await snapshots.remove(layer.diffId), false);
  t.same(await snapshots.list(), []);
  // pid 2^22+1 is above Linux's pid_max default: never a live process
  await fs.mkdir(path.join(root, '.tmp-4194305-abc', 'fs'), { recursive: true });
  await SnapshotStore.open(root);
  t.same(await fs.readdir(root), []);
});
