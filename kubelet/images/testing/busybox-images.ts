/**
 * Test images built from the host's /usr/bin/busybox (Debian's busybox-static) with the
 * project's own image code, so every runc test and the bench run real images without a
 * network or external tools. Reproducible: the same binary and options give the same
 * digests (build-image.ts fixes mtimes, owners and gzip headers).
 *
 * The rootfs: bin/busybox plus one symlink per applet (`busybox --list`), etc/passwd
 * (root, nobody), etc/group, tmp (1777), empty proc sys dev root, and /etc/k8ts-arch naming
 * the architecture the image claims. The arm64 image of an index carries the host's binary
 * unless an arm64 busybox is given (the marker then says `arm64`, else `arm64 (amd64 binary)`).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildImage, buildIndex, type BuiltImage, type LayerFile } from '../build-image.js';
import type { ContentStore } from '../content-store.js';
import { sha256Digest } from '../digest.js';
import { MediaTypes } from '../media-types.js';
import type { Descriptor, ImageManifest, Platform } from '../oci-types.js';
import { hostPlatform } from '../platform.js';

const run = promisify(execFile);

export const HOST_BUSYBOX = '/usr/bin/busybox';
export const BUSYBOX_PATH_ENV = 'PATH=/bin:/usr/bin:/sbin:/usr/sbin';

export interface BusyboxImageOptions {
  /** name in the store's index.json: give a full reference (`127.0.0.1:5000/busybox:1.0`) */
  tag?: string;
  arch?: string;
  variant?: string;
  /** more layers on top of the busybox layer */
  extraLayers?: LayerFile[][];
  cmd?: string[];
  entrypoint?: string[];
  env?: string[];
  user?: string;
  workingDir?: string;
  /** the busybox binary to put in (default the host's) */
  busybox?: string;
}

let applets: Promise<string[]> | undefined;

/** The host busybox's applet names (`busybox --list`), read once per process. */
export function busyboxApplets(binary = HOST_BUSYBOX): Promise<string[]> {
  if (binary !== HOST_BUSYBOX) return listApplets(binary);
  applets ??= listApplets(binary);
  return applets;
}

async function listApplets(binary: string): Promise<string[]> {
  const { stdout } = await run(binary, ['--list']);
  return stdout
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => /^[a-z0-9_.[-]+$/i.test(s) && s !== 'busybox' && !s.includes('/'))
    .sort();
}

/** Whether the host has busybox-static (tests skip without it). */
export async function hasHostBusybox(): Promise<boolean> {
  try {
    await busyboxApplets();
    return true;
  } catch {
    return false;
  }
}

/** The files of the busybox base layer. */
export async function busyboxRootfs(opts: { arch: string; marker: string; busybox?: string }): Promise<LayerFile[]> {
  const binary = opts.busybox ?? HOST_BUSYBOX;
  const names = await busyboxApplets(HOST_BUSYBOX);
  const files: LayerFile[] = [
    { path: 'bin/busybox', sourceFile: binary, mode: 0o755 },
    ...names.map((name): LayerFile => ({ path: `bin/${name}`, type: 'symlink', linkTarget: 'busybox' })),
    { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
    { path: 'etc/group', content: 'root:x:0:\nnogroup:x:65534:\n' },
    { path: 'etc/k8ts-arch', content: `${opts.marker}\n` },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'proc', type: 'dir' },
    { path: 'sys', type: 'dir' },
    { path: 'dev', type: 'dir' },
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'usr/bin', type: 'dir' },
    { path: 'sbin', type: 'dir' },
  ];
  return files;
}

