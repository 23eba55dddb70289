/**
 * A ResourceDef is everything the API server knows about one kind: naming, scope,
 * schema source, subresources, table columns, selectable fields and its strategy.
 * The catalogue (catalogue.ts) is a list of them; routes, discovery, OpenAPI, tables,
 * field selectors, defaults and validation all read from it. A built-in kind is one
 * file under apiserver/resources/<group>/<plural>.ts exporting its ResourceDef; a CRD
 * becomes a ResourceDef at run time through the same shape.
 *
 * Objects are plain JSON values (`KubeObject`): the registry never depends on a
 * kind's TypeScript type. Strategies may cast to the @kubernetes/client-node types
 * (type-only imports) to read their fields.
 */
import type { FieldError } from '../errors/field-error.js';
import type { ServerServices } from './server-services.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

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
  ownerReferences?: Array<Record<string, unknown>>;
  finalizers?: string[];
  managedFields?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceDef {
  /** e.g. 'status', 'scale', 'binding', 'eviction', 'log', 'exec' */
  name: string;
  /** the kind the subresource speaks when it is not the parent's (Scale, Binding, Eviction) */
  kind?: GroupVersionKind;
  verbs: Verb[];
  /**
   * Serves POST on the subresource (binding, eviction, token): gets the parent's
   * identity, the decoded body and the registry; returns the HTTP code and body.
   * Subresources without handlers ('status') are served by the generic registry.
   */
  create?: (call: SubresourceCall) => Promise<{ code: number; body: unknown }>;
  /**
   * Serves GET on the subresource with a raw body (pods/log: kube's ResourceStreamer):
   * gets the parent's identity and the query; a Readable body is piped to the client as
   * bytes arrive, and `signal` aborts when the client goes away.
   */
  stream?: (call: SubresourceStreamCall) => Promise<StreamResponse>;
  /**
   * A Connecter (pods/exec, pods/attach, pods/portforward, nodes/proxy): the request is
   * proxied to a kubelet, upgrades included (routes/connect-routes.ts).
   */
  connect?: ConnectDef;
}

/** kube's rest.Connecter: which methods, whether only upgrades are served, and where to. */
export interface ConnectDef {
  /** HTTP methods served, e.g. ['GET', 'POST'] (kube's ConnectMethods) */
  methods: readonly string[];
  /** true: a request that does not upgrade is 400 `Upgrade request required` */
  upgradeRequired: boolean;
  /** parses the options and finds the kubelet; throws ApiErrors as kube does */
  locate: (call: SubresourceConnectCall) => Promise<ConnectTarget>;
}

/** What a Connecter is given: the parent's identity, the query and the path below it. */
export interface SubresourceConnectCall extends Omit<SubresourceStreamCall, 'signal'> {
  method: string;
  /** what follows the subresource in the URL, still %-encoded ('' for none; nodes/proxy) */
  rest: string;
  /** the raw query string without '?' (nodes/proxy passes it on unchanged) */
  rawQuery: string;
}

/** Where a Connecter's request goes: a kubelet and the path (with query) on it. */
export interface ConnectTarget {
  nodeName: string;
  host: string;
  port: number;
  path: string;
  insecureSkipTLSVerify?: boolean;
}

/** What a streaming GET handler is given. */
export interface SubresourceStreamCall {
  def: ResourceDef;
  namespace: string;
  name: string;
  /** the query string, as parsed (repeated keys are arrays) */
  query: Record<string, string | string[] | undefined>;
  ctx: RequestContext;
  registry: SubresourceRegistry;
  services: ServerServices;
  signal: AbortSignal;
}

export interface StreamResponse {
  code: number;
  contentType: string;
  body: NodeJS.ReadableStream | string;
}

/** What a subresource handler is given; `registry` is the generic registry (opaque here). */
export interface SubresourceCall {
  def: ResourceDef;
  namespace: string;
  name: string;
  body: KubeObject;
  ctx: RequestContext;
  registry: SubresourceRegistry;
  /** server-wide services (the authorizer, service account tokens) */
  services: ServerServices;
}

/**
 * POST on a kind that is never stored (TokenReview, SelfSubjectAccessReview, …): the
 * handler computes the answer from the request; nothing is written.
 */
