/**
 * One image pull, as containerd's CRI plugin does it: resolve the reference to a manifest or
 * index, pick this host's platform from an index (OCI index or Docker manifest list), fetch
 * the config and the layers into the content store (each verified against its digest while
 * it is written), unpack the layers into snapshots, and only then name the image in
 * index.json, so a pull that fails half-way never leaves a name behind.
 *
 * Errors are CriErrors worded as containerd words them, because the kubelet shows them as
 * they are in ErrImagePull events and the container's waiting message (pullErrorMessage).
 */
import type { Logger } from 'pino';
import { CriError, type CriErrorCode } from '../cri/errors.js';
import type { ContentStore } from './content-store.js';
import type { ImageReference } from './image-reference.js';
import { parseManifest, verifyDescriptor } from './manifest.js';
import { isConfigMediaType, layerCompression } from './media-types.js';
import type { Descriptor, ImageConfig, ImageManifest, Platform } from './oci-types.js';
import { formatPlatform, acceptedPlatforms, platformRank, selectManifest } from './platform.js';
import type { RegistryClient } from './registry-client.js';
import { RegistryError } from './registry-error.js';
import type { SnapshotStore } from './snapshots.js';

export interface PullDeps {
  store: ContentStore;
  snapshots: SnapshotStore;
  registry: RegistryClient;
  platform: Platform;
  logger?: Logger;
}

export interface PulledImage {
  /** what the reference resolved to (an index or a manifest): the name points at it */
  target: Descriptor;
  manifestDigest: string;
  manifest: ImageManifest;
  config: ImageConfig;
}

/** How deep an index may nest indexes before we give up (real images use one level). */
const MAX_INDEX_DEPTH = 3;

export async function pullImage(deps: PullDeps, reference: ImageReference): Promise<PulledImage> {
  const { store, registry } = deps;
  const host = reference.registryHost;
  const repository = reference.path;
  let top: Awaited<ReturnType<RegistryClient['fetchManifest']>>;
  try {
    top = await registry.fetchManifest(host, repository, reference.registryReference);
  } catch (err) {
    throw new ResolveError(err);
  }
  if (reference.digest !== undefined && top.digest !== reference.digest) {
    throw new Error(`manifest digest mismatch: asked for ${reference.digest}, got ${top.digest}`);
  }
  let current = { bytes: top.bytes, mediaType: top.mediaType, digest: top.digest };
  const target: Descriptor = { mediaType: '', digest: top.digest, size: top.bytes.length };
  let manifest: ImageManifest | undefined;
  for (let depth = 0; manifest === undefined; depth++) {
    const parsed = parseManifest(current.bytes, current.mediaType);
    if (depth === 0) target.mediaType = parsed.mediaType;
    await store.putBlob(current.bytes, current.digest);
    if (parsed.kind === 'manifest') {
      manifest = parsed.manifest;
      break;
    }
    if (depth >= MAX_INDEX_DEPTH) throw new Error(`image index nests more than ${MAX_INDEX_DEPTH} levels`);
    const chosen = selectManifest(parsed.index.manifests, deps.platform);
    const child = await registry.fetchManifest(host, repository, chosen.digest);
    verifyDescriptor(child.bytes, chosen);
    current = { bytes: child.bytes, mediaType: child.mediaType || chosen.mediaType, digest: chosen.digest };
  }
  const manifestDigest = current.digest;

  if (!isConfigMediaType(manifest.config.mediaType)) {
    throw new Error(`unsupported image config media type ${manifest.config.mediaType}: not a container image`);
  }
  for (const layer of manifest.layers) {
    if (layerCompression(layer.mediaType) === undefined) throw new Error(`unsupported layer media type ${layer.mediaType}`);
  }
  await fetchBlob(deps, reference, manifest.config);
  const config = await store.readJson<ImageConfig>(manifest.config.digest);
  checkConfig(config, manifest, deps.platform);

  // layers one after another into the store, each unpacked as soon as it is there
  for (const [i, layer] of manifest.layers.entries()) {
    await fetchBlob(deps, reference, layer);
    await deps.snapshots.ensure(store, layer, config.rootfs.diff_ids[i]!);
  }
  return { target, manifestDigest, manifest, config };
}

async function fetchBlob(deps: PullDeps, reference: ImageReference, descriptor: Descriptor): Promise<void> {
  if (await deps.store.hasBlob(descriptor.digest)) return;
  const body = await deps.registry.fetchBlob(reference.registryHost, reference.path, descriptor.digest);
  const stored = await deps.store.putBlob(body, descriptor.digest);
  if (stored.size !== descriptor.size) {
    deps.logger?.warn({ digest: descriptor.digest, expected: descriptor.size, actual: stored.size }, 'blob size differs from its descriptor');
  }
}

/** The config must list one diffId per layer and be for a platform this host runs. */
function checkConfig(config: ImageConfig, manifest: ImageManifest, platform: Platform): void {
  const diffIds = config.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || diffIds.length !== manifest.layers.length) {
    throw new Error(
      `mismatched image rootfs and manifest layers: config has ${Array.isArray(diffIds) ? diffIds.length : 0} diff_ids, manifest has ${manifest.layers.length} layers`,
    );
  }
  if (typeof config.os === 'string' && typeof config.architecture === 'string' && config.os !== '') {
    const configPlatform: Platform = { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
    if (platformRank(acceptedPlatforms(platform), configPlatform) < 0) {
      throw new Error(
        `no match for platform in manifest: not found (host platform ${formatPlatform(platform)}; image is ${formatPlatform(configPlatform)})`,
      );
    }
  }
}

/** The reference could not be resolved to a manifest (the first request of a pull). */
export class ResolveError extends Error {
  override name = 'ResolveError';
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason), { cause: reason });
  }
}

/**
 * The CriError for a failed pull, with containerd's words:
 *   failed to pull and unpack image "<ref>": failed to resolve reference "<ref>": <ref>: not found
 *   failed to pull and unpack image "<ref>": failed to resolve reference "<ref>": pull access denied, repository does not exist or may require authorization: <registry's reason>
 *   failed to pull and unpack image "<ref>": <anything else>
 * `ref` is the normalised reference. Pure.
 */
export function pullError(ref: string, err: unknown): CriError {
  const prefix = `failed to pull and unpack image ${JSON.stringify(ref)}`;
  const resolving = `failed to resolve reference ${JSON.stringify(ref)}`;
  const detail = err instanceof Error ? err.message : String(err);
  if (!(err instanceof ResolveError)) return new CriError('Unknown', `${prefix}: ${detail}`);
  const reason = err.reason;
  let code: CriErrorCode = 'Unknown';
  let message = `${prefix}: ${resolving}: ${detail}`;
  if (reason instanceof RegistryError) {
    if (reason.status === 404) {
      code = 'NotFound';
      message = `${prefix}: ${resolving}: ${ref}: not found`;
    } else if (reason.status === 401 || reason.status === 403) {
      message = `${prefix}: ${resolving}: pull access denied, repository does not exist or may require authorization: ${detail}`;
    }
  }
  return new CriError(code, message);
}
