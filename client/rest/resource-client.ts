/**
 * One kind's endpoints (ResourceClient of client/types.ts) over a Transport. The kind is
 * resolved to its URL through the RESTMapper on each call (cached after the first), so a
 * ResourceClient can be made before its kind exists (a CRD) and works once it does.
 *
 * Namespaces: writes of an object take it from obj.metadata.namespace; calls by name take
 * it from opts.namespace. A namespaced kind addressed by name without a namespace is a
 * caller bug, reported as such rather than sent as a cluster-scoped URL that would 404.
 * list/watch without a namespace cover all namespaces.
 */
import type { DeleteOptions, KubeList, KubeObject, ListOptions, PatchType, ResourceClient, ResourceMapping, WatchEvent, WatchOptions, WriteOptions } from '../types.js';
import { listQuery, watchQuery, writeQuery } from './query-params.js';
import { resourcePath } from './resource-path.js';
import type { Transport } from './transport.js';
import { watchOverWebSocket, type WatchTarget } from './watch.js';

const PATCH_CONTENT_TYPES: Record<PatchType | 'apply', string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // apply bodies are YAML; JSON is YAML, so the object is sent as JSON text
  apply: 'application/apply-patch+yaml',
};

export interface ResourceClientDeps {
  transport: Transport;
  mapping: (apiVersion: string, kind: string) => Promise<ResourceMapping>;
  trackWatch?: WatchTarget['track'];
}

