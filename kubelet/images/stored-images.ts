/**
 * The images a node has, read from the content store's index.json: every tagged name is
 * resolved to the manifest for this host's platform (through an index when it is one) and
 * to that manifest's config, and names that reach the same config are one image, exactly as
 * containerd's CRI plugin groups image records by config digest (the CRI image id).
 *
 * index.json is read on every call because another process (`k8ts image import`) may have
 * changed it; manifests and configs are content-addressed, so their parsed JSON is cached
 * by digest forever. A name whose blobs are missing (a half-finished import) is ignored.
 */
import type { ContentStore } from './content-store.js';
import { tryParseReference, repoNames } from './image-names.js';
import { parseManifest } from './manifest.js';
import type { Descriptor, ImageConfig, ImageManifest, Platform } from './oci-types.js';
import { selectManifest } from './platform.js';

export interface StoredImage {
  /** config digest: the CRI image id */
  id: string;
  manifestDigest: string;
  manifest: ImageManifest;
  config: ImageConfig;
  /** the raw names in index.json and the digest each points at (an index or a manifest) */
  names: Array<{ ref: string; digest: string }>;
  repoTags: string[];
  repoDigests: string[];
  /** compressed layers + config, as containerd reports it */
  size: number;
}

type Parsed = { kind: 'index'; manifests: Descriptor[] } | { kind: 'manifest'; manifest: ImageManifest };

export class StoredImageReader {
  private readonly documents = new Map<string, Parsed>();
  private readonly configs = new Map<string, ImageConfig>();

  constructor(
    private readonly store: ContentStore,
    private readonly platform: Platform,
  ) {}

  /** The host platform's manifest below a tagged descriptor, or undefined when a blob is missing. */
  async platformManifest(digest: string): Promise<{ digest: string; manifest: ImageManifest } | undefined> {
    let current = digest;
    for (let depth = 0; depth < 4; depth++) {
      const doc = await this.document(current);
      if (doc === undefined) return undefined;
      if (doc.kind === 'manifest') return { digest: current, manifest: doc.manifest };
      let next: Descriptor;
      try {
        next = selectManifest(doc.manifests, this.platform);
      } catch {
        return undefined;
      }
      current = next.digest;
    }
    return undefined;
  }

  async config(digest: string): Promise<ImageConfig | undefined> {
    const cached = this.configs.get(digest);
    if (cached) return cached;
    if (!(await this.store.hasBlob(digest))) return undefined;
    try {
      const config = await this.store.readJson<ImageConfig>(digest);
      this.configs.set(digest, config);
      return config;
    } catch {
      return undefined;
    }
  }

  /** Every image in the store, grouped by config digest, sorted by id. */
  async list(): Promise<StoredImage[]> {
    const byId = new Map<string, StoredImage>();
    for (const { ref, descriptor } of await this.store.list()) {
      const resolved = await this.platformManifest(descriptor.digest);
      if (resolved === undefined) continue;
      const config = await this.config(resolved.manifest.config.digest);
      if (config === undefined) continue;
      const id = resolved.manifest.config.digest;
      let image = byId.get(id);
      if (image === undefined) {
        image = {
          id,
          manifestDigest: resolved.digest,
          manifest: resolved.manifest,
          config,
          names: [],
          repoTags: [],
          repoDigests: [],
          size: resolved.manifest.config.size + resolved.manifest.layers.reduce((sum, l) => sum + l.size, 0),
        };
        byId.set(id, image);
      }
      image.names.push({ ref, digest: descriptor.digest });
    }
    for (const image of byId.values()) Object.assign(image, repoNames(image.names));
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One image by id, reference or repo@digest (see findImage). */
  async find(query: string): Promise<StoredImage | undefined> {
    return findImage(await this.list(), query);
  }

  private async document(digest: string): Promise<Parsed | undefined> {
    const cached = this.documents.get(digest);
    if (cached) return cached;
    if (!(await this.store.hasBlob(digest))) return undefined;
    try {
      const parsed = parseManifest(await this.store.readBlob(digest));
      const doc: Parsed =
        parsed.kind === 'index' ? { kind: 'index', manifests: parsed.index.manifests } : { kind: 'manifest', manifest: parsed.manifest };
      this.documents.set(digest, doc);
      return doc;
    } catch {
      return undefined;
    }
  }
}

/**
 * The CRI's image lookup (containerd's LocalResolve): an image id (`sha256:<hex>` or the bare
 * 64 hex), a reference in any form (`busybox` means `docker.io/library/busybox:latest`), or
 * `repository@digest` where the digest is the one the name points at (index or manifest).
 * Pure: works on an already loaded list.
 */
export function findImage(images: readonly StoredImage[], query: string): StoredImage | undefined {
  const q = query.trim();
  if (/^sha256:[a-f0-9]{64}$/.test(q)) return images.find((i) => i.id === q);
  if (/^[a-f0-9]{64}$/.test(q)) return images.find((i) => i.id === `sha256:${q}`);
  const parsed = tryParseReference(q);
  if (parsed === undefined) return undefined;
  if (parsed.digest !== undefined) {
    const wanted = `${parsed.name}@${parsed.digest}`;
    return images.find((i) => i.repoDigests.includes(wanted));
  }
  return images.find((i) => i.repoTags.includes(parsed.canonical));
}
