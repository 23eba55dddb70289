/**
 * The generic registry: create, get, update and delete for every kind, calling the
 * kind's strategy hooks in a fixed order (resource-def.ts). Kind-specific behaviour
 * lives in the strategies; this file knows no kind by name (namespaces are the one
 * exception the API itself makes: every namespaced write checks its namespace).
 *
 * Writes are compare-and-swap transactions on the store: create-if-absent, and
 * update/delete if the modRevision read is still current. An update without a
 * resourceVersion precondition that loses a race is recomputed from the new current
 * object, as kube-apiserver's GuaranteedUpdate does.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KeyValue, Store } from '../../store/types.js';
import {
  apiVersionOf,
  type ClusterSettings,
  type GroupVersionKind,
  type KubeObject,
  type Lifecycle,
  type LifecycleEnv,
  type RequestContext,
  type ResourceDef,
  type SubresourceRegistry,
} from '../catalogue/resource-def.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { listObjects } from './list.js';
import { ApiError, apiErrors, type ErrorTarget } from '../errors/api-error.js';
import type { FieldError } from '../errors/field-error.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.js';
import { generateName } from './generate-name.js';
import { checkMetadataTypes } from './metadata-types.js';
import { decodeObject, encodeObject } from './object-codec.js';
import { objectKey, storageOf } from './storage-key.js';
import { fromStoreError } from './store-errors.js';

export interface WriteOptions {
  dryRun?: boolean;
  /**
   * Records who changed what (metadata.managedFields) on the object about to be stored,
   * given the stored one (undefined on create); called after validation.
   */
  track?: (next: KubeObject, live: KubeObject | undefined) => void;
}

