/**
 * A fake cluster for reconciler unit tests (sample-controller style): a KubeClient over
 * in-memory kinds whose list/watch feed real informers (FakeListWatch underneath), and
 * whose writes are RECORDED and then applied, so a test seeds objects, runs a reconcile
 * and asserts on exactly what the controller wrote:
 *
 *   const fake = new FakeCluster();
 *   fake.seed(rs, pod1);
 *   const informers = new SharedInformerFactory(fake.client, { clock });
 *   … build the controller, informers.start(signal), await informers.waitForCacheSync(signal)
 *   await controller.reconcile('default/web');
 *   t.same(fake.writes.map(w => [w.verb, w.kind, w.name]), [['create', 'Pod', …]]);
 *
 * Server behaviour kept: uid/creationTimestamp/name-from-generateName on create,
 * resourceVersion checks (409 Conflict on a stale update or a patch carrying a stale
 * metadata.resourceVersion), 404 NotFound, 409 AlreadyExists, finalizers (DELETE of an
 * object with finalizers marks it with deletionTimestamp; Foreground/Orphan add theirs),
 * metadata.generation bumped on spec changes. Patches: merge (RFC 7386) and json (RFC 6902
 * add/replace/remove/test); a strategic merge patch is applied as a merge patch (lists
 * are replaced whole — good enough for the controllers' own patches).
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../client/api-error.js';
import { FakeListWatch } from '../../../client/informers/fake-list-watch.js';
import type { DeleteOptions, KubeClient, KubeObject, ListOptions, PatchType, ResourceClient, ResourceMapping, WatchOptions } from '../../../client/types.js';
import { formatTime } from '../time.js';

export type WriteVerb = 'create' | 'update' | 'updateStatus' | 'patch' | 'delete' | 'createSubresource';

export interface RecordedWrite {
  verb: WriteVerb;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  subresource?: string;
  /** the object, patch, or delete options sent */
  body?: unknown;
}

