/**
 * A content-addressed image store laid out as an OCI image layout directory:
 *
 *   <dir>/oci-layout            {"imageLayoutVersion":"1.0.0"}
 *   <dir>/index.json            tagged descriptors (annotation org.opencontainers.image.ref.name)
 *   <dir>/blobs/sha256/<hex>    every manifest, index, config and layer, named by its digest
 *   <dir>/ingest/               partially written blobs (same filesystem, so rename is atomic)
 *
 * Using the standard layout means `skopeo`/`umoci` can read what k8ts pulled, and the
 * reverse. A blob only ever appears under its digest after its bytes were hashed while
 * being written and (when the caller knows it) checked against the expected digest, so a
 * truncated download or a lying registry can never leave a wrong blob behind.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { removeDeadProcessTemps } from './dead-process-temps.js';
import { DigestCounter, digestHex } from './digest.js';
import { REF_NAME_ANNOTATION, type Descriptor, type ImageIndex } from './oci-types.js';
import { MediaTypes } from './media-types.js';

export type BlobSource = Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface StoredBlob {
  digest: string;
  size: number;
}

export interface TaggedImage {
  ref: string;
  descriptor: Descriptor;
}

export class DigestMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`blob digest mismatch: expected ${expected}, got ${actual}`);
    this.name = 'DigestMismatchError';
  }
}

export class ContentStore {
  /** Serialises read-modify-write of index.json within this process. */
  private indexLock: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string) {}

  /**
   * Opens (creating when missing) an OCI layout at dir. Temp files a crashed process left in
   * ingest/ are removed: a partial blob is never resumed, only fetched again.
   */
  static async open(dir: string): Promise<ContentStore> {
    const store = new ContentStore(path.resolve(dir));
    await fs.mkdir(path.join(store.dir, 'blobs', 'sha256'), { recursive: true });
    const ingest = path.join(store.dir, 'ingest');
    await fs.mkdir(ingest, { recursive: true });
    await removeDeadProcessTemps(ingest, (name) => Number(/^(?:index-)?(\d+)-/.exec(name)?.[1]));
    await writeIfMissing(path.join(store.dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeIfMissing(
      path.join(store.dir, 'index.json'),
      JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: [] } satisfies ImageIndex),
    );
    return store;
  }

  /** Where a blob lives (it may not exist); throws for a malformed digest. */
  blobPath(digest: string): string {
    return path.join(this.dir, 'blobs', 'sha256', digestHex(digest));
  }

  /**
   * Stores a blob: streams it to a temp file in ingest/ while hashing, verifies the digest
   * when expectedDigest is given, then renames it into blobs/. On any failure the temp file
   * is removed and nothing appears under blobs/. Storing a blob that exists replaces it
   * with the same bytes (rename is atomic, so readers never see a partial file).
   */
  async putBlob(source: BlobSource, expectedDigest?: string): Promise<StoredBlob> {
    if (expectedDigest !== undefined) digestHex(expectedDigest); // reject malformed digests before reading
    const tempPath = path.join(this.dir, 'ingest', `${process.pid}-${randomBytes(8).toString('hex')}`);
    const counter = new DigestCounter();
    const file = await fs.open(tempPath, 'wx', 0o644);
    try {
      try {
        for await (const chunk of chunksOf(source)) {
          counter.update(chunk);
          await file.write(chunk);
        }
        await file.sync();
      } finally {
        await file.close();
      }
      const actual = counter.digest();
      if (expectedDigest !== undefined && actual !== expectedDigest) {
        throw new DigestMismatchError(expectedDigest, actual);
      }
      await fs.rename(tempPath, this.blobPath(actual));
      return { digest: actual, size: counter.size };
    } catch (err) {
      await fs.rm(tempPath, { force: true });
      throw err;
    }
  }

  async hasBlob(digest: string): Promise<boolean> {
    try {
      return (await fs.stat(this.blobPath(digest))).isFile();
    } catch {
      return false;
    }
  }

  /** A read stream of a stored blob (errors with ENOENT when it is missing). */
  openBlob(digest: string): Readable {
    return createReadStream(this.blobPath(digest));
  }

  async readBlob(digest: string): Promise<Buffer> {
    return fs.readFile(this.blobPath(digest));
  }

  async readJson<T>(digest: string): Promise<T> {
    return JSON.parse((await this.readBlob(digest)).toString('utf8')) as T;
  }

  /** Points ref at descriptor in index.json, replacing an earlier descriptor of that ref. */
  async tagManifest(ref: string, descriptor: Descriptor): Promise<void> {
    if (ref === '') throw new Error('tagManifest: empty ref');
    digestHex(descriptor.digest);
    await this.updateIndex((index) => {
      const others = index.manifests.filter((d) => d.annotations?.[REF_NAME_ANNOTATION] !== ref);
      const tagged: Descriptor = {
        ...descriptor,
        annotations: { ...descriptor.annotations, [REF_NAME_ANNOTATION]: ref },
      };
      return { ...index, manifests: [...others, tagged] };
    });
  }

  /** Removes ref from index.json (the blobs stay until a garbage collection). */
  async untag(ref: string): Promise<boolean> {
    let removed = false;
    await this.updateIndex((index) => {
      const kept = index.manifests.filter((d) => d.annotations?.[REF_NAME_ANNOTATION] !== ref);
      removed = kept.length !== index.manifests.length;
      return { ...index, manifests: kept };
    });
    return removed;
  }

  /** The descriptor tagged ref (without the ref-name annotation), or undefined. */
  async resolve(ref: string): Promise<Descriptor | undefined> {
    return (await this.list()).find((t) => t.ref === ref)?.descriptor;
  }

  async list(): Promise<TaggedImage[]> {
    const index = await this.readIndex();
    const out: TaggedImage[] = [];
    for (const d of index.manifests) {
      const ref = d.annotations?.[REF_NAME_ANNOTATION];
      if (ref === undefined) continue;
      const { [REF_NAME_ANNOTATION]: _, ...rest } = d.annotations ?? {};
      const descriptor: Descriptor = { ...d };
      if (Object.keys(rest).length > 0) descriptor.annotations = rest;
      else delete descriptor.annotations;
      out.push({ ref, descriptor });
    }
    return out;
  }

  private async readIndex(): Promise<ImageIndex> {
    const index = JSON.parse(await fs.readFile(path.join(this.dir, 'index.json'), 'utf8')) as ImageIndex;
    if (!Array.isArray(index.manifests)) index.manifests = [];
    return index;
  }

  /** Read-modify-write of index.json, one at a time, written via rename so readers never see half a file. */
  private async updateIndex(change: (index: ImageIndex) => ImageIndex): Promise<void> {
    const run = this.indexLock.then(async () => {
      const next = change(await this.readIndex());
      const target = path.join(this.dir, 'index.json');
      const temp = path.join(this.dir, 'ingest', `index-${process.pid}-${randomBytes(6).toString('hex')}.json`);
      try {
        await fs.writeFile(temp, JSON.stringify(next));
        await fs.rename(temp, target);
      } catch (err) {
        await fs.rm(temp, { force: true });
        throw err;
      }
    });
    this.indexLock = run.catch(() => undefined);
    return run;
  }
}

async function* chunksOf(source: BlobSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
}

async function writeIfMissing(file: string, content: string): Promise<void> {
  try {
    await fs.writeFile(file, content, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