export function createResourceClient<T extends KubeObject>(apiVersion: string, kind: string, deps: ResourceClientDeps): ResourceClient<T> {
  const { transport } = deps;
  const resolve = () => deps.mapping(apiVersion, kind);

  /** the namespace of a call by name: required for namespaced kinds, ignored for cluster-scoped ones */
  const namespaceFor = (m: ResourceMapping, namespace: string | undefined, name: string, verb: string): string | undefined => {
    if (!m.namespaced) return undefined;
    if (!namespace) throw new Error(`${verb} ${kind} "${name}": ${kind} is namespaced, and no namespace was given`);
    return namespace;
  };

  const objectTarget = async (obj: T, verb: string) => {
    const m = await resolve();
    const name = obj.metadata?.name;
    const namespace = namespaceFor(m, obj.metadata?.namespace, name ?? obj.metadata?.generateName ?? '', verb);
    return { m, name, namespace };
  };

  /** the body as sent: apiVersion and kind filled in when the caller left them out */
  const withTypeMeta = (obj: T): T => ({ ...obj, apiVersion: obj.apiVersion ?? apiVersion, kind: obj.kind ?? kind });

  const requireName = (name: string | undefined, verb: string): string => {
    if (!name) throw new Error(`${verb} ${kind}: metadata.name is required`);
    return name;
  };

  return {
    apiVersion,
    kind,

    async get(name, opts = {}) {
      const m = await resolve();
      const namespace = namespaceFor(m, opts.namespace, name, 'get');
      return transport.request<T>('GET', resourcePath(m, { namespace, name }), { signal: opts.signal });
    },

    async list(opts: ListOptions = {}) {
      const m = await resolve();
      return transport.request<KubeList<T>>('GET', resourcePath(m, { namespace: opts.namespace }), { query: listQuery(opts), signal: opts.signal });
    },

    async create(obj, opts: WriteOptions = {}) {
      const { m, namespace } = await objectTarget(obj, 'create');
      return transport.request<T>('POST', resourcePath(m, { namespace }), { body: withTypeMeta(obj), query: writeQuery(opts), signal: opts.signal });
    },

    async update(obj, opts: WriteOptions = {}) {
      const { m, name, namespace } = await objectTarget(obj, 'update');
      const path = resourcePath(m, { namespace, name: requireName(name, 'update') });
      return transport.request<T>('PUT', path, { body: withTypeMeta(obj), query: writeQuery(opts), signal: opts.signal });
    },

    async updateStatus(obj, opts: WriteOptions = {}) {
      const { m, name, namespace } = await objectTarget(obj, 'updateStatus');
      const path = resourcePath(m, { namespace, name: requireName(name, 'updateStatus'), subresource: 'status' });
      return transport.request<T>('PUT', path, { body: withTypeMeta(obj), query: writeQuery(opts), signal: opts.signal });
    },

    async patch(name, type, patch, opts = {}) {
      const contentType = PATCH_CONTENT_TYPES[type];
      if (!contentType || type === ('apply' as PatchType)) throw new Error(`patch ${kind} "${name}": unknown patch type ${JSON.stringify(type)} (json, merge or strategic; use apply() for server-side apply)`);
      const m = await resolve();
      const path = resourcePath(m, { namespace: namespaceFor(m, opts.namespace, name, 'patch'), name, subresource: opts.subresource });
      return transport.request<T>('PATCH', path, { body: patch, contentType, query: writeQuery(opts), signal: opts.signal });
    },

    async apply(obj, opts) {
      if (!opts?.fieldManager) throw new Error(`apply ${kind}: a fieldManager is required for server-side apply`);
      const { m, name, namespace } = await objectTarget(obj, 'apply');
      const path = resourcePath(m, { namespace, name: requireName(name, 'apply'), subresource: opts.subresource });
      return transport.request<T>('PATCH', path, { body: withTypeMeta(obj), contentType: PATCH_CONTENT_TYPES.apply, query: writeQuery(opts), signal: opts.signal });
    },

    async delete(name, opts: DeleteOptions = {}) {
      const m = await resolve();
      const path = resourcePath(m, { namespace: namespaceFor(m, opts.namespace, name, 'delete'), name });
      const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
      if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
      if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
      if (opts.preconditions) body.preconditions = opts.preconditions;
      if (opts.dryRun) body.dryRun = ['All'];
      return transport.request<T | KubeObject>('DELETE', path, { body, signal: opts.signal });
    },

    watch(opts: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
      // resolve the kind when iteration starts, so watch() itself stays synchronous
      const track = deps.trackWatch;
      return {
        async *[Symbol.asyncIterator]() {
          const m = await resolve();
          const url = new URL(resourcePath(m, { namespace: opts.namespace }), transport.server.replace(/^https:/, 'wss:'));
          url.search = watchQuery(opts).toString();
          yield* watchOverWebSocket<T>({ url: url.toString(), credentials: transport.credentials, userAgent: transport.userAgent, ...(opts.signal ? { signal: opts.signal } : {}), ...(track ? { track } : {}) });
        },
      };
    },

    async createSubresource(name, subresource, body, opts = {}) {
      const m = await resolve();
      const path = resourcePath(m, { namespace: namespaceFor(m, opts.namespace, name, `create ${subresource} of`), name, subresource });
      return transport.request<KubeObject>('POST', path, { body, query: writeQuery(opts), signal: opts.signal });
    },

    async updateSubresource(obj, subresource, opts: WriteOptions = {}) {
      const { m, name, namespace } = await objectTarget(obj, `update ${subresource} of`);
      const path = resourcePath(m, { namespace, name: requireName(name, `update ${subresource} of`), subresource });
      return transport.request<T>('PUT', path, { body: withTypeMeta(obj), query: writeQuery(opts), signal: opts.signal });
    },

    async deleteCollection(opts = {}) {
      const m = await resolve();
      const query = listQuery({
        ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
        ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
      });
      const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
      if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
      if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
      if (opts.preconditions) body.preconditions = opts.preconditions;
      if (opts.dryRun) body.dryRun = ['All'];
      return transport.request<KubeObject>('DELETE', resourcePath(m, { namespace: opts.namespace }), { body, query, signal: opts.signal });
    },

    async getSubresource(name, subresource, opts = {}) {
      const m = await resolve();
      const path = resourcePath(m, { namespace: namespaceFor(m, opts.namespace, name, `get ${subresource} of`), name, subresource });
      return transport.request<KubeObject>('GET', path, { signal: opts.signal });
    },
  };
}