export interface VirtualCreateCall {
  def: ResourceDef;
  /** '' for cluster-scoped kinds */
  namespace: string;
  body: KubeObject;
  ctx: RequestContext;
  registry: SubresourceRegistry;
  services: ServerServices;
}

/** The part of the generic registry subresource handlers use. */
export interface SubresourceRegistry {
  get(def: ResourceDef, namespace: string, name: string): Promise<KubeObject>;
  /** read-modify-write with retries; `mutate` gets a private copy of the current object */
  mutate(def: ResourceDef, namespace: string, name: string, ctx: RequestContext, mutate: (current: KubeObject) => KubeObject, subresource?: string): Promise<KubeObject>;
  delete(def: ResourceDef, namespace: string, name: string, ctx: RequestContext, opts?: { gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } }): Promise<{ object: KubeObject; deleted: boolean }>;
  /** every object of a kind in a namespace ('' = all namespaces, or cluster-scoped) */
  list(def: ResourceDef, namespace: string): Promise<KubeObject[]>;
  /** the ResourceDef serving a kind, from the live catalogue */
  lookup(gvk: GroupVersionKind): ResourceDef | undefined;
}

/**
 * The scale subresource (autoscaling/v1 Scale), described as CRDs describe it: JSON paths
 * (".spec.replicas") into the parent object. The generic registry serves GET and PUT.
 */
export interface ScaleDef {
  specReplicasPath: string;
  statusReplicasPath: string;
  /** where status keeps the selector as a string (".status.selector"), if it does */
  labelSelectorPath?: string;
}

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface PrinterColumn {
  /** as kube names it: 'Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node' */
  name: string;
  type: ColumnType;
  /** 'name' marks the column kubectl prefixes with `pod/` when printing several kinds */
  format?: string;
  description: string;
  /** 0 = always shown; 1 = only with -o wide */
  priority: number;
  /** the cell; `now` is injected so AGE columns are testable */
  cell: (obj: KubeObject, now: Date) => string | number | boolean | null;
}

/** What a strategy hook knows about the request. */
export interface RequestContext {
  /** the namespace from the URL ('' for cluster-scoped) */
  namespace: string;
  user: { name: string; groups: string[]; uid?: string; extra?: Record<string, string[]> };
  /** injected clock: every timestamp the server writes comes from here */
  now: Date;
  dryRun: boolean;
  /** the cluster's settings a strategy may need (service CIDR, …); read-only */
  cluster: ClusterSettings;
}

export interface ClusterSettings {
  serviceCIDR: string;
  podCIDR: string;
}

/**
 * The per-kind hooks, called by the generic registry in a fixed order:
 *   create: prepareForCreate → defaults → validate → canonicalize → store
 *   update: defaults → prepareForUpdate → validate → validateUpdate → canonicalize → store
 * Hooks mutate the object they are given (the registry passes its own copy). All are
 * optional; a kind with no rules needs none.
 */
export interface Strategy {
  /** reset fields a client may not set on create (status for kinds with a status subresource, …) */
  prepareForCreate?(obj: KubeObject, ctx: RequestContext): void;
  /** carry over fields a client may not change on update (status on the main resource, spec on /status) */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext, subresource?: string): void;
  /**
   * kube's status strategies reset spec (and, for some kinds, labels) on /status but take
   * annotations for a few kinds: the Deployment controller writes its revision annotation
   * with the status. True: a /status write also sets metadata.annotations.
   */
  statusTakesAnnotations?: boolean;
  /** kube-apiserver's defaulting for the kind */
  defaults?(obj: KubeObject, ctx: RequestContext): void;
  validate?(obj: KubeObject, ctx: RequestContext): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[];
  /** normalise representation (e.g. sort, drop empty maps) before storing */
  canonicalize?(obj: KubeObject): void;
  /**
   * Does this update change the spec (and so bump metadata.generation)? Default: any change
   * outside metadata and status.
   */
  specChanged?(obj: KubeObject, old: KubeObject): boolean;
  /**
   * Called when a DELETE is about to remove the object; may mark it (e.g. a namespace
   * turns Terminating). Return true to keep the object for now: it gets a
   * deletionTimestamp and is removed once deletionBlocked() says nothing holds it.
   */
  prepareForDelete?(obj: KubeObject, ctx: RequestContext): boolean;
  /**
   * Beyond metadata.finalizers, what still holds an object that has a deletionTimestamp
   * (a namespace's spec.finalizers). Default: nothing.
   */
  deletionBlocked?(obj: KubeObject): boolean;
}

