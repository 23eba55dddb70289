/**
 * Parsing and validating what a registry or an OCI layout hands back for an image: an OCI
 * image manifest or index, or a Docker v2 schema 2 manifest or manifest list; and checking
 * bytes against the digest they were asked for.
 *
 * Why so strict: a manifest decides which blobs are fetched and unpacked as a root file
 * system, so nothing is trusted until its bytes hash to the digest that named them
 * (verifyDigest), and a document that is not what it claims to be (an index served as a
 * manifest, a schema 1 manifest a registry down-converted because the Accept list was
 * short) fails here with a message that ends up in the pod's ErrImagePull.
 *
 * Media type: the body's `mediaType` field when present, otherwise the HTTP Content-Type
 * (generic JSON types say nothing), otherwise the shape (`manifests` → index, `config` →
 * manifest; OCI layouts may omit it). The body must then agree with it (containerd's
 * validateMediaType). Pure functions, no I/O.
 */
import { isDigest, sha256Digest } from './digest.js';
import { isIndexMediaType, isManifestMediaType, MediaTypes } from './media-types.js';
import type { Descriptor, ImageIndex, ImageManifest, Platform } from './oci-types.js';

/** Docker's schema 1 media types: signed, with `fsLayers` instead of descriptors. */
export const DOCKER_SCHEMA1_MEDIA_TYPES: readonly string[] = [
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
];

/** Content-Types that say "JSON" but not which document; the body decides then. */
const GENERIC_CONTENT_TYPES = new Set(['', 'application/json', 'text/plain', 'application/octet-stream']);

/** A document that is not a valid manifest or index; the message says what is wrong. */
export class InvalidManifestError extends Error {
  override name = 'InvalidManifestError';
}

/** Bytes that do not hash to the digest (or size) that named them. */
export class DigestMismatchError extends Error {
  override name = 'DigestMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
    message = `digest mismatch: expected ${expected}, got ${actual}`,
  ) {
    super(message);
  }
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; index: ImageIndex }
  | { kind: 'manifest'; mediaType: string; manifest: ImageManifest };

/**
 * Parses a manifest or index from its exact bytes. `contentType` is the response's
 * Content-Type header (parameters such as charset are ignored), or undefined when the
 * bytes come from a layout or store.
 */
export function parseManifest(bytes: Uint8Array | string, contentType?: string): ParsedManifest {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const headerType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (DOCKER_SCHEMA1_MEDIA_TYPES.includes(headerType)) throw schema1Error(headerType);

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new InvalidManifestError(`invalid manifest: not JSON (${(err as Error).message})`);
  }
  if (!isObject(body)) throw new InvalidManifestError('invalid manifest: not a JSON object');

  const bodyType = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  if (bodyType !== undefined && DOCKER_SCHEMA1_MEDIA_TYPES.includes(bodyType)) throw schema1Error(bodyType);
  if (body.schemaVersion === 1 || 'fsLayers' in body) throw schema1Error('schemaVersion 1');
  if (body.schemaVersion !== 2) {
    throw new InvalidManifestError(`invalid manifest: schemaVersion is ${JSON.stringify(body.schemaVersion)}, want 2`);
  }
  if (body.mediaType !== undefined && bodyType === undefined) {
    throw new InvalidManifestError('invalid manifest: mediaType is not a string');
  }

  const headerSays = GENERIC_CONTENT_TYPES.has(headerType) ? undefined : headerType;
  if (bodyType !== undefined && headerSays !== undefined && bodyType !== headerSays) {
    throw new InvalidManifestError(
      `invalid manifest: body has mediaType ${bodyType} but the response's Content-Type is ${headerSays}`,
    );
  }
  const mediaType =
    bodyType ?? headerSays ?? ('manifests' in body ? MediaTypes.ociIndex : MediaTypes.ociManifest);

  if (isIndexMediaType(mediaType)) {
    if ('config' in body || 'layers' in body) {
      throw new InvalidManifestError(`invalid manifest: expected an index (${mediaType}) but found a manifest`);
    }
    return { kind: 'index', mediaType, index: validateIndex(body, mediaType) };
  }
  if (isManifestMediaType(mediaType)) {
    if ('manifests' in body) {
      throw new InvalidManifestError(`invalid manifest: expected a manifest (${mediaType}) but found an index`);
    }
    return { kind: 'manifest', mediaType, manifest: validateManifest(body, mediaType) };
  }
  throw new InvalidManifestError(`unsupported manifest media type ${JSON.stringify(mediaType)}`);
}

