/**
 * Pushes an image from a ContentStore to a registry (distribution-spec "push"), so tests
 * and the bench can seed the registry they started without skopeo:
 *
 *   every blob:  HEAD /v2/<repo>/blobs/<d> (skip when present), else
 *                POST /v2/<repo>/blobs/uploads/ → 202 Location, then PUT <Location>&digest=<d> (monolithic)
 *   manifests:   children of an index first (by digest), then the tagged manifest or index,
 *                PUT /v2/<repo>/manifests/<tag> with its media type as Content-Type
 *
 * Order matters: a registry refuses a manifest whose blobs (or an index whose manifests)
 * it does not have yet. Auth goes through the same challenge flow as pulls, with a
 * `pull,push` scope.
 */
import type { ContentStore } from '../content-store.js';
import { isIndexMediaType } from '../media-types.js';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci-types.js';
import { RegistryAuthenticator, repositoryScope, type RegistryCredentials } from '../registry-auth.js';
import { unexpectedStatusError } from '../registry-error.js';
import { RegistryTransport, type RegistryResponse } from '../registry-transport.js';

export interface PushTarget {
  host: string;
  repository: string;
  tag: string;
}

export interface PushOptions {
  plainHttp?: (host: string) => boolean;
  fetch?: typeof fetch;
}

/** Pushes the image tagged `ref` in the store's index.json; returns the pushed top-level descriptor. */
export async function pushImage(
  store: ContentStore,
  ref: string,
  target: PushTarget,
  auth?: RegistryCredentials,
  opts: PushOptions = {},
): Promise<Descriptor> {
  const top = await store.resolve(ref);
  if (!top) throw new Error(`pushImage: no image tagged ${JSON.stringify(ref)} in ${store.dir}`);
  const transport = new RegistryTransport({
    auth: new RegistryAuthenticator({ ...(auth ? { credentials: () => auth } : {}), ...(opts.fetch ? { fetch: opts.fetch } : {}) }),
    ...(opts.plainHttp ? { plainHttp: opts.plainHttp } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const pusher = new Pusher(store, transport, target);
  if (isIndexMediaType(top.mediaType)) {
    const index = await store.readJson<ImageIndex>(top.digest);
    for (const child of index.manifests) await pusher.pushManifestTree(child, child.digest);
    await pusher.putManifest(top, target.tag);
  } else {
    await pusher.pushManifestTree(top, target.tag);
  }
  return top;
}

class Pusher {
  private readonly scopes: string[];

  constructor(
    private readonly store: ContentStore,
    private readonly transport: RegistryTransport,
    private readonly target: PushTarget,
  ) {
    this.scopes = [repositoryScope(target.repository, ['pull', 'push'])];
  }

  /** A single-platform manifest: its config and layers, then itself under `reference`. */
  async pushManifestTree(descriptor: Descriptor, reference: string): Promise<void> {
    const manifest = await this.store.readJson<ImageManifest>(descriptor.digest);
    for (const blob of [manifest.config, ...manifest.layers]) await this.pushBlob(blob.digest);
    await this.putManifest(descriptor, reference);
  }

  async putManifest(descriptor: Descriptor, reference: string): Promise<void> {
    const path = `/v2/${this.target.repository}/manifests/${reference}`;
    const result = await this.send({
      path,
      method: 'PUT',
      headers: { 'Content-Type': descriptor.mediaType },
      body: await this.store.readBlob(descriptor.digest),
    });
    await expectStatus(result, 'PUT', [201]);
  }

  async pushBlob(digest: string): Promise<void> {
    const blobPath = `/v2/${this.target.repository}/blobs/${digest}`;
    const head = await this.send({ path: blobPath, method: 'HEAD' });
    await head.discard();
    if (head.response.status === 200) return;
    const start = await this.send({ path: `/v2/${this.target.repository}/blobs/uploads/`, method: 'POST', headers: { 'Content-Length': '0' } });
    await expectStatus(start, 'POST', [202]);
    const location = start.response.headers.get('location');
    if (!location) throw new Error(`POST ${start.url}: registry sent no upload Location`);
    const upload = new URL(location, start.url);
    upload.searchParams.set('digest', digest);
    const put = await this.send({
      path: upload.href,
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: await this.store.readBlob(digest),
    });
    await expectStatus(put, 'PUT', [201]);
  }

  private send(req: { path: string; method: 'HEAD' | 'POST' | 'PUT'; headers?: Record<string, string>; body?: Uint8Array }) {
    return this.transport.request({ host: this.target.host, scopes: this.scopes, ...req });
  }
}

async function expectStatus(result: RegistryResponse, method: string, ok: number[]): Promise<void> {
  if (ok.includes(result.response.status)) {
    await result.discard();
    return;
  }
  const body = (await result.bytes(64_000).catch(() => Buffer.alloc(0))).toString('utf8');
  throw unexpectedStatusError(method, result.url, result.response.status, result.response.statusText, body);
}
