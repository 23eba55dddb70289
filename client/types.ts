/**
 * The contract of client/: what controllers, the scheduler and kubelets use to reach the
 * cluster. Objects are plain JSON; callers cast them to @kubernetes/client-node types
 * (type-only imports). Nothing here imports apiserver/ or store/ (ARCHITECTURE.md's rule).
 *
 *   const pods = client.resource<V1Pod>('v1', 'Pod');
 *   await pods.get('web', { namespace: 'default' });
 *   for await (const e of pods.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion, signal })) …
 *
 * Kinds resolve to URLs through discovery (the RESTMapper, cached; a miss refreshes once).
 * Failures are ApiError (client/api-error.ts) carrying the server's Status.
 */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
  finalizers?: string[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** for ERROR, a Status object */
  object: T;
}

/** what the RESTMapper resolves a kind to */
export interface ResourceMapping {
  group: string;
  version: string;
  kind: string;
  /** e.g. 'pods' */
  resource: string;
  namespaced: boolean;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  limit?: number;
  continue?: string;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface WatchOptions extends Omit<ListOptions, 'limit' | 'continue' | 'resourceVersionMatch'> {
  allowWatchBookmarks?: boolean;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export type PatchType = 'json' | 'merge' | 'strategic';

export interface DeleteOptions {
  namespace?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** One kind's endpoints. Namespaced writes take the namespace from obj.metadata.namespace. */
export interface ResourceClient<T extends KubeObject = KubeObject> {
  readonly apiVersion: string;
  readonly kind: string;
  get(name: string, opts?: { namespace?: string; signal?: AbortSignal }): Promise<T>;
  list(opts?: ListOptions): Promise<KubeList<T>>;
  create(obj: T, opts?: WriteOptions): Promise<T>;
  update(obj: T, opts?: WriteOptions): Promise<T>;
  /** PUT …/status */
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  patch(name: string, type: PatchType, patch: unknown, opts?: WriteOptions & { namespace?: string; subresource?: string }): Promise<T>;
  /** server-side apply (application/apply-patch+yaml, sent as JSON) */
  apply(obj: T, opts: WriteOptions & { fieldManager: string; force?: boolean; subresource?: string }): Promise<T>;
  /** resolves to the object (graceful deletion, finalizers) or the Status the server answered */
  delete(name: string, opts?: DeleteOptions): Promise<T | KubeObject>;
  /** a watch over WebSocket; ends when the server closes it or the signal aborts */
  watch(opts?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** POST to a subresource (binding, eviction, token) */
  createSubresource(name: string, subresource: string, body: unknown, opts?: WriteOptions & { namespace?: string }): Promise<KubeObject>;
  /** GET a subresource (scale, status) */
  getSubresource(name: string, subresource: string, opts?: { namespace?: string; signal?: AbortSignal }): Promise<KubeObject>;
  /**
   * PUT the whole object to a subresource other than status (a namespace's `finalize`).
   * Optional so fakes need not implement it; the real client always does.
   */
  updateSubresource?(obj: T, subresource: string, opts?: WriteOptions): Promise<T>;
  /**
   * DELETE the collection (kube's deletecollection: every object the selectors match, in
   * opts.namespace or cluster-wide). Optional so fakes need not implement it; the real
   * client always does. A kind that does not serve deletecollection answers 405.
   */
  deleteCollection?(opts?: Omit<ListOptions, 'limit' | 'continue' | 'resourceVersionMatch'> & Omit<DeleteOptions, 'namespace' | 'signal'>): Promise<KubeObject>;
}

export interface KubeClient {
  resource<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): ResourceClient<T>;
  /** resolves through discovery (cached; an unknown kind refreshes the cache once) */
  mapping(apiVersion: string, kind: string): Promise<ResourceMapping>;
  /**
   * Every top-level resource the server serves, from discovery (uncached: each call asks
   * again, so CRDs created since show up), with its verbs. Preferred versions only unless
   * opts.allVersions. Optional so fakes need not implement it; the real client always does.
   */
  serverResources?(opts?: { allVersions?: boolean }): Promise<Array<ResourceMapping & { verbs: string[] }>>;
  /** the user this client authenticates as, when known (from the certificate's CN) */
  readonly userAgent: string;
  /** close keep-alive connections and open watches */
  close(): void;
}
