/**
 * The pull side of the OCI distribution protocol (distribution-spec "pull"): manifests
 * and blobs over HTTP(S), in plain Node with the global fetch.
 *
 * - Manifests are asked for with the full Accept list (media-types.ts): without the OCI
 *   index type a registry answers 404 for an index; without any Accept it down-converts
 *   Docker manifests to schema1, whose digest differs (runtime-recipe §2).
 * - A manifest's bytes are hashed and checked against the Docker-Content-Digest header and,
 *   when it was asked for by digest, against that digest: a tag may move, a digest may not.
 * - Blobs are returned as a stream; the caller hashes while storing (ContentStore.putBlob
 *   with the expected digest), so a blob is never read twice.
 * - Authentication, redirects and timeouts live in registry-transport.ts / registry-auth.ts.
 *
 * Error messages follow containerd's resolver, since they reach users in ErrImagePull
 * events (registry-error.ts).
 */
import type { Clock } from '../../client/clock.js';
import { sha256Digest } from './digest.js';
import { MANIFEST_ACCEPT_HEADER } from './media-types.js';
import { RegistryAuthenticator, repositoryScope, type RegistryCredentials } from './registry-auth.js';
import { notFoundError, RegistryError, unexpectedStatusError } from './registry-error.js';
import { RegistryTransport, type RegistryResponse } from './registry-transport.js';

export { RegistryError } from './registry-error.js';
export type { RegistryCredentials } from './registry-auth.js';

export interface RegistryClientOptions {
  /** credentials for a registry host ('127.0.0.1:5000', 'registry-1.docker.io'); undefined = anonymous */
  credentials?: (host: string) => RegistryCredentials | undefined;
  /** plain http for these hosts (default: loopback hosts only, via isLoopbackRegistry from image-reference.ts) */
  plainHttp?: (host: string) => boolean;
  fetch?: typeof fetch;
  /** Time allowed for response headers and between body chunks (default 30 s). */
  timeoutMs?: number;
  userAgent?: string;
  clock?: Clock;
  /** Largest manifest accepted (containerd's limit is 4 MiB). */
  maxManifestBytes?: number;
}

export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const DEFAULT_USER_AGENT = 'k8ts';

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export class RegistryClient {
  private readonly transport: RegistryTransport;
  private readonly maxManifestBytes: number;

  constructor(opts: RegistryClientOptions = {}) {
    const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
    const auth = new RegistryAuthenticator({
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      userAgent,
    });
    this.transport = new RegistryTransport({
      auth,
      ...(opts.plainHttp ? { plainHttp: opts.plainHttp } : {}),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      userAgent,
    });
    this.maxManifestBytes = opts.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  }

  /** GET /v2/<repo>/manifests/<tagOrDigest> with the full Accept list; the digest is verified. */
  async fetchManifest(host: string, repository: string, tagOrDigest: string): Promise<FetchedManifest> {
    const reference = displayReference(host, repository, tagOrDigest);
    const result = await this.transport.request({
      host,
      path: `/v2/${repository}/manifests/${tagOrDigest}`,
      method: 'GET',
      scopes: [repositoryScope(repository, ['pull'])],
      headers: { Accept: MANIFEST_ACCEPT_HEADER },
    });
    await throwUnlessOk(result, 'GET', reference);
    const bytes = await result.bytes(this.maxManifestBytes);
    const digest = sha256Digest(bytes);
    const headerDigest = result.response.headers.get('docker-content-digest')?.trim();
    if (headerDigest && headerDigest.startsWith('sha256:') && headerDigest !== digest) {
      throw new RegistryError(
        `${reference}: manifest digest mismatch: registry said ${headerDigest}, content is ${digest}`,
        result.response.status,
      );
    }
    if (tagOrDigest.includes(':') && tagOrDigest !== digest) {
      throw new RegistryError(`${reference}: manifest digest mismatch: asked for ${tagOrDigest}, content is ${digest}`, result.response.status);
    }
    const mediaType = manifestMediaType(result.response.headers.get('content-type'), bytes);
    if (mediaType === undefined) {
      throw new RegistryError(`${reference}: manifest has no media type (Content-Type and mediaType field both missing)`, result.response.status);
    }
    return { bytes, mediaType, digest };
  }

  /**
   * GET a blob, following redirects (Authorization is not sent to another host). The
   * caller verifies the digest while storing it (ContentStore.putBlob(stream, digest)).
   */
  async fetchBlob(host: string, repository: string, digest: string): Promise<AsyncIterable<Uint8Array>> {
    const result = await this.transport.request({
      host,
      path: `/v2/${repository}/blobs/${digest}`,
      method: 'GET',
      scopes: [repositoryScope(repository, ['pull'])],
    });
    await throwUnlessOk(result, 'GET', `${host}/${repository}@${digest}`);
    return result.body();
  }
}

/** `host/repo:tag` or `host/repo@sha256:…`, as containerd names what it could not find. */
export function displayReference(host: string, repository: string, tagOrDigest: string): string {
  return `${host}/${repository}${tagOrDigest.includes(':') ? '@' : ':'}${tagOrDigest}`;
}

/**
 * The manifest's media type: the Content-Type the registry sent (without parameters), or
 * the document's own mediaType field when the server sent something generic.
 */
export function manifestMediaType(contentType: string | null, bytes: Buffer): string | undefined {
  const header = contentType?.split(';')[0]?.trim().toLowerCase();
  if (header && header !== 'application/json' && header !== 'application/octet-stream' && header !== 'text/plain') return header;
  try {
    const field = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType;
    if (typeof field === 'string' && field !== '') return field;
  } catch {
    // not JSON: fall through
  }
  return header || undefined;
}

async function throwUnlessOk(result: RegistryResponse, method: string, reference: string): Promise<void> {
  const { response } = result;
  if (response.ok) return;
  const body = (await result.bytes(64_000).catch(() => Buffer.alloc(0))).toString('utf8');
  if (response.status === 404) throw notFoundError(reference, body);
  throw unexpectedStatusError(method, result.url, response.status, response.statusText, body);
}
