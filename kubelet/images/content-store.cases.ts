import t from 'tap';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore, DigestMismatchError } from './content-store.js';
import { sha256Digest } from './digest.js';
import { MediaTypes } from './media-types.js';
import { tempDir } from './testing/temp-dir.js';

async function tempStore(t: { teardown(fn: () => unknown): void }): Promise<ContentStore> {
  return ContentStore.open(await tempDir(t, 'store'));
}

const hello = Buffer.from('hello, layer');
const helloDigest = sha256Digest(hello);
const otherDigest = sha256Digest('something else');

t.test('putBlob', async (t) => {
  const cases: Array<{
    name: string;
    source: () => Buffer | Readable;
    expected?: string;
    error?: RegExp;
  }> = [
    { name: 'buffer, no expected digest', source: () => hello },
    { name: 'buffer, right digest', source: () => hello, expected: helloDigest },
    { name: 'stream, right digest', source: () => Readable.from([hello.subarray(0, 5), hello.subarray(5)]), expected: helloDigest },
    {
      name: 'wrong digest',
      source: () => hello,
      expected: otherDigest,
      error: new RegExp(`expected ${otherDigest}, got ${helloDigest}`),
    },
    {
      name: 'stream, wrong digest',
      source: () => Readable.from([hello]),
      expected: otherDigest,
      error: /blob digest mismatch/,
    },
    { name: 'malformed digest', source: () => hello, expected: 'sha256:../../etc', error: /invalid digest/ },
    { name: 'other algorithm', source: () => hello, expected: `sha512:${'a'.repeat(128)}`, error: /invalid digest/ },
  ];
  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const store = await tempStore(t);
      if (c.error) {
        await t.rejects(store.putBlob(c.source(), c.expected), c.error);
        t.same(await fs.readdir(path.join(store.dir, 'blobs', 'sha256')), [], 'no blob written');
        t.same(await fs.readdir(path.join(store.dir, 'ingest')), [], 'no temp file left');
        t.equal(await store.hasBlob(helloDigest), false);
        return;
      }
      const stored = await store.putBlob(c.source(), c.expected);
      t.same(stored, { digest: helloDigest, size: hello.length });
      t.equal(await store.hasBlob(helloDigest), true);
      t.same(await store.readBlob(helloDigest), hello);
      const streamed: Buffer[] = [];
      for await (const chunk of store.openBlob(helloDigest)) streamed.push(chunk as Buffer);
      t.same(Buffer.concat(streamed), hello);
      t.same(await fs.readdir(path.join(store.dir, 'ingest')), [], 'ingest is empty after a put');
      t.same(await store.putBlob(hello), stored, 'putting it again is a no-op');
    });
  }
});

t.test('a failing source leaves nothing behind', async (t) => {
  const store = await tempStore(t);
  async function* broken(): AsyncIterable<Uint8Array> {
    yield hello;
    throw new Error('connection reset');
  }
  await t.rejects(store.putBlob(broken(), helloDigest), /connection reset/);
  t.same(await fs.readdir(path.join(store.dir, 'blobs', 'sha256')), []);
  t.same(await fs.readdir(path.join(store.dir, 'ingest')), []);
});

t.test('DigestMismatchError carries both digests', async (t) => {
  const store = await tempStore(t);
  const err = await store.putBlob(hello, otherDigest).catch((e: unknown) => e);
  t.ok(err instanceof DigestMismatchError);
  t.match(err, { expected: otherDigest, actual: helloDigest });
});

t.test('layout files', async (t) => {
  const store = await tempStore(t);
  t.same(JSON.parse(await fs.readFile(path.join(store.dir, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
  t.match(JSON.parse(await fs.readFile(path.join(store.dir, 'index.json'), 'utf8')), { schemaVersion: 2, manifests: [] });
  t.throws(() => store.blobPath('sha256:xyz'), /invalid digest/);
  t.equal(await store.hasBlob(helloDigest), false);
});

t.test('tag, resolve, list, untag', async (t) => {
  const store = await tempStore(t);
  const a = { mediaType: MediaTypes.ociManifest, digest: helloDigest, size: 12 };
  const b = { mediaType: MediaTypes.ociIndex, digest: otherDigest, size: 14, annotations: { note: 'x' } };
  await store.tagManifest('busybox:latest', a);
  await store.tagManifest('httpd:1', b);
  t.same(await store.resolve('busybox:latest'), a);
  t.same(await store.resolve('httpd:1'), b, 'other annotations are kept');
  t.equal(await store.resolve('nope'), undefined);
  t.same(
    (await store.list()).map((i) => i.ref),
    ['busybox:latest', 'httpd:1'],
  );
  await store.tagManifest('busybox:latest', { ...a, digest: otherDigest });
  t.equal((await store.resolve('busybox:latest'))?.digest, otherDigest, 'retagging replaces');
  t.equal((await store.list()).length, 2);
  const raw = JSON.parse(await fs.readFile(path.join(store.dir, 'index.json'), 'utf8'));
  t.match(raw.manifests[0].annotations, { 'org.opencontainers.image.ref.name': 'httpd:1' });

  await Promise.all(['c1', 'c2', 'c3', 'c4'].map((ref) => store.tagManifest(ref, a)));
  t.equal((await store.list()).length, 6, 'concurrent tags are all kept');

  t.equal(await store.untag('c1'), true);
  t.equal(await store.untag('c1'), false);
  const reopened = await ContentStore.open(store.dir);
  t.same(
    (await reopened.list()).map((i) => i.ref).sort(),
    ['busybox:latest', 'c2', 'c3', 'c4', 'httpd:1'],
    'index.json persists',
  );
  await t.rejects(store.tagManifest('bad', { ...a, digest: 'md5:1' }), /invalid digest/);
});

t.test('open removes temp files of dead processes only', async (t) => {
  const store = await tempStore(t);
  const ingest = path.join(store.dir, 'ingest');
  await fs.writeFile(path.join(ingest, '999999999-deadbeef'), 'partial');
  await fs.writeFile(path.join(ingest, 'garbage'), 'x');
  await fs.writeFile(path.join(ingest, `${process.pid}-live`), 'in progress');
  await ContentStore.open(store.dir);
  t.same(await fs.readdir(ingest), [`${process.pid}-live`]);
});
