/**
 * The node's CRI ImageService over a real content store: what containerd's CRI plugin does
 * for a kubelet. Images are the names in the store's index.json (so `k8ts image import`, a
 * separate process, and the runtime see the same images); an image's id is its config
 * digest; unpacked layers live in the SnapshotStore, where the runtime stacks them as
 * overlay lower dirs (rootfsLayers).
 *
 *   pullImage   reference → registry → blobs (verified) → snapshots → name in index.json
 *   imageStatus id | reference (short or full) | repo@digest → Image, or no image
 *   removeImage every name of the image, then the blobs and snapshots no other image uses
 *
 * Concurrent pulls of one reference share one pull, as the kubelet may ask for the same
 * image for several pods at once.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { realClock, type Clock } from '../../client/clock.js';
import type { AuthConfig, FilesystemUsage, Image, ImageService, ImageSpec } from '../cri/api.js';
import { CriError } from '../cri/errors.js';
import type { ContentStore } from './content-store.js';
import { imageUser } from './image-names.js';
import { parseImageReference, isLoopbackRegistry, type ImageReference } from './image-reference.js';
import { parseManifest } from './manifest.js';
import type { ImageConfig, Platform } from './oci-types.js';
import { hostPlatform } from './platform.js';
import { pullError, pullImage } from './pull-image.js';
import { RegistryClient, type RegistryCredentials } from './registry-client.js';
import { credentialsFromAuth } from './pull-credentials.js';
import type { SnapshotStore } from './snapshots.js';
import { StoredImageReader, type StoredImage } from './stored-images.js';

export interface NodeImageService extends ImageService {
  /** the image config (Entrypoint, Cmd, Env, WorkingDir, User) of a pulled image, by image id or reference */
  imageConfig(image: string): Promise<ImageConfig>;
  /** overlay lower dirs for the image, TOP layer FIRST (ensuring every layer's snapshot exists) */
  rootfsLayers(image: string): Promise<string[]>;
}

export interface ImageServiceOptions {
  store: ContentStore;
  snapshots: SnapshotStore;
  /** the platform to pull for (default: this host's) */
  platform?: Platform;
  /** makes the registry client for one pull, with that pull's credentials */
  registry?: (credentials: RegistryCredentials | undefined) => RegistryClient;
  logger?: Logger;
  clock?: Clock;
}

/** The default registry client: plain HTTP only for loopback registries (as Docker allows). */
export function defaultRegistryClient(credentials: RegistryCredentials | undefined): RegistryClient {
  return new RegistryClient({ credentials: () => credentials, plainHttp: (host) => isLoopbackRegistry(host) });
}

export function createImageService(opts: ImageServiceOptions): NodeImageService {
  return new ContentStoreImageService(opts);
}

class ContentStoreImageService implements NodeImageService {
  private readonly store: ContentStore;
  private readonly snapshots: SnapshotStore;
  private readonly platform: Platform;
  private readonly registry: (credentials: RegistryCredentials | undefined) => RegistryClient;
  private readonly logger: Logger | undefined;
  private readonly clock: Clock;
  private readonly reader: StoredImageReader;
  private readonly pulls = new Map<string, Promise<{ imageRef: string }>>();
  /** one client per credential set, so its token cache serves every pull that uses them */
  private readonly clients = new Map<string, RegistryClient>();

  constructor(opts: ImageServiceOptions) {
    this.store = opts.store;
    this.snapshots = opts.snapshots;
    this.platform = opts.platform ?? hostPlatform();
    this.registry = opts.registry ?? defaultRegistryClient;
    this.logger = opts.logger;
    this.clock = opts.clock ?? realClock;
    this.reader = new StoredImageReader(this.store, this.platform);
  }

  async listImages(req: { filter?: { image?: ImageSpec } }): Promise<{ images: Image[] }> {
    const images = await this.reader.list();
    const wanted = req.filter?.image?.image;
    if (wanted) {
      const image = await this.reader.find(wanted);
      return { images: image ? [toCriImage(image)] : [] };
    }
    return { images: images.map(toCriImage) };
  }

  async imageStatus(req: { image: ImageSpec; verbose: boolean }): Promise<{ image?: Image; info: Record<string, string> }> {
    const image = await this.reader.find(req.image.image);
    if (image === undefined) return { info: {} };
    const info: Record<string, string> = {};
    if (req.verbose) {
      info.info = JSON.stringify({ id: image.id, manifestDigest: image.manifestDigest, imageSpec: image.config, names: image.names.map((n) => n.ref) });
    }
    return { image: toCriImage(image), info };
  }

  pullImage(req: { image: ImageSpec; auth?: AuthConfig }): Promise<{ imageRef: string }> {
    let reference: ImageReference;
    try {
      reference = parseImageReference(req.image.image);
    } catch (err) {
      return Promise.reject(
        new CriError('InvalidArgument', `failed to parse image reference ${JSON.stringify(req.image.image)}: ${(err as Error).message}`),
      );
    }
    const key = reference.canonical;
    let pending = this.pulls.get(key);
    if (pending === undefined) {
      pending = this.pull(reference, req.auth).finally(() => this.pulls.delete(key));
      this.pulls.set(key, pending);
    }
    return pending;
  }

  private clientFor(credentials: RegistryCredentials | undefined): RegistryClient {
    const key = JSON.stringify(credentials ?? null);
    let client = this.clients.get(key);
    if (!client) this.clients.set(key, (client = this.registry(credentials)));
    return client;
  }

