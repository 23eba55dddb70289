/**
 * `k8ts image import`: puts the images of a tarball into the content store and names them,
 * for nodes without a registry. Two formats, told apart by their files:
 *
 *   OCI layout      oci-layout, index.json, blobs/sha256/<hex>. Each index.json entry is
 *                   named by io.containerd.image.name, else org.opencontainers.image.ref.name
 *                   when that is a full reference; a bare tag (`1.0`) needs `name`.
 *                   (Docker 25+ `docker save` writes this too, beside manifest.json.)
 *   docker-archive  `docker save` before Docker 25: manifest.json [{Config, RepoTags,
 *                   Layers}], the config JSON and uncompressed layer tars (`<id>/layer.tar`).
 *                   Each entry becomes a fresh OCI manifest: layers as
 *                   application/vnd.oci.image.layer.v1.tar, config as it is.
 *
 * The tar is read once, streaming: blobs/ files go straight into the store verified against
 * their names; other big files are stored under the digest they hash to; only small JSON
 * files are held in memory. Names are written last, once every blob they need is present.
 */
import { createReadStream } from 'node:fs';
import { extract as tarExtract } from 'tar-stream';
import type { ContentStore } from './content-store.js';
import { sha256Digest } from './digest.js';
import { isFullReference, tryParseReference } from './image-names.js';
import { parseManifest } from './manifest.js';
import { MediaTypes } from './media-types.js';
import { REF_NAME_ANNOTATION, type Descriptor, type ImageManifest } from './oci-types.js';

export interface ImportOptions {
  /**
   * Name for the archive's image: used when the archive has exactly one image, or as the
   * repository for entries named by a bare tag.
   */
  name?: string;
}

export interface ImportedImage {
  ref: string;
  digest: string;
}

export class ImportError extends Error {
  override name = 'ImportError';
}

const CONTAINERD_NAME_ANNOTATION = 'io.containerd.image.name';
/** Metadata files are small; anything bigger is content and goes to the store. */
const MAX_METADATA_BYTES = 4 * 1024 * 1024;

interface ArchiveContents {
  /** small files by normalised path */
  metadata: Map<string, Buffer>;
  /** every other regular file: path → digest of its bytes, now in the store */
  stored: Map<string, { digest: string; size: number }>;
}

export async function importArchive(store: ContentStore, file: string, opts: ImportOptions = {}): Promise<ImportedImage[]> {
  const contents = await readArchive(store, file);
  const { metadata } = contents;
  if (metadata.has('index.json') && metadata.has('oci-layout')) {
    const named = await importOciLayout(store, contents, opts);
    if (named !== undefined) return named;
  }
  if (metadata.has('manifest.json')) return importDockerArchive(store, contents, opts);
  throw new ImportError('neither an OCI layout (oci-layout, index.json) nor a docker-archive (manifest.json)');
}

async function readArchive(store: ContentStore, file: string): Promise<ArchiveContents> {
  const metadata = new Map<string, Buffer>();
  const stored = new Map<string, { digest: string; size: number }>();
  const extract = tarExtract();
  const input = createReadStream(file);
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of extract) {
      const name = entry.header.name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      const body = entry as unknown as AsyncIterable<Uint8Array>;
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
        for await (const _ of body) void _;
        continue;
      }
      const blob = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
      const size = entry.header.size ?? 0;
      if (blob) {
        const digest = `sha256:${blob[1]}`;
        if (await store.hasBlob(digest)) for await (const _ of body) void _;
        else await store.putBlob(body, digest);
        stored.set(name, { digest, size });
      } else if (size <= MAX_METADATA_BYTES && !name.endsWith('.tar')) {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(Buffer.from(chunk));
        metadata.set(name, Buffer.concat(chunks));
      } else {
        stored.set(name, await store.putBlob(body));
      }
    }
  } catch (err) {
    input.destroy();
    throw new ImportError(`cannot read the archive: ${(err as Error).message}`);
  }
  return { metadata, stored };
}

/** The OCI layout's named entries; undefined when no entry has a usable name and a manifest.json may name them instead. */
async function importOciLayout(store: ContentStore, contents: ArchiveContents, opts: ImportOptions): Promise<ImportedImage[] | undefined> {
  let index;
  try {
    const parsed = parseManifest(contents.metadata.get('index.json')!);
    if (parsed.kind !== 'index') throw new Error('index.json is not an image index');
    index = parsed.index;
  } catch (err) {
    throw new ImportError(`invalid OCI layout: index.json: ${(err as Error).message}`);
  }
  const entries = index.manifests;
  if (entries.length === 0) throw new ImportError('the OCI layout names no images (index.json has no manifests)');
  const names: Array<{ ref: string; descriptor: Descriptor }> = [];
  for (const d of entries) {
    const ref = nameFor(d, entries.length, opts);
    if (ref === undefined) continue;
    names.push({ ref, descriptor: stripNames(d) });
  }
  if (names.length === 0) {
    if (contents.metadata.has('manifest.json')) return undefined;
    throw new ImportError('the OCI layout\'s images have no full reference as name: give one with --name REF');
  }
  for (const { descriptor } of names) await requireBlobs(store, descriptor.digest);
  return tagAll(store, names);
}