function schema1Error(what: string): InvalidManifestError {
  return new InvalidManifestError(
    `unsupported manifest: Docker schema 1 (${what}) is not supported; ` +
      `push the image again as Docker schema 2 or OCI`,
  );
}

function validateManifest(body: Record<string, unknown>, mediaType: string): ImageManifest {
  if (!isObject(body.config)) throw new InvalidManifestError('invalid manifest: config descriptor missing');
  if (!Array.isArray(body.layers)) throw new InvalidManifestError('invalid manifest: layers is not a list');
  const config = validateDescriptor(body.config, 'config');
  const layers = body.layers.map((layer, i) => validateDescriptor(layer, `layers[${i}]`));
  return {
    schemaVersion: 2,
    mediaType,
    config,
    layers,
    ...(isStringMap(body.annotations) ? { annotations: body.annotations } : {}),
  };
}

function validateIndex(body: Record<string, unknown>, mediaType: string): ImageIndex {
  if (!Array.isArray(body.manifests)) throw new InvalidManifestError('invalid index: manifests is not a list');
  const manifests = body.manifests.map((entry, i) => validateDescriptor(entry, `manifests[${i}]`));
  return {
    schemaVersion: 2,
    mediaType,
    manifests,
    ...(isStringMap(body.annotations) ? { annotations: body.annotations } : {}),
  };
}

/**
 * A content descriptor: non-empty mediaType, `sha256:<64 lowercase hex>` digest (the only
 * algorithm the content store keeps), non-negative integer size, optional platform with os
 * and architecture.
 */
export function validateDescriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw new InvalidManifestError(`invalid descriptor ${where}: not an object`);
  const { mediaType, digest, size, platform, annotations, urls } = value;
  if (typeof mediaType !== 'string' || mediaType === '') {
    throw new InvalidManifestError(`invalid descriptor ${where}: mediaType missing`);
  }
  if (typeof digest !== 'string' || !isDigest(digest)) {
    throw new InvalidManifestError(`invalid descriptor ${where}: digest ${JSON.stringify(digest)} is not sha256:<64 hex>`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new InvalidManifestError(`invalid descriptor ${where}: size ${JSON.stringify(size)} is not a non-negative integer`);
  }
  const descriptor: Descriptor = { mediaType, digest, size };
  if (platform !== undefined) descriptor.platform = validatePlatform(platform, where);
  if (isStringMap(annotations)) descriptor.annotations = annotations;
  if (Array.isArray(urls) && urls.every((u) => typeof u === 'string')) descriptor.urls = urls as string[];
  return descriptor;
}

function validatePlatform(value: unknown, where: string): Platform {
  if (!isObject(value) || typeof value.os !== 'string' || typeof value.architecture !== 'string') {
    throw new InvalidManifestError(`invalid descriptor ${where}: platform needs os and architecture`);
  }
  const platform: Platform = { os: value.os, architecture: value.architecture };
  if (typeof value.variant === 'string' && value.variant !== '') platform.variant = value.variant;
  if (typeof value['os.version'] === 'string') platform['os.version'] = value['os.version'];
  if (Array.isArray(value['os.features'])) {
    platform['os.features'] = value['os.features'].filter((f): f is string => typeof f === 'string');
  }
  return platform;
}

/**
 * Checks that bytes hash to `digest` (sha256 only). Throws InvalidManifestError for a
 * malformed digest and DigestMismatchError naming both digests when they differ.
 */
export function verifyDigest(bytes: Uint8Array | string, digest: string): void {
  if (!isDigest(digest)) {
    throw new InvalidManifestError(`invalid digest ${JSON.stringify(digest)}: want sha256:<64 lowercase hex>`);
  }
  const actual = sha256Digest(bytes);
  if (actual !== digest) throw new DigestMismatchError(digest, actual);
}

/** verifyDigest plus the descriptor's size, which a registry must also honour. */
export function verifyDescriptor(bytes: Uint8Array, descriptor: Pick<Descriptor, 'digest' | 'size'>): void {
  if (bytes.byteLength !== descriptor.size) {
    throw new DigestMismatchError(
      descriptor.digest,
      `${bytes.byteLength} bytes`,
      `size mismatch for ${descriptor.digest}: expected ${descriptor.size} bytes, got ${bytes.byteLength}`,
    );
  }
  verifyDigest(bytes, descriptor.digest);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}
