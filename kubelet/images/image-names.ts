/**
 * Where a node keeps its images, and how the names in the store's index.json become the
 * CRI's repoTags and repoDigests. The paths live here so `k8ts image import` (a separate
 * process) and the runc runtime always open the same store.
 *
 * A name in index.json (annotation org.opencontainers.image.ref.name) is a normalised
 * reference: `docker.io/library/busybox:1.36` names a tag, `127.0.0.1:5000/busybox@sha256:…`
 * names a digest (a pull by digest). containerd reports, for every name of an image, the
 * name itself when it carries a tag (repoTags) and `repository@<the digest it points at>`
 * (repoDigests). Pure functions, no I/O.
 */
import * as path from 'node:path';
import { parseImageReference, type ImageReference } from './image-reference.js';

/** The node's OCI image layout: `<dataDir>/images`. */
export function imageStoreDir(dataDir: string): string {
  return path.join(dataDir, 'images');
}

/** Unpacked layers, one directory per diffId, beside the blobs: `<imageStoreDir>/snapshots`. */
export function snapshotStoreDir(imageDir: string): string {
  return path.join(imageDir, 'snapshots');
}

/** A parsed reference, or undefined for a name that is not one (e.g. a bare tag `1.0`). */
export function tryParseReference(name: string): ImageReference | undefined {
  try {
    return parseImageReference(name);
  } catch {
    return undefined;
  }
}

/**
 * Whether a ref.name annotation is a full image reference rather than a bare tag: an OCI
 * layout written by other tools often names its entries just `latest` or `1.0`, which would
 * otherwise normalise to the unrelated `docker.io/library/1.0:latest`.
 */
export function isFullReference(name: string): boolean {
  if (!name.includes('/') && !name.includes(':') && !name.includes('@')) return false;
  return tryParseReference(name) !== undefined;
}

/** repoTags and repoDigests of an image from its stored names and what each points at. */
export function repoNames(names: ReadonlyArray<{ ref: string; digest: string }>): { repoTags: string[]; repoDigests: string[] } {
  const repoTags = new Set<string>();
  const repoDigests = new Set<string>();
  for (const { ref, digest } of names) {
    const parsed = tryParseReference(ref);
    if (parsed === undefined) continue;
    if (parsed.digest === undefined) repoTags.add(parsed.canonical);
    repoDigests.add(`${parsed.name}@${digest}`);
  }
  return { repoTags: [...repoTags].sort(), repoDigests: [...repoDigests].sort() };
}

/**
 * containerd's getUserFromImage: the config's User split at ':'; a numeric user part is a
 * uid (the kubelet checks runAsNonRoot against it), anything else a user name. An empty
 * User says nothing (the kubelet then treats the image as running as root).
 */
export function imageUser(user: string | undefined): { uid?: { value: number }; username?: string } {
  if (user === undefined || user === '') return {};
  const name = user.split(':')[0] ?? '';
  if (name === '') return {};
  if (/^\d+$/.test(name)) return { uid: { value: Number(name) } };
  return { username: name };
}