export interface UpdateOptions extends WriteOptions {
  subresource?: string;
  /** PUT on a missing object creates it (kube allows this only for some kinds) */
  allowCreate?: boolean;
  /**
   * A subresource handler made this change itself (binding sets spec.nodeName, which a
   * pod update may not): skip the strategy's update validation, as kube's binding does.
   */
  trustedChange?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Computes the new object from the current one (undefined when it does not exist). */
export type Mutation = (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>;

const MAX_RETRIES = 16;
const NAMESPACES = { group: '', plural: 'namespaces', namespaced: false };

export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class GenericRegistry implements SubresourceRegistry {
  private readonly lifecycles = new Map<ResourceDef, Lifecycle>();

  constructor(
    private readonly store: Store,
    private readonly cluster: ClusterSettings,
    private readonly catalogue?: Catalogue,
  ) {}

  /** the ResourceDef serving a kind (undefined without a catalogue, in unit tests) */
  lookup(gvk: GroupVersionKind): ResourceDef | undefined {
    return this.catalogue?.kind(gvk);
  }

  async list(def: ResourceDef, namespace: string): Promise<KubeObject[]> {
    return (await listObjects(this.store, def, namespace, {})).items;
  }

  /** The kind's lifecycle (allocators…), made once per registry. */
  private lifecycle(def: ResourceDef): Lifecycle | undefined {
    if (!def.lifecycle) return undefined;
    let lc = this.lifecycles.get(def);
    if (!lc) {
      const env: LifecycleEnv = {
        list: (d) => this.list(d, ''),
        get: async (d, namespace, name) => (await this.read(d, namespace, name))?.obj,
        lookup: (gvk) => this.lookup(gvk),
        cluster: this.cluster,
      };
      lc = def.lifecycle(env);
      this.lifecycles.set(def, lc);
    }
    return lc;
  }

  private target(def: ResourceDef, name?: string): ErrorTarget {
    return { group: def.group, resource: def.plural, ...(name !== undefined ? { name } : {}) };
  }

  private async read(def: ResourceDef, namespace: string, name: string): Promise<{ obj: KubeObject; kv: KeyValue } | undefined> {
    const r = await this.store.range(objectKey(storageOf(def), namespace, name)).catch((e) => Promise.reject(fromStoreError(e)));
    const kv = r.kvs[0];
    if (!kv) return undefined;
    const stored = decodeObject(kv);
    return { obj: def.fromStorage ? def.fromStorage(stored) : stored, kv };
  }

  async get(def: ResourceDef, namespace: string, name: string): Promise<KubeObject> {
    const found = await this.read(def, namespace, name);
    if (!found) throw apiErrors.notFound(this.target(def, name));
    return found.obj;
  }

  /** Namespaced writes need a namespace that exists and is not being deleted. */
  private async checkNamespace(def: ResourceDef, namespace: string, name: string, creating: boolean): Promise<void> {
    if (!def.namespaced) return;
    const r = await this.store.range(objectKey(NAMESPACES, '', namespace));
    const kv = r.kvs[0];
    if (!kv) throw apiErrors.notFound({ group: '', resource: 'namespaces', name: namespace });
    if (creating && decodeObject(kv).metadata.deletionTimestamp) {
      throw new ApiError('Forbidden', `${def.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
        group: def.group,
        kind: def.plural,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  /** Checks apiVersion/kind/namespace of a request body against the URL; fills them in. */
  private checkIdentity(def: ResourceDef, obj: KubeObject, namespace: string): void {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw apiErrors.badRequest('the body of the request must be a JSON object');
    const apiVersion = apiVersionOf(def);
    if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) {
      throw apiErrors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`);
    }
    if (obj.kind !== undefined && obj.kind !== def.kind) {
      throw apiErrors.badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind})`);
    }
    obj.apiVersion = apiVersion;
    obj.kind = def.kind;
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw apiErrors.badRequest('metadata must be an object');
    checkMetadataTypes(def, obj.metadata);
    if (def.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw apiErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace;
    } else {
      delete obj.metadata.namespace;
    }
  }

  private invalidIfAny(def: ResourceDef, obj: KubeObject, errors: FieldError[]): void {
    if (errors.length > 0) throw apiErrors.invalid(def.kind, def.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
  }

  async create(def: ResourceDef, namespace: string, body: KubeObject, ctx: RequestContext, opts: WriteOptions = {}): Promise<KubeObject> {
    const obj = body; // the caller hands over a body of its own (a freshly decoded request)
    this.checkIdentity(def, obj, namespace);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    if (!def.statusOnCreate && def.subresources.some((s) => s.name === 'status')) delete obj.status;
    for (const field of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'] as const) delete meta[field];
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(ctx.now);
    meta.generation = 1;
    await this.checkNamespace(def, namespace, meta.name ?? '', true);
    const s = def.strategy;
    s.prepareForCreate?.(obj, ctx);
    s.defaults?.(obj, ctx);
    this.invalidIfAny(def, obj, [
      ...validateObjectMeta(meta, { namespaced: def.namespaced, nameRule: def.nameRule ?? 'dns1123-subdomain', requestNamespace: namespace }),
      ...(s.validate?.(obj, ctx) ?? []),
    ]);
    opts.track?.(obj, undefined);
    s.canonicalize?.(obj);
    const lc = this.lifecycle(def);
    await lc?.beforeCreate?.(obj, ctx);
    let stored = false;
    try {
      if (opts.dryRun) return obj;
      const key = objectKey(storageOf(def), namespace, meta.name!);
      const value = encodeObject(def.toStorage ? def.toStorage(obj) : obj);
      const r = await this.store
        .txn({ compare: [{ key, target: 'createRevision', result: '=', value: 0 }], success: [{ type: 'put', key, value }] })
        .catch((e) => Promise.reject(fromStoreError(e)));
      if (!r.succeeded) throw apiErrors.alreadyExists(this.target(def, meta.name));
      stored = true;
      meta.resourceVersion = String(r.revision);
      return obj;
    } finally {
      if (!stored) lc?.abort?.(obj, undefined);
    }
  }

  /** PUT: replace the object, honouring metadata.resourceVersion as a precondition. */
  async update(def: ResourceDef, namespace: string, name: string, body: KubeObject, ctx: RequestContext, opts: UpdateOptions = {}): Promise<{ object: KubeObject; created: boolean }> {
    const incoming = body; // ours, as in create(); each attempt below works on a copy
    this.checkIdentity(def, incoming, namespace);
    // kube's checkName: the body must name the object of the URL (an absent name too)
    if (incoming.metadata.name !== name) {
      throw apiErrors.badRequest(`the name of the object (${String(incoming.metadata.name ?? '')}) does not match the name on the URL (${name})`);
    }
    incoming.metadata.name = name;
    const precondition = incoming.metadata.resourceVersion;
    return this.guaranteedUpdate(def, namespace, name, ctx, opts, precondition, () => structuredClone(incoming));
  }

  /**
   * The one update path (PUT, and PATCH later): read, compute the new object with
   * `mutate`, run the strategy, compare-and-swap; retry on a lost race unless the
   * caller pinned a resourceVersion.
   */
  async guaranteedUpdate(
    def: ResourceDef,
    namespace: string,
    name: string,
    ctx: RequestContext,
    opts: UpdateOptions,
    precondition: string | undefined,
    mutate: Mutation,
  ): Promise<{ object: KubeObject; created: boolean }> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const current = await this.read(def, namespace, name);
      if (!current) {
        if (!opts.allowCreate || opts.subresource) throw apiErrors.notFound(this.target(def, name));
        const created = await this.create(def, namespace, await mutate(undefined), ctx, opts);
        return { object: created, created: true };
      }
      const old = current.obj;
      if (precondition && precondition !== old.metadata.resourceVersion) throw apiErrors.conflict(this.target(def, name));
      const obj = await mutate(structuredClone(old));
      this.checkIdentity(def, obj, namespace);
      const s = def.strategy;
      // kube defaults while decoding, before PrepareForUpdate: an update that only spells
      // out a default is no spec change (and bumps no generation)
      s.defaults?.(obj, ctx);
      this.prepareUpdate(def, obj, old, ctx, opts.subresource);
      this.invalidIfAny(def, obj, [
        ...validateObjectMeta(obj.metadata, { namespaced: def.namespaced, nameRule: def.nameRule ?? 'dns1123-subdomain', requestNamespace: namespace }),
        ...validateObjectMetaUpdate(obj.metadata, old.metadata),
        ...(opts.trustedChange ? [] : [...(s.validate?.(obj, ctx) ?? []), ...(s.validateUpdate?.(obj, old, ctx) ?? [])]),
      ]);
      opts.track?.(obj, old);
      s.canonicalize?.(obj);
      if (isDeepStrictEqual(obj, old)) return { object: old, created: false }; // kube: a no-op update writes nothing
      const lc = this.lifecycle(def);
      await lc?.beforeUpdate?.(obj, old, ctx);
      let succeeded = false;
      try {
        if (opts.dryRun) return { object: obj, created: false };
        const key = objectKey(storageOf(def), namespace, name);
        const finished = obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length && !def.strategy.deletionBlocked?.(obj);
        const compare = [{ key, target: 'modRevision' as const, result: '=' as const, value: current.kv.modRevision }];
        const stored = def.toStorage ? def.toStorage(obj) : obj;
        const r = await this.store
          .txn({ compare, success: [finished ? { type: 'delete', key } : { type: 'put', key, value: encodeObject(stored) }] })
          .catch((e) => Promise.reject(fromStoreError(e)));
        if (r.succeeded) {
          succeeded = true;
          obj.metadata.resourceVersion = String(r.revision);
          if (finished) lc?.afterDelete?.(old);
          else lc?.afterUpdate?.(obj, old);
          return { object: obj, created: false };
        }
      } finally {
        if (!succeeded) lc?.abort?.(obj, old);
      }
      if (precondition) throw apiErrors.conflict(this.target(def, name));
    }
    throw apiErrors.conflict(this.target(def, name), 'too many concurrent updates; please try again');
  }

  /** Read-modify-write for subresource handlers (binding, eviction…). */
  async mutate(def: ResourceDef, namespace: string, name: string, ctx: RequestContext, mutate: (current: KubeObject) => KubeObject, subresource?: string): Promise<KubeObject> {
    const opts: UpdateOptions = { trustedChange: true, ...(subresource ? { subresource } : {}) };
    const r = await this.guaranteedUpdate(def, namespace, name, ctx, opts, undefined, (current) => mutate(current!));
    return r.object;
  }

  /** What a client may not change through this endpoint is taken from the stored object. */
  private prepareUpdate(def: ResourceDef, obj: KubeObject, old: KubeObject, ctx: RequestContext, subresource: string | undefined): void {
    const meta = obj.metadata;
    for (const field of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
      if (old.metadata[field] === undefined) delete meta[field];
      else (meta as Record<string, unknown>)[field] = old.metadata[field];
    }
    meta.resourceVersion = old.metadata.resourceVersion;
    const hasStatus = def.subresources.some((s) => s.name === 'status');
    if (subresource === 'status') {
      // Only status changes through /status (labels and annotations are not taken, except
      // annotations for the kinds whose kube strategy takes them).
      const status = obj.status;
      const annotations = meta.annotations;
      for (const k of Object.keys(obj)) if (k !== 'status') delete obj[k];
      Object.assign(obj, structuredClone({ ...old, status }));
      if (status === undefined) delete obj.status;
      if (def.strategy.statusTakesAnnotations) {
        if (annotations === undefined) delete obj.metadata.annotations;
        else obj.metadata.annotations = structuredClone(annotations);
      }
    } else if (hasStatus) {
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    }
    def.strategy.prepareForUpdate?.(obj, old, ctx, subresource);
    const specChanged = def.strategy.specChanged?.(obj, old) ?? defaultSpecChanged(obj, old);
    if (specChanged) meta.generation = (old.metadata.generation ?? 0) + 1;
  }

  /**
   * DELETE: graceful deletion and finalizers mark the object (deletionTimestamp) and
   * leave it for its owner to finish; otherwise it is removed now.
   */
  async delete(def: ResourceDef, namespace: string, name: string, ctx: RequestContext, opts: DeleteOptions = {}): Promise<{ object: KubeObject; deleted: boolean }> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const current = await this.read(def, namespace, name);
      if (!current) throw apiErrors.notFound(this.target(def, name));
      const obj = structuredClone(current.obj);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== obj.metadata.uid) {
        throw apiErrors.conflict(this.target(def, name), `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
        throw apiErrors.conflict(
          this.target(def, name),
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`,
        );
      }
      const policy = opts.propagationPolicy ?? def.defaultPropagation ?? 'Background';
      const finalizers = new Set(obj.metadata.finalizers ?? []);
      if (policy === 'Foreground') finalizers.add('foregroundDeletion');
      if (policy === 'Orphan') finalizers.add('orphan');
      const grace = opts.gracePeriodSeconds ?? def.gracefulDeletion?.(obj);
      const kept = def.strategy.prepareForDelete?.(obj, ctx) ?? false;
      const graceful = kept || (grace !== undefined && grace > 0);
      const key = objectKey(storageOf(def), namespace, name);
      const compare = [{ key, target: 'modRevision' as const, result: '=' as const, value: current.kv.modRevision }];
      if (finalizers.size === 0 && !graceful) {
        if (opts.dryRun) return { object: obj, deleted: true };
        const r = await this.store.txn({ compare, success: [{ type: 'delete', key }] }).catch((e) => Promise.reject(fromStoreError(e)));
        if (r.succeeded) {
          this.lifecycle(def)?.afterDelete?.(current.obj);
          return { object: obj, deleted: true };
        }
        continue;
      }
      const meta = obj.metadata;
      if (finalizers.size > 0) meta.finalizers = [...finalizers];
      if (!meta.deletionTimestamp) {
        const seconds = grace !== undefined && grace > 0 ? grace : 0;
        meta.deletionTimestamp = rfc3339(new Date(ctx.now.getTime() + seconds * 1000));
        meta.deletionGracePeriodSeconds = seconds;
      } else if (grace !== undefined && grace > 0 && (meta.deletionGracePeriodSeconds ?? Infinity) > grace) {
        // kube lets a later delete shorten the grace period, never lengthen it
        meta.deletionTimestamp = rfc3339(new Date(ctx.now.getTime() + grace * 1000));
        meta.deletionGracePeriodSeconds = grace;
      }
      if (isDeepStrictEqual(obj, current.obj)) return { object: obj, deleted: false };
      if (opts.dryRun) return { object: obj, deleted: false };
      const stored = def.toStorage ? def.toStorage(obj) : obj;
      const r = await this.store
        .txn({ compare, success: [{ type: 'put', key, value: encodeObject(stored) }] })
        .catch((e) => Promise.reject(fromStoreError(e)));
      if (r.succeeded) {
        meta.resourceVersion = String(r.revision);
        return { object: obj, deleted: false };
      }
    }
    throw apiErrors.conflict(this.target(def, name), 'too many concurrent updates; please try again');
  }
}

/** Any change outside metadata and status (and the type fields) is a spec change. */
function defaultSpecChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = ({ metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest }: KubeObject) => rest;
  return !isDeepStrictEqual(strip(obj), strip(old));
}