function nameFor(d: Descriptor, count: number, opts: ImportOptions): string | undefined {
  const containerdName = d.annotations?.[CONTAINERD_NAME_ANNOTATION];
  const refName = d.annotations?.[REF_NAME_ANNOTATION];
  if (opts.name !== undefined) {
    if (count === 1) return canonical(opts.name);
    const base = tryParseReference(opts.name);
    if (refName !== undefined && !isFullReference(refName) && base !== undefined && base.tag === undefined && base.digest === undefined) {
      return canonical(`${base.name}:${refName}`);
    }
  }
  if (containerdName !== undefined && isFullReference(containerdName)) return canonical(containerdName);
  if (refName !== undefined && isFullReference(refName)) return canonical(refName);
  return undefined;
}

function canonical(name: string): string {
  const parsed = tryParseReference(name);
  if (parsed === undefined) throw new ImportError(`invalid image name ${JSON.stringify(name)}`);
  return parsed.canonical;
}

function stripNames(d: Descriptor): Descriptor {
  const { annotations, ...rest } = d;
  const kept = Object.fromEntries(
    Object.entries(annotations ?? {}).filter(([k]) => k !== REF_NAME_ANNOTATION && k !== CONTAINERD_NAME_ANNOTATION),
  );
  return Object.keys(kept).length > 0 ? { ...rest, annotations: kept } : rest;
}

/**
 * Every blob a manifest needs, or for an index every blob of the manifests it has: an index
 * may list platforms the archive left out (skopeo copy without --all), and the node can
 * still run the one it has.
 */
async function requireBlobs(store: ContentStore, digest: string, depth = 0): Promise<void> {
  if (!(await store.hasBlob(digest))) throw new ImportError(`the archive lacks blob ${digest}`);
  const parsed = parseManifest(await store.readBlob(digest));
  if (parsed.kind === 'manifest') {
    for (const d of [parsed.manifest.config, ...parsed.manifest.layers]) {
      if (!(await store.hasBlob(d.digest))) throw new ImportError(`the archive lacks blob ${d.digest} of manifest ${digest}`);
    }
    return;
  }
  if (depth > 2) throw new ImportError(`image index ${digest} nests too deep`);
  let present = 0;
  for (const child of parsed.index.manifests) {
    if (!(await store.hasBlob(child.digest))) continue;
    await requireBlobs(store, child.digest, depth + 1);
    present++;
  }
  if (present === 0) throw new ImportError(`the archive has none of the manifests of index ${digest}`);
}

interface DockerArchiveEntry {
  Config?: unknown;
  RepoTags?: unknown;
  Layers?: unknown;
}

async function importDockerArchive(store: ContentStore, contents: ArchiveContents, opts: ImportOptions): Promise<ImportedImage[]> {
  let entries: DockerArchiveEntry[];
  try {
    entries = JSON.parse(contents.metadata.get('manifest.json')!.toString('utf8')) as DockerArchiveEntry[];
    if (!Array.isArray(entries) || entries.length === 0) throw new Error('not a non-empty list');
  } catch (err) {
    throw new ImportError(`invalid docker-archive: manifest.json: ${(err as Error).message}`);
  }
  const names: Array<{ ref: string; descriptor: Descriptor }> = [];
  for (const [i, entry] of entries.entries()) {
    if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers) || !entry.Layers.every((l) => typeof l === 'string')) {
      throw new ImportError(`invalid docker-archive: manifest.json entry ${i} needs Config and Layers`);
    }
    const config = await fileDescriptor(store, contents, entry.Config, MediaTypes.ociConfig);
    const layers: Descriptor[] = [];
    for (const layer of entry.Layers as string[]) layers.push(await fileDescriptor(store, contents, layer, MediaTypes.ociLayerTar));
    const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const stored = await store.putBlob(bytes, sha256Digest(bytes));
    const descriptor: Descriptor = { mediaType: MediaTypes.ociManifest, digest: stored.digest, size: stored.size };
    const tags = Array.isArray(entry.RepoTags) ? entry.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    const refs = opts.name !== undefined && entries.length === 1 ? [opts.name] : tags;
    if (refs.length === 0) {
      throw new ImportError(`docker-archive image ${i} (config ${entry.Config}) has no RepoTags: give a name with --name REF`);
    }
    for (const ref of refs) names.push({ ref: canonical(ref), descriptor });
  }
  return tagAll(store, names);
}

/** A file of the archive as a descriptor; JSON config files are stored now (they were held in memory). */
async function fileDescriptor(store: ContentStore, contents: ArchiveContents, name: string, mediaType: string): Promise<Descriptor> {
  const key = name.replace(/^(\.\/)+/, '');
  const stored = contents.stored.get(key);
  if (stored) return { mediaType, digest: stored.digest, size: stored.size };
  const bytes = contents.metadata.get(key);
  if (bytes === undefined) throw new ImportError(`invalid docker-archive: manifest.json names ${JSON.stringify(name)}, which is not in the archive`);
  const put = await store.putBlob(bytes, sha256Digest(bytes));
  return { mediaType, digest: put.digest, size: put.size };
}

async function tagAll(store: ContentStore, names: Array<{ ref: string; descriptor: Descriptor }>): Promise<ImportedImage[]> {
  const out: ImportedImage[] = [];
  for (const { ref, descriptor } of names) {
    await store.tagManifest(ref, descriptor);
    out.push({ ref, digest: descriptor.digest });
  }
  return out;
}