/** One single-platform busybox image in the store (tagged when opts.tag is given). */
export async function buildBusyboxImage(store: ContentStore, opts: BusyboxImageOptions = {}): Promise<BuiltImage> {
  // the host's busybox runs on the host's architecture; another arch gets it only as a labelled stand-in
  const hostArch = hostPlatform().architecture;
  const arch = opts.arch ?? hostArch;
  const foreign = arch !== hostArch && opts.busybox === undefined;
  const base = await busyboxRootfs({ arch, marker: foreign ? `${arch} (${hostArch} binary)` : arch, ...(opts.busybox ? { busybox: opts.busybox } : {}) });
  return buildImage(store, {
    layers: [base, ...(opts.extraLayers ?? [])],
    architecture: arch,
    os: 'linux',
    ...(opts.variant !== undefined ? { variant: opts.variant } : {}),
    cmd: opts.cmd ?? ['sh'],
    ...(opts.entrypoint !== undefined ? { entrypoint: opts.entrypoint } : {}),
    env: opts.env ?? [BUSYBOX_PATH_ENV],
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.workingDir !== undefined ? { workingDir: opts.workingDir } : {}),
    ...(opts.tag !== undefined ? { tag: opts.tag } : {}),
  });
}

export interface BusyboxIndexOptions extends Omit<BusyboxImageOptions, 'arch' | 'variant' | 'busybox'> {
  /** an arm64 busybox binary, when one is at hand */
  arm64Busybox?: string;
  /** 'docker' writes Docker v2 manifests and a Docker manifest list instead of OCI */
  format?: 'oci' | 'docker';
}

export interface BuiltBusyboxIndex {
  index: Descriptor;
  amd64: BuiltImage;
  arm64: BuiltImage;
  /** the per-platform manifests as the index lists them (Docker-typed for format 'docker') */
  manifests: Array<{ manifest: Descriptor; platform: Platform }>;
}

/** A two-platform image: linux/amd64 and linux/arm64/v8, under an OCI index or a Docker manifest list. */
export async function buildBusyboxIndex(store: ContentStore, opts: BusyboxIndexOptions = {}): Promise<BuiltBusyboxIndex> {
  const { tag, arm64Busybox, format, ...rest } = opts;
  const amd64 = await buildBusyboxImage(store, { ...rest, arch: 'amd64' });
  const arm64 = await buildBusyboxImage(store, { ...rest, arch: 'arm64', variant: 'v8', ...(arm64Busybox ? { busybox: arm64Busybox } : {}) });
  const platforms: Platform[] = [
    { architecture: 'amd64', os: 'linux' },
    { architecture: 'arm64', os: 'linux', variant: 'v8' },
  ];
  if (format === 'docker') {
    const manifests = [
      { manifest: await toDockerManifest(store, amd64), platform: platforms[0]! },
      { manifest: await toDockerManifest(store, arm64), platform: platforms[1]! },
    ];
    const list = {
      schemaVersion: 2,
      mediaType: MediaTypes.dockerManifestList,
      manifests: manifests.map(({ manifest, platform }) => ({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size, platform })),
    };
    const index = await putJson(store, MediaTypes.dockerManifestList, list);
    if (tag !== undefined) await store.tagManifest(tag, index);
    return { index, amd64, arm64, manifests };
  }
  const manifests = [
    { manifest: amd64.manifest, platform: platforms[0]! },
    { manifest: arm64.manifest, platform: platforms[1]! },
  ];
  const index = await buildIndex(store, manifests, tag);
  return { index, amd64, arm64, manifests };
}

/** The same image as a Docker v2 schema 2 manifest (Docker media types over the same blobs). */
export async function toDockerManifest(store: ContentStore, image: BuiltImage): Promise<Descriptor> {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.dockerManifest,
    config: { mediaType: MediaTypes.dockerConfig, digest: image.config.digest, size: image.config.size },
    layers: image.layers.map((l) => ({ mediaType: MediaTypes.dockerLayerTarGzip, digest: l.digest, size: l.size })),
  };
  return putJson(store, MediaTypes.dockerManifest, manifest);
}

async function putJson(store: ContentStore, mediaType: string, value: unknown): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(value));
  const { digest, size } = await store.putBlob(bytes, sha256Digest(bytes));
  return { mediaType, digest, size };
}