/** kinds that are cluster-scoped; everything else is namespaced */
const CLUSTER_SCOPED = new Set(['Node', 'Namespace', 'PersistentVolume', 'PriorityClass', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

const notFound = (kind: string, name: string) =>
  new ApiError({ code: 404, reason: 'NotFound', message: `${kind.toLowerCase()}s "${name}" not found`, details: { name, kind: kind.toLowerCase() + 's' } });
const conflict = (kind: string, name: string) =>
  new ApiError({ code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on ${kind.toLowerCase()}s "${name}": the object has been modified; please apply your changes to the latest version and try again` });

export class FakeCluster {
  readonly writes: RecordedWrite[] = [];
  /** the clock's time for creationTimestamp/deletionTimestamp */
  now: () => number = () => Date.now();
  private readonly kinds = new Map<string, { fake: FakeListWatch; objects: Map<string, KubeObject> }>();
  private readonly failures: Array<{ verb: WriteVerb; kind: string; err: Error }> = [];
  private nextUid = 1;
  readonly client: KubeClient;

  constructor() {
    const self = this;
    this.client = {
      userAgent: 'fake-cluster',
      close() {},
      mapping: async (apiVersion: string, kind: string): Promise<ResourceMapping> => {
        const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
        return { group, version, kind, resource: kind.toLowerCase() + 's', namespaced: !CLUSTER_SCOPED.has(kind) };
      },
      resource<T extends KubeObject>(apiVersion: string, kind: string) {
        return self.resourceClient(apiVersion, kind) as unknown as ResourceClient<T>;
      },
    };
  }

  /** put objects in the store without recording writes (each needs apiVersion and kind) */
  seed(...objects: KubeObject[]): void {
    for (const obj of objects) {
      if (!obj.apiVersion || !obj.kind) throw new Error(`seed: ${obj.metadata?.name} needs apiVersion and kind`);
      const full = structuredClone(obj);
      full.metadata = { uid: `uid-${full.metadata?.name}`, creationTimestamp: formatTime(this.now()), ...full.metadata };
      this.store(obj.apiVersion, obj.kind, 'ADDED', full);
    }
  }

  /** the stored object, or undefined */
  get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string): T | undefined {
    return this.kind(apiVersion, kind).objects.get(`${namespace ?? ''}/${name}`) as T | undefined;
  }

  list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): T[] {
    return [...this.kind(apiVersion, kind).objects.values()].filter((o) => namespace === undefined || o.metadata?.namespace === namespace) as T[];
  }

  /** the next write of this verb to this kind fails with `err` (recorded anyway) */
  failNext(verb: WriteVerb, kind: string, err: Error): void {
    this.failures.push({ verb, kind, err });
  }

  clearWrites(): void {
    this.writes.length = 0;
  }

  /** change an object as another actor (kubelet, user) would: not recorded */
  set(obj: KubeObject): KubeObject {
    return this.store(obj.apiVersion!, obj.kind!, this.get(obj.apiVersion!, obj.kind!, obj.metadata!.name!, obj.metadata?.namespace) ? 'MODIFIED' : 'ADDED', obj);
  }

  /** remove an object as another actor would: not recorded */
  remove(apiVersion: string, kind: string, name: string, namespace?: string): void {
    const obj = this.get(apiVersion, kind, name, namespace);
    if (obj) this.store(apiVersion, kind, 'DELETED', obj);
  }

  private kind(apiVersion: string, kind: string) {
    const key = `${apiVersion}/${kind}`;
    let entry = this.kinds.get(key);
    if (!entry) this.kinds.set(key, (entry = { fake: new FakeListWatch(), objects: new Map() }));
    return entry;
  }

  private store(apiVersion: string, kind: string, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): KubeObject {
    const entry = this.kind(apiVersion, kind);
    const full = { ...structuredClone(obj), apiVersion, kind };
    const stored = type === 'ADDED' ? entry.fake.create(full) : type === 'MODIFIED' ? entry.fake.update(full) : entry.fake.remove(full);
    const key = `${stored.metadata?.namespace ?? ''}/${stored.metadata?.name}`;
    if (type === 'DELETED') entry.objects.delete(key);
    else entry.objects.set(key, stored);
    return structuredClone(stored);
  }

  private record(write: RecordedWrite): void {
    this.writes.push(structuredClone(write));
    const at = this.failures.findIndex((f) => f.verb === write.verb && f.kind === write.kind);
    if (at >= 0) throw this.failures.splice(at, 1)[0]!.err;
  }

  private resourceClient(apiVersion: string, kind: string): ResourceClient {
    const entry = () => this.kind(apiVersion, kind);
    const existing = (name: string, namespace?: string) => {
      const obj = entry().objects.get(`${namespace ?? ''}/${name}`);
      if (!obj) throw notFound(kind, name);
      return obj;
    };
    const checkVersion = (current: KubeObject, sent: string | undefined) => {
      if (sent && sent !== current.metadata?.resourceVersion) throw conflict(kind, current.metadata?.name ?? '');
    };
    const replace = (current: KubeObject, next: KubeObject, part: 'main' | 'status'): KubeObject => {
      const merged = structuredClone(next);
      merged.metadata = { ...next.metadata, uid: current.metadata?.uid, creationTimestamp: current.metadata?.creationTimestamp, resourceVersion: current.metadata?.resourceVersion };
      if (part === 'status') {
        const withStatus = { ...structuredClone(current), status: merged.status };
        return this.finishIfDone(apiVersion, kind, withStatus, 'MODIFIED');
      }
      if ('status' in current) merged.status = structuredClone(current.status);
      else delete merged.status;
      const generation = Number(current.metadata?.generation ?? 1);
      merged.metadata.generation = JSON.stringify(current.spec) !== JSON.stringify(merged.spec) ? generation + 1 : generation;
      return this.finishIfDone(apiVersion, kind, merged, 'MODIFIED');
    };
    const self = this;
    return {
      apiVersion,
      kind,
      list: (opts?: ListOptions) => entry().fake.list(opts),
      watch: (opts?: WatchOptions) => entry().fake.watch(opts),
      async get(name, opts) {
        return structuredClone(existing(name, opts?.namespace));
      },
      async create(obj) {
        const meta = obj.metadata ?? {};
        const name = meta.name || (meta.generateName ? `${meta.generateName}${(self.nextUid++).toString(36).padStart(5, 'x')}` : '');
        self.record({ verb: 'create', apiVersion, kind, ...(meta.namespace ? { namespace: meta.namespace } : {}), name, body: obj });
        if (!name) throw new ApiError({ code: 422, reason: 'Invalid', message: 'name or generateName is required' });
        if (entry().objects.has(`${meta.namespace ?? ''}/${name}`)) throw new ApiError({ code: 409, reason: 'AlreadyExists', message: `${kind.toLowerCase()}s "${name}" already exists` });
        const full = structuredClone(obj);
        full.metadata = { ...meta, name, uid: randomUUID(), creationTimestamp: formatTime(self.now()), generation: 1 };
        delete full.metadata.resourceVersion;
        return self.store(apiVersion, kind, 'ADDED', full);
      },
      async update(obj) {
        const meta = obj.metadata ?? {};
        self.record({ verb: 'update', apiVersion, kind, ...(meta.namespace ? { namespace: meta.namespace } : {}), name: meta.name ?? '', body: obj });
        const current = existing(meta.name ?? '', meta.namespace);
        checkVersion(current, meta.resourceVersion);
        return replace(current, obj, 'main');
      },
      async updateStatus(obj) {
        const meta = obj.metadata ?? {};
        self.record({ verb: 'updateStatus', apiVersion, kind, ...(meta.namespace ? { namespace: meta.namespace } : {}), name: meta.name ?? '', subresource: 'status', body: obj });
        const current = existing(meta.name ?? '', meta.namespace);
        checkVersion(current, meta.resourceVersion);
        return replace(current, obj, 'status');
      },
      async patch(name, type: PatchType, patch, opts) {
        self.record({ verb: 'patch', apiVersion, kind, ...(opts?.namespace ? { namespace: opts.namespace } : {}), name, ...(opts?.subresource ? { subresource: opts.subresource } : {}), body: patch });
        const current = existing(name, opts?.namespace);
        const next = type === 'json' ? applyJsonPatch(current, patch as JsonPatchOp[]) : (mergePatch(current, patch) as KubeObject);
        const sentVersion = (patch as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion;
        if (type !== 'json') checkVersion(current, sentVersion);
        const sentUid = (patch as { metadata?: { uid?: string } })?.metadata?.uid;
        if (type !== 'json' && sentUid && sentUid !== current.metadata?.uid) throw conflict(kind, name);
        next.metadata = { ...next.metadata, resourceVersion: current.metadata?.resourceVersion };
        return replace(current, next, opts?.subresource === 'status' ? 'status' : 'main');
      },
      async apply(obj) {
        throw new Error(`fake cluster: server-side apply of ${kind} ${obj.metadata?.name} is not supported`);
      },
      async delete(name, opts?: DeleteOptions) {
        self.record({ verb: 'delete', apiVersion, kind, ...(opts?.namespace ? { namespace: opts.namespace } : {}), name, body: { ...opts, signal: undefined } });
        const current = existing(name, opts?.namespace);
        if (opts?.preconditions?.uid && opts.preconditions.uid !== current.metadata?.uid) throw conflict(kind, name);
        if (opts?.preconditions?.resourceVersion && opts.preconditions.resourceVersion !== current.metadata?.resourceVersion) throw conflict(kind, name);
        const finalizers = new Set(current.metadata?.finalizers ?? []);
        if (opts?.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
        if (opts?.propagationPolicy === 'Orphan') finalizers.add('orphan');
        if (finalizers.size === 0) {
          self.store(apiVersion, kind, 'DELETED', current);
          return { kind: 'Status', apiVersion: 'v1', status: 'Success' };
        }
        const marked = structuredClone(current);
        marked.metadata = { ...marked.metadata, finalizers: [...finalizers], deletionTimestamp: current.metadata?.deletionTimestamp ?? formatTime(self.now()) };
        return self.store(apiVersion, kind, 'MODIFIED', marked);
      },
      async createSubresource(name, subresource, body, opts) {
        self.record({ verb: 'createSubresource', apiVersion, kind, ...(opts?.namespace ? { namespace: opts.namespace } : {}), name, subresource, body });
        existing(name, opts?.namespace);
        return body as KubeObject;
      },
      async getSubresource(name, subresource, opts) {
        const current = existing(name, opts?.namespace);
        return subresource === 'status' ? structuredClone(current) : { kind: subresource, metadata: { name } };
      },
    };
  }

  /** an object marked for deletion whose last finalizer went away is removed, as the server does */
  private finishIfDone(apiVersion: string, kind: string, obj: KubeObject, type: 'MODIFIED'): KubeObject {
    if (obj.metadata?.deletionTimestamp && !obj.metadata.finalizers?.length) return this.store(apiVersion, kind, 'DELETED', obj);
    return this.store(apiVersion, kind, type, obj);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** RFC 7386: objects merge, null deletes, everything else replaces */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? structuredClone(target as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(patch as Record<string, Json>)) {
    if (key.startsWith('$')) continue;
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/** RFC 6902's add/replace/remove/test (what controllers send) */
export function applyJsonPatch<T>(target: T, ops: JsonPatchOp[]): T {
  const doc = structuredClone(target) as unknown as Record<string, unknown>;
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let parent: any = doc;
    for (const p of parts) {
      if (parent[p] === undefined) {
        if (op.op === 'add') parent[p] = {};
        else throw new ApiError({ code: 422, reason: 'Invalid', message: `json patch: ${op.path} does not exist` });
      }
      parent = parent[p];
    }
    if (op.op === 'test') {
      if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new ApiError({ code: 422, reason: 'Invalid', message: `json patch: test of ${op.path} failed` });
    } else if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (Array.isArray(parent) && op.op === 'add') {
      if (last === '-') parent.push(op.value);
      else parent.splice(Number(last), 0, structuredClone(op.value));
    } else parent[last] = structuredClone(op.value);
  }
  return doc as unknown as T;
}
