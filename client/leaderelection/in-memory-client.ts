/**
 * A test double for KubeClient: objects kept in a Map with a global resourceVersion
 * counter and the API server's answers that matter to optimistic-concurrency code
 * (404 NotFound, 409 AlreadyExists, 409 Conflict on a stale resourceVersion). Patches are
 * applied as a shallow-recursive JSON merge, enough for the merge/strategic patches the
 * event recorder sends. `intercept` lets a test fail or observe any call.
 * Used by the leader election and event recorder unit tests; not for production.
 */
import { ApiError } from '../api-error.js';
import type { KubeClient, KubeList, KubeObject, ResourceClient, WatchEvent } from '../types.js';

export type Call = { verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'updateStatus'; kind: string; namespace: string; name: string; body?: unknown };

export class InMemoryClient implements KubeClient {
  readonly userAgent = 'in-memory';
  readonly objects = new Map<string, KubeObject>();
  readonly calls: Call[] = [];
  /** throw from here to make a call fail; runs before the call takes effect */
  intercept: (call: Call) => void = () => {};
  private revision = 0;
  private uidSeq = 0;

  resource<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): ResourceClient<T> {
    return new InMemoryResource(this, apiVersion, kind) as unknown as ResourceClient<T>;
  }

  async mapping(apiVersion: string, kind: string) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return { group: group!, version: version!, kind, resource: `${kind.toLowerCase()}s`, namespaced: kind !== 'Node' && kind !== 'Namespace' };
  }

  close(): void {}

  /** stored objects of one kind, in insertion order */
  all<T extends KubeObject>(kind: string): T[] {
    return [...this.objects.entries()].filter(([key]) => key.startsWith(`${kind}/`)).map(([, obj]) => structuredClone(obj) as T);
  }

  nextRevision(): string {
    return String(++this.revision);
  }

  nextUid(): string {
    return `uid-${++this.uidSeq}`;
  }
}

const notFound = (kind: string, name: string) => new ApiError({ code: 404, reason: 'NotFound', message: `${kind} "${name}" not found` });

class InMemoryResource implements ResourceClient {
  constructor(
    private readonly store: InMemoryClient,
    readonly apiVersion: string,
    readonly kind: string,
  ) {}

  private key(namespace: string | undefined, name: string): string {
    return `${this.kind}/${namespace ?? ''}/${name}`;
  }

  private call(verb: Call['verb'], namespace: string | undefined, name: string, body?: unknown): void {
    const call: Call = { verb, kind: this.kind, namespace: namespace ?? '', name, body: structuredClone(body) };
    this.store.calls.push(call);
    this.store.intercept(call);
  }

  async get(name: string, opts?: { namespace?: string }): Promise<KubeObject> {
    this.call('get', opts?.namespace, name);
    const obj = this.store.objects.get(this.key(opts?.namespace, name));
    if (!obj) throw notFound(this.kind, name);
    return structuredClone(obj);
  }

  async list(opts?: { namespace?: string }): Promise<KubeList> {
    this.call('list', opts?.namespace, '');
    const items = this.store.all(this.kind).filter((o) => !opts?.namespace || o.metadata?.namespace === opts.namespace);
    return { metadata: { resourceVersion: String(this.store.nextRevision()) }, items };
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    const { name = '', namespace } = obj.metadata ?? {};
    this.call('create', namespace, name, obj);
    const key = this.key(namespace, name);
    if (this.store.objects.has(key)) throw new ApiError({ code: 409, reason: 'AlreadyExists', message: `${this.kind} "${name}" already exists` });
    const stored = structuredClone(obj);
    stored.metadata = { ...stored.metadata, uid: this.store.nextUid(), resourceVersion: this.store.nextRevision() };
    this.store.objects.set(key, stored);
    return structuredClone(stored);
  }

  async update(obj: KubeObject): Promise<KubeObject> {
    return this.replace('update', obj);
  }

  async updateStatus(obj: KubeObject): Promise<KubeObject> {
    return this.replace('updateStatus', obj);
  }

  private replace(verb: 'update' | 'updateStatus', obj: KubeObject): KubeObject {
    const { name = '', namespace, resourceVersion } = obj.metadata ?? {};
    this.call(verb, namespace, name, obj);
    const key = this.key(namespace, name);
    const old = this.store.objects.get(key);
    if (!old) throw notFound(this.kind, name);
    if (resourceVersion && resourceVersion !== old.metadata?.resourceVersion)
      throw new ApiError({ code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on ${this.kind} "${name}": the object has been modified; please apply your changes to the latest version and try again` });
    const stored = structuredClone(obj);
    stored.metadata = { ...stored.metadata, uid: old.metadata?.uid, resourceVersion: this.store.nextRevision() };
    this.store.objects.set(key, stored);
    return structuredClone(stored);
  }

  async patch(name: string, _type: string, patch: unknown, opts?: { namespace?: string }): Promise<KubeObject> {
    this.call('patch', opts?.namespace, name, patch);
    const key = this.key(opts?.namespace, name);
    const old = this.store.objects.get(key);
    if (!old) throw notFound(this.kind, name);
    const stored = mergePatch(structuredClone(old), patch) as KubeObject;
    stored.metadata = { ...stored.metadata, resourceVersion: this.store.nextRevision() };
    this.store.objects.set(key, stored);
    return structuredClone(stored);
  }

  async apply(): Promise<KubeObject> {
    throw new Error('InMemoryClient: apply is not supported');
  }

  async delete(name: string, opts?: { namespace?: string }): Promise<KubeObject> {
    const key = this.key(opts?.namespace, name);
    const old = this.store.objects.get(key);
    if (!old) throw notFound(this.kind, name);
    this.store.objects.delete(key);
    return old;
  }

  async *watch(): AsyncIterable<WatchEvent> {
    throw new Error('InMemoryClient: watch is not supported');
  }

  async createSubresource(): Promise<KubeObject> {
    throw new Error('InMemoryClient: subresources are not supported');
  }

  async getSubresource(): Promise<KubeObject> {
    throw new Error('InMemoryClient: subresources are not supported');
  }
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