export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'path-segment';

export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  /** e.g. 'pods' */
  plural: string;
  /** e.g. 'pod' */
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  categories: string[];
  verbs: Verb[];
  /** the @kubernetes/client-node model class name its schema derives from, e.g. 'V1Pod' */
  modelName: string;
  /** which rule metadata.name must satisfy (default dns1123-subdomain) */
  nameRule?: NameRule;
  subresources: SubresourceDef[];
  /** Table columns; when absent the registry prints Name and Age */
  printerColumns?: PrinterColumn[];
  /**
   * Field selectors beyond metadata.name and metadata.namespace, which every kind has:
   * field path → value getter (kube compares the string form).
   */
  selectableFields?: Record<string, (obj: KubeObject) => string | undefined>;
  strategy: Strategy;
  /**
   * Keep objects in another resource's storage (events.k8s.io/v1 Events live with core/v1
   * Events, as in kube); the registry converts through `fromStorage`/`toStorage`.
   */
  storage?: { group: string; plural: string; namespaced: boolean };
  /** convert a stored object of `storage`'s kind to this kind, and back */
  fromStorage?: (stored: KubeObject) => KubeObject;
  toStorage?: (obj: KubeObject) => KubeObject;
  /**
   * Keep the status a client sends on create, though the kind has a status subresource
   * (a kubelet registers its Node with its status); other kinds start with none.
   */
  statusOnCreate?: boolean;
  /** kube's default for DeleteOptions.propagationPolicy when the request gives none */
  defaultPropagation?: 'Background' | 'Foreground' | 'Orphan';
  /** graceful deletion (pods): the grace period to use when the request gives none */
  gracefulDeletion?: (obj: KubeObject) => number | undefined;
  /**
   * State a kind keeps beside its objects (a Service's cluster IPs and node ports),
   * created once per API server from what is stored.
   */
  lifecycle?: (env: LifecycleEnv) => Lifecycle;
  /** autoscaling/v1 Scale through `<plural>/scale` (also list a 'scale' subresource) */
  scale?: ScaleDef;
  /**
   * A kind that is never stored: only POST on the collection, answered by this handler
   * (TokenReview, SubjectAccessReview, SelfSubjectReview…). verbs must be ['create'].
   */
  virtualCreate?: (call: VirtualCreateCall) => Promise<{ code: number; body: unknown }>;
  /**
   * Objects kube-apiserver makes at start (system priority classes, default cluster
   * roles): created if missing, never overwritten.
   */
  bootstrapObjects?: () => KubeObject[];
}

export interface LifecycleEnv {
  /** every stored object of a kind, across namespaces */
  list(def: ResourceDef): Promise<KubeObject[]>;
  /** one stored object, or undefined */
  get(def: ResourceDef, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** the ResourceDef serving a kind, from the live catalogue */
  lookup(gvk: GroupVersionKind): ResourceDef | undefined;
  cluster: ClusterSettings;
}

/**
 * Called by the registry around writes, after validation: before* may fill fields in
 * (allocations) and throw ApiErrors; if the write then does not happen, abort() gives
 * back what before* took; afterDelete() releases what a removed object held.
 */
export interface Lifecycle {
  beforeCreate?(obj: KubeObject, ctx: RequestContext): Promise<void>;
  beforeUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): Promise<void>;
  abort?(obj: KubeObject, old: KubeObject | undefined): void;
  /** the update was stored: release what `old` held and `obj` does not */
  afterUpdate?(obj: KubeObject, old: KubeObject): void;
  afterDelete?(obj: KubeObject): void;
}

/** 'v1' for the core group, else 'group/version' */
export const apiVersionOf = (d: Pick<ResourceDef, 'group' | 'version'>) => (d.group ? `${d.group}/${d.version}` : d.version);
