/**
 * The simulated node's images: no bytes, only the records containerd would keep. An
 * image's id is 'sha256:' + sha256(its normalized name), so every simulated node reports
 * the same imageID for the same image, as nodes pulling one registry's image do.
 *
 * Lookups accept what the kubelet may pass as ImageSpec.image: the name as written in
 * the pod ('nginx'), its normalized form, a repo digest, or the image id ('sha256:…').
 */
import { createHash } from 'node:crypto';
import type { Image, ImageSpec } from '../../cri/api.js';
import { normalizeImageReference, type NormalizedImage } from './image-reference.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** a pull of an image whose name contains this fails with NotFound (to simulate typos) */
export const MISSING_IMAGE_MARKER = 'sim-missing';

export class ImageStore {
  private readonly byId = new Map<string, Image>();
  /** every repoTag and repoDigest → image id */
  private readonly byName = new Map<string, string>();

  /** the record a pull of `spec` creates (not stored) */
  static describe(spec: ImageSpec): { image: Image; normalized: NormalizedImage } {
    const normalized = normalizeImageReference(spec.image);
    const hash = sha256(normalized.canonical);
    const image: Image = {
      id: `sha256:${hash}`,
      repoTags: normalized.repoTag ? [normalized.repoTag] : [],
      // Real images always have a registry digest; make one up that is stable per name.
      repoDigests: [normalized.repoDigest ?? `${normalized.repository}@sha256:${sha256(`manifest:${normalized.canonical}`)}`],
      // 5–100 MB, stable per image: plausible for imageFsInfo and the node's image list.
      size: 5_000_000 + (parseInt(hash.slice(0, 8), 16) % 95_000_000),
      spec: { image: normalized.canonical, annotations: { ...spec.annotations } },
      pinned: false,
    };
    return { image, normalized };
  }

  add(image: Image): void {
    this.byId.set(image.id, image);
    for (const name of [...image.repoTags, ...image.repoDigests]) this.byName.set(name, image.id);
  }

  find(reference: string): Image | undefined {
    const ref = reference.trim();
    if (ref.startsWith('sha256:')) return this.byId.get(ref);
    if (/^[0-9a-f]{64}$/.test(ref)) return this.byId.get(`sha256:${ref}`);
    const normalized = normalizeImageReference(ref);
    const id = this.byName.get(normalized.canonical) ?? (normalized.repoDigest && this.byName.get(normalized.repoDigest));
    return id ? this.byId.get(id) : undefined;
  }

  remove(reference: string): void {
    const image = this.find(reference);
    if (!image) return;
    this.byId.delete(image.id);
    for (const name of [...image.repoTags, ...image.repoDigests]) this.byName.delete(name);
  }

  list(): Image[] {
    return [...this.byId.values()];
  }

  get totalBytes(): number {
    let total = 0;
    for (const image of this.byId.values()) total += image.size;
    return total;
  }
}

/** a copy safe to hand to a caller */
export const copyImage = (image: Image): Image => ({
  ...image,
  repoTags: [...image.repoTags],
  repoDigests: [...image.repoDigests],
  spec: image.spec && { image: image.spec.image, annotations: { ...image.spec.annotations } },
});