  private async pull(reference: ImageReference, auth: AuthConfig | undefined): Promise<{ imageRef: string }> {
    const ref = reference.canonical;
    try {
      const client = this.clientFor(credentialsFromAuth(auth));
      const pulled = await pullImage(
        { store: this.store, snapshots: this.snapshots, registry: client, platform: this.platform, ...(this.logger ? { logger: this.logger } : {}) },
        reference,
      );
      await this.store.tagManifest(ref, pulled.target);
      this.logger?.info({ image: ref, id: pulled.manifest.config.digest, manifest: pulled.manifestDigest }, 'pulled image');
      return { imageRef: pulled.manifest.config.digest };
    } catch (err) {
      const criError = pullError(ref, err);
      this.logger?.warn({ image: ref, err: criError.message }, 'image pull failed');
      throw criError;
    }
  }

  async removeImage(req: { image: ImageSpec }): Promise<Record<string, never>> {
    const images = await this.reader.list();
    const image = (await this.reader.find(req.image.image)) ?? undefined;
    if (image === undefined) return {}; // idempotent, as the CRI asks
    for (const { ref } of image.names) await this.store.untag(ref);
    const remaining = images.filter((i) => i.id !== image.id);
    const keepBlobs = new Set<string>();
    const keepLayers = new Set<string>();
    for (const other of remaining) {
      for (const { digest } of other.names) for (const d of await this.closure(digest)) keepBlobs.add(d);
      for (const diffId of other.config.rootfs.diff_ids) keepLayers.add(diffId);
    }
    for (const { digest } of image.names) {
      for (const blob of await this.closure(digest)) {
        if (!keepBlobs.has(blob)) await fs.rm(this.store.blobPath(blob), { force: true });
      }
    }
    for (const diffId of image.config.rootfs.diff_ids) {
      if (!keepLayers.has(diffId)) await this.snapshots.remove(diffId);
    }
    this.logger?.info({ image: image.id, names: image.names.map((n) => n.ref) }, 'removed image');
    return {};
  }

  /** Every blob a tagged digest reaches that is in the store: itself, index children, configs, layers. */
  private async closure(digest: string): Promise<string[]> {
    const out = new Set<string>();
    const visit = async (d: string, depth: number): Promise<void> => {
      if (out.has(d) || !(await this.store.hasBlob(d))) return;
      out.add(d);
      if (depth > 3) return;
      let parsed;
      try {
        parsed = parseManifest(await this.store.readBlob(d));
      } catch {
        return; // a config or layer, not a manifest
      }
      if (parsed.kind === 'index') {
        for (const child of parsed.index.manifests) await visit(child.digest, depth + 1);
      } else {
        if (await this.store.hasBlob(parsed.manifest.config.digest)) out.add(parsed.manifest.config.digest);
        for (const layer of parsed.manifest.layers) if (await this.store.hasBlob(layer.digest)) out.add(layer.digest);
      }
    };
    await visit(digest, 0);
    return [...out];
  }

  async imageFsInfo(): Promise<{ imageFilesystems: FilesystemUsage[]; containerFilesystems: FilesystemUsage[] }> {
    const usage = { bytes: 0, inodes: 0 };
    await diskUsage(this.store.dir, usage);
    const nested = path.relative(this.store.dir, this.snapshots.dir);
    if (nested.startsWith('..') || path.isAbsolute(nested)) await diskUsage(this.snapshots.dir, usage);
    const fsUsage: FilesystemUsage = {
      timestamp: this.clock.now() * 1_000_000,
      fsId: { mountpoint: this.store.dir },
      usedBytes: { value: usage.bytes },
      inodesUsed: { value: usage.inodes },
    };
    return { imageFilesystems: [fsUsage], containerFilesystems: [] };
  }

  async imageConfig(image: string): Promise<ImageConfig> {
    return (await this.require(image)).config;
  }

  async rootfsLayers(image: string): Promise<string[]> {
    const found = await this.require(image);
    const diffIds = found.config.rootfs.diff_ids;
    const dirs: string[] = [];
    for (const [i, layer] of found.manifest.layers.entries()) {
      const diffId = diffIds[i];
      if (diffId === undefined) throw new CriError('FailedPrecondition', `image ${found.id}: config has fewer diff_ids than layers`);
      try {
        dirs.push(await this.snapshots.ensure(this.store, layer, diffId));
      } catch (err) {
        throw new CriError('Internal', `failed to unpack layer ${layer.digest} of image ${found.id}: ${(err as Error).message}`);
      }
    }
    return dirs.reverse();
  }

  private async require(image: string): Promise<StoredImage> {
    const found = await this.reader.find(image);
    if (found === undefined) throw new CriError('NotFound', `image ${JSON.stringify(image)} not found`);
    return found;
  }
}

/** A stored image as the CRI reports it. */
export function toCriImage(image: StoredImage): Image {
  return {
    id: image.id,
    repoTags: [...image.repoTags],
    repoDigests: [...image.repoDigests],
    size: image.size,
    ...imageUser(image.config.config?.User),
    spec: { image: image.id },
    pinned: false,
  };
}

/** du: allocated bytes and inodes below dir (hard links counted once). */
async function diskUsage(dir: string, usage: { bytes: number; inodes: number }, seen = new Set<string>()): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    let st;
    try {
      st = await fs.lstat(abs);
    } catch {
      continue;
    }
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) continue;
    seen.add(key);
    usage.inodes++;
    usage.bytes += st.blocks * 512;
    if (entry.isDirectory()) await diskUsage(abs, usage, seen);
  }
}
