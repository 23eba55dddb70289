/**
 * Builds OCI images into a ContentStore from a list of files, with no external tools: the
 * test suites make their busybox images this way, and `k8ts image import`-style tooling can
 * reuse it. The output is reproducible (runtime-recipe §1b): entries sorted, uid/gid 0, a
 * fixed mtime, gzip without a timestamp — so the same files always give the same digests.
 *
 * Each layer is hashed twice: diff_id (the uncompressed tar, in the config's rootfs) and
 * digest (the gzip blob, in the manifest). JSON blobs are stored as exactly the bytes that
 * were hashed.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { pack as tarPack, type Header as TarHeader } from 'tar-stream';
import type { ContentStore } from './content-store.js';
import { sha256Digest } from './digest.js';
import { entryParts } from './layer-entry-path.js';
import { MediaTypes } from './media-types.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from './oci-types.js';

export interface LayerFile {
  /** Path inside the image, without a leading "/" needed ("bin/sh", "etc/.wh.motd"). */
  path: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  content?: string | Uint8Array;
  /** Read the content from this host file instead. */
  sourceFile?: string;
  /** For symlinks and hardlinks. */
  linkTarget?: string;
  /** Permission bits; default 0644 for files, 0755 for directories, 0777 for symlinks. */
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface BuiltLayer {
  tar: Buffer;
  gzip: Buffer;
  diffId: string;
  digest: string;
}

export interface ImageSpec {
  layers: LayerFile[][];
  architecture?: string;
  os?: string;
  variant?: string;
  cmd?: string[];
  entrypoint?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  exposedPorts?: string[];
  /** Tag the manifest under this name in the store's index.json. */
  tag?: string;
}

export interface BuiltImage {
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
  diffIds: string[];
}

/** What tar-stream's pack needs (it fills in the rest). */
export type Header = Partial<TarHeader> & { name: string };

const FIXED_MTIME = new Date(0);

/** The tar (and its gzip) for a set of files; parent directories are added when missing. */
export async function buildLayer(files: readonly LayerFile[]): Promise<BuiltLayer> {
  const entries = new Map<string, { header: Header; body?: Buffer }>();
  for (const file of files) {
    const split = entryParts(file.path);
    if ('unsafe' in split || split.parts.length === 0) throw new Error(`buildLayer: bad path ${JSON.stringify(file.path)}`);
    for (let i = 1; i < split.parts.length; i++) {
      const dir = split.parts.slice(0, i).join('/');
      if (!entries.has(dir)) entries.set(dir, { header: dirHeader(dir, 0o755, 0, 0) });
    }
    const name = split.parts.join('/');
    const type = file.type ?? (file.content === undefined && file.sourceFile === undefined ? 'dir' : 'file');
    const uid = file.uid ?? 0;
    const gid = file.gid ?? 0;
    switch (type) {
      case 'dir':
        entries.set(name, { header: dirHeader(name, file.mode ?? 0o755, uid, gid) });
        break;
      case 'symlink':
      case 'hardlink':
        entries.set(name, {
          header: {
            name,
            type: type === 'symlink' ? 'symlink' : 'link',
            linkname: file.linkTarget ?? '',
            mode: file.mode ?? 0o777,
            uid,
            gid,
            mtime: FIXED_MTIME,
            size: 0,
          },
        });
        break;
      case 'file': {
        const body =
          file.sourceFile !== undefined ? await readFile(file.sourceFile) : Buffer.from(file.content ?? '');
        entries.set(name, {
          header: { name, type: 'file', mode: file.mode ?? 0o644, uid, gid, mtime: FIXED_MTIME, size: body.length },
          body,
        });
        break;
      }
    }
  }
  const tar = await packTar([...entries.values()].sort((a, b) => compareNames(a.header.name, b.header.name)));
  const gzip = gzipSync(tar); // Node writes mtime 0 and no file name: reproducible
  return { tar, gzip, diffId: sha256Digest(tar), digest: sha256Digest(gzip) };
}

/** Builds one single-platform image (layers, config, manifest) into the store. */
export async function buildImage(store: ContentStore, spec: ImageSpec): Promise<BuiltImage> {
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const files of spec.layers) {
    const layer = await buildLayer(files);
    await store.putBlob(layer.gzip, layer.digest);
    layers.push({ mediaType: MediaTypes.ociLayerTarGzip, digest: layer.digest, size: layer.gzip.length });
    diffIds.push(layer.diffId);
  }
  const config: ImageConfig = {
    created: FIXED_MTIME.toISOString(),
    architecture: spec.architecture ?? 'amd64',
    os: spec.os ?? 'linux',
    ...(spec.variant !== undefined ? { variant: spec.variant } : {}),
    config: {
      ...(spec.user !== undefined ? { User: spec.user } : {}),
      ...(spec.exposedPorts ? { ExposedPorts: Object.fromEntries(spec.exposedPorts.map((p) => [p, {}])) } : {}),
      Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(spec.entrypoint !== undefined ? { Entrypoint: spec.entrypoint } : {}),
      ...(spec.cmd !== undefined ? { Cmd: spec.cmd } : {}),
      ...(spec.workingDir !== undefined ? { WorkingDir: spec.workingDir } : {}),
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created: FIXED_MTIME.toISOString(), created_by: 'k8ts build-image' })),
  };
  const configDescriptor = await putJson(store, MediaTypes.ociConfig, config);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociManifest,
    config: configDescriptor,
    layers,
  };
  const manifestDescriptor = await putJson(store, MediaTypes.ociManifest, manifest);
  if (spec.tag !== undefined) await store.tagManifest(spec.tag, manifestDescriptor);
  return { manifest: manifestDescriptor, config: configDescriptor, layers, diffIds };
}

/** An image index over per-platform manifests (e.g. linux/amd64 and linux/arm64/v8). */
export async function buildIndex(
  store: ContentStore,
  manifests: ReadonlyArray<{ manifest: Descriptor; platform: Platform }>,
  tag?: string,
): Promise<Descriptor> {
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociIndex,
    manifests: manifests.map(({ manifest, platform }) => ({
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: manifest.size,
      platform,
    })),
  };
  const descriptor = await putJson(store, MediaTypes.ociIndex, index);
  if (tag !== undefined) await store.tagManifest(tag, descriptor);
  return descriptor;
}

/** Serialises once, stores those exact bytes, and describes them. */
async function putJson(store: ContentStore, mediaType: string, value: unknown): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(value));
  const { digest, size } = await store.putBlob(bytes, sha256Digest(bytes));
  return { mediaType, digest, size };
}

function dirHeader(name: string, mode: number, uid: number, gid: number): Header {
  return { name: `${name}/`, type: 'directory', mode, uid, gid, mtime: FIXED_MTIME, size: 0 };
}

/** Byte order of the names without the trailing "/", so a directory precedes its contents. */
function compareNames(a: string, b: string): number {
  const x = a.replace(/\/$/, '');
  const y = b.replace(/\/$/, '');
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Packs entries as given, in order, with no checks on the names — buildLayer sorts and
 * validates; tests use this directly to make hostile layers ("../evil", absolute names).
 */
export async function packTar(entries: ReadonlyArray<{ header: Header; body?: Buffer }>): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (chunk: unknown) => {
      chunks.push(chunk as Buffer);
    });
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const { header, body } of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body !== undefined) pack.entry(header, body, cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
