/**
 * One OpenAPI 3.0 document per group-version, as kube-apiserver serves at
 * /openapi/v3/api/v1 and /openapi/v3/apis/G/V (kubectl-contract §3.2). For each kind:
 *
 *   /api/v1/namespaces/{namespace}/pods            get (list), post, delete (deletecollection)
 *   /api/v1/namespaces/{namespace}/pods/{name}     get, put, patch, delete
 *   /api/v1/namespaces/{namespace}/pods/{name}/status   get, put, patch  (one path per subresource)
 *   /api/v1/pods                                   get (list across namespaces)
 *   /api/v1/nodes, /api/v1/nodes/{name}            (cluster-scoped forms)
 *
 * Every operation carries x-kubernetes-action and x-kubernetes-group-version-kind (a single
 * object). The PATCH operation is what kubectl looks for: with it and its `fieldValidation`
 * parameter kubectl sends fieldValidation=Strict and leaves validation to us; with the
 * strategic-merge-patch content type it computes apply patches from components.schemas.
 * Only ops whose verb the ResourceDef allows are listed.
 */
import type { Catalogue } from '../catalogue/catalogue.js';
import type { GroupVersionKind, ResourceDef, Verb } from '../catalogue/resource-def.js';
import { ensureModelSchema, modelForKind, refOf, type SchemaObject, type SchemaRegistry } from '../schema/schema-registry.js';
import { hasModel } from '../schema/model-source.js';
import { kubeVersionInfo } from '../version.js';

export const PATCH_SCHEMA_ID = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const PATCH_SCHEMA: SchemaObject = {
  description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  type: 'object',
};

interface Parameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  required?: boolean;
  schema: SchemaObject;
  uniqueItems?: boolean;
}

type Operation = Record<string, unknown>;
type PathItem = Record<string, unknown>;

export interface OpenApiV3Document {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, SchemaObject> };
}

const str = (): SchemaObject => ({ type: 'string' });
const q = (name: string, description: string, schema: SchemaObject = str()): Parameter => ({ name, in: 'query', description, schema, uniqueItems: true });

const P = {
  name: { name: 'name', in: 'path', description: 'name of the resource', required: true, schema: str(), uniqueItems: true } as Parameter,
  namespace: { name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, schema: str(), uniqueItems: true } as Parameter,
  pretty: q('pretty', "If 'true', then the output is pretty printed."),
  dryRun: q('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types.'),
  fieldValidation: q(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn (the default) - Strict: fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present.',
  ),
  force: q('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', { type: 'boolean' }),
  gracePeriodSeconds: q('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', { type: 'integer' }),
  propagationPolicy: q('propagationPolicy', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
  orphanDependents: q('orphanDependents', 'Deprecated: please use the PropagationPolicy.', { type: 'boolean' }),
  list: [
    q('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', { type: 'boolean' }),
    q('continue', 'The continue option should be set when retrieving more results from the server.'),
    q('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
    q('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
    q('limit', 'limit is a maximum number of responses to return for a list call.', { type: 'integer' }),
    q('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
    q('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
    q('sendInitialEvents', 'sendInitialEvents=true may be set together with watch=true.', { type: 'boolean' }),
    q('timeoutSeconds', 'Timeout for the list/watch call.', { type: 'integer' }),
    q('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', { type: 'boolean' }),
  ],
};

const json = (schema: SchemaObject) => ({ 'application/json': { schema } });
const ref = (id: string): SchemaObject => ({ $ref: refOf(id) });

function response(code: string, id: string, description: string) {
  return { [code]: { description, content: json(ref(id)) } };
}

const UNAUTHORIZED = { '401': { description: 'Unauthorized' } };

/** kube's operationId style: readCoreV1NamespacedPod, patchAppsV1NamespacedDeploymentScale */
function operationId(action: string, gvk: { group: string; version: string }, def: ResourceDef, sub?: string, allNamespaces = false): string {
  const groupWord = gvk.group === '' ? 'Core' : gvk.group.split('.')[0]!.replace(/^./, (c) => c.toUpperCase());
  const version = gvk.version.replace(/^./, (c) => c.toUpperCase());
  const scope = def.namespaced && !allNamespaces ? 'Namespaced' : '';
  const subWord = sub ? sub.replace(/^./, (c) => c.toUpperCase()) : '';
  const suffix = allNamespaces ? 'ForAllNamespaces' : '';
  return `${action}${groupWord}${version}${scope}${def.kind}${subWord}${suffix}`;
}

interface KindContext {
  def: ResourceDef;
  /** the GVK the operations speak (the subresource's kind for scale/eviction) */
  gvk: GroupVersionKind;
  schemaId: string;
  /** strategic merge patch is offered for built-in kinds only, as kube does (CRDs: merge patch) */
  strategicMerge: boolean;
  tag: string;
}

function patchOperation(ctx: KindContext, id: string): Operation {
  const content: Record<string, { schema: SchemaObject }> = {
    'application/apply-patch+yaml': { schema: ref(PATCH_SCHEMA_ID) },
    'application/json-patch+json': { schema: ref(PATCH_SCHEMA_ID) },
    'application/merge-patch+json': { schema: ref(PATCH_SCHEMA_ID) },
  };
  if (ctx.strategicMerge) content['application/strategic-merge-patch+json'] = { schema: ref(PATCH_SCHEMA_ID) };
  return {
    tags: [ctx.tag],
    description: `partially update the specified ${ctx.def.kind}`,
    operationId: id,
    parameters: [P.dryRun, P.fieldManager, P.fieldValidation, P.force],
    requestBody: { content, required: true },
    responses: { ...response('200', ctx.schemaId, 'OK'), ...response('201', ctx.schemaId, 'Created'), ...UNAUTHORIZED },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { ...ctx.gvk },
  };
}

function itemOperations(ctx: KindContext, verbs: readonly Verb[], sub?: string): PathItem {
  const { def } = ctx;
  const item: PathItem = {};
  const id = (action: string) => operationId(action, ctx.def, def, sub);
  const ext = (action: string) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': { ...ctx.gvk } });
  if (verbs.includes('get')) {
    item.get = { tags: [ctx.tag], description: `read the specified ${def.kind}`, operationId: id('read'), responses: { ...response('200', ctx.schemaId, 'OK'), ...UNAUTHORIZED }, ...ext('get') };
  }
  if (verbs.includes('update')) {
    item.put = {
      tags: [ctx.tag],
      description: `replace the specified ${def.kind}`,
      operationId: id('replace'),
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: { content: json(ref(ctx.schemaId)), required: true },
      responses: { ...response('200', ctx.schemaId, 'OK'), ...response('201', ctx.schemaId, 'Created'), ...UNAUTHORIZED },
      ...ext('put'),
    };
  }
  if (verbs.includes('patch')) item.patch = patchOperation(ctx, id('patch'));
  if (sub && verbs.includes('create')) {
    // subresources such as pods/binding and pods/eviction are created, not read
    item.post = {
      tags: [ctx.tag],
      description: `create ${sub ? `${sub} of ` : ''}a ${def.kind}`,
      operationId: id('create'),
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: { content: json(ref(ctx.schemaId)), required: true },
      responses: { ...response('200', ctx.schemaId, 'OK'), ...response('201', ctx.schemaId, 'Created'), ...response('202', ctx.schemaId, 'Accepted'), ...UNAUTHORIZED },
      ...ext('post'),
    };
  }
  if (verbs.includes('delete') && !sub) {
    item.delete = {
      tags: [ctx.tag],
      description: `delete a ${def.kind}`,
      operationId: id('delete'),
      parameters: [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy],
      requestBody: { content: json(ref('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')) },
      responses: { ...response('200', ctx.schemaId, 'OK'), ...response('202', ctx.schemaId, 'Accepted'), ...UNAUTHORIZED },
      ...ext('delete'),
    };
  }
  const params = [...(def.namespaced ? [P.name, P.namespace] : [P.name]), P.pretty];
  return Object.keys(item).length ? { ...item, parameters: params } : {};
}

function collectionOperations(ctx: KindContext, listId: string | undefined, allNamespaces: boolean): PathItem {
  const { def } = ctx;
  const verbs = def.verbs;
  const item: PathItem = {};
  const ext = (action: string) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': { ...ctx.gvk } });
  if (verbs.includes('list') && listId) {
    item.get = {
      tags: [ctx.tag],
      description: `list or watch objects of kind ${def.kind}`,
      operationId: operationId('list', def, def, undefined, allNamespaces),
      parameters: P.list,
      responses: { ...response('200', listId, 'OK'), ...UNAUTHORIZED },
      ...ext('list'),
    };
  }
  if (!allNamespaces && verbs.includes('create')) {
    item.post = {
      tags: [ctx.tag],
      description: `create a ${def.kind}`,
      operationId: operationId('create', def, def),
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: { content: json(ref(ctx.schemaId)), required: true },
      responses: { ...response('200', ctx.schemaId, 'OK'), ...response('201', ctx.schemaId, 'Created'), ...response('202', ctx.schemaId, 'Accepted'), ...UNAUTHORIZED },
      ...ext('post'),
    };
  }
  if (!allNamespaces && verbs.includes('deletecollection')) {
    item.delete = {
      tags: [ctx.tag],
      description: `delete collection of ${def.kind}`,
      operationId: operationId('deletecollection', def, def),
      parameters: [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy, ...P.list],
      requestBody: { content: json(ref('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')) },
      responses: { ...response('200', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'OK'), ...UNAUTHORIZED },
      ...ext('deletecollection'),
    };
  }
  const params = [...(def.namespaced && !allNamespaces ? [P.namespace] : []), P.pretty];
  return Object.keys(item).length ? { ...item, parameters: params } : {};
}

/** the URL prefix of a group-version: /api/v1 or /apis/apps/v1 */
export const groupVersionPath = (group: string, version: string) => (group ? `/apis/${group}/${version}` : `/api/${version}`);

/** The document for one group-version, or undefined when the catalogue serves nothing there. */
export function buildGroupVersionDocument(catalogue: Catalogue, registry: SchemaRegistry, group: string, version: string): OpenApiV3Document | undefined {
  const defs = catalogue.inGroupVersion(group, version).sort((a, b) => (a.plural < b.plural ? -1 : 1));
  if (!defs.length) return undefined;
  const base = groupVersionPath(group, version);
  const tag = `${group === '' ? 'core' : group.split('.')[0]}_${version}`;
  const paths: Record<string, PathItem> = {};
  const roots = new Set<string>([PATCH_SCHEMA_ID]);
  // always referenced by delete and deletecollection responses
  roots.add(ensureModelSchema('V1DeleteOptions'));
  roots.add(ensureModelSchema('V1Status'));

  for (const def of defs) {
    const gvk = { group: def.group, version: def.version, kind: def.kind };
    const builtIn = hasModel(def.modelName);
    const schemaId = registry.idOf(gvk) ?? (builtIn ? registry.addKind(gvk, def.modelName) : registry.addUnstructuredKind(gvk));
    const listId = registry.idOf({ ...gvk, kind: `${def.kind}List` });
    roots.add(schemaId);
    if (listId) roots.add(listId);
    // kube offers strategic merge patch for built-in kinds only; for CRDs kubectl then uses merge patch
    const strategicMerge = builtIn;
    const ctx: KindContext = { def, gvk, schemaId, strategicMerge, tag };
    const collection = def.namespaced ? `${base}/namespaces/{namespace}/${def.plural}` : `${base}/${def.plural}`;
    const add = (path: string, item: PathItem) => {
      if (Object.keys(item).length) paths[path] = item;
    };
    add(collection, collectionOperations(ctx, listId, false));
    add(`${collection}/{name}`, itemOperations(ctx, def.verbs));
    if (def.namespaced) add(`${base}/${def.plural}`, collectionOperations(ctx, listId, true));

    for (const sub of def.subresources) {
      const subGvk = sub.kind ?? gvk;
      const subModel = sub.kind ? modelForKind(sub.kind) : def.modelName;
      // streaming subresources (log, exec, attach, portforward, proxy) have no JSON body to describe
      if (!subModel || ['log', 'exec', 'attach', 'portforward', 'proxy'].includes(sub.name)) continue;
      const subId = registry.idOf(subGvk) ?? registry.addKind(subGvk, subModel);
      roots.add(subId);
      add(`${collection}/{name}/${sub.name}`, itemOperations({ ...ctx, gvk: subGvk, schemaId: subId }, sub.verbs, sub.name));
    }
  }

  const schemas = registry.closure([...roots].filter((id) => id !== PATCH_SCHEMA_ID));
  schemas[PATCH_SCHEMA_ID] = PATCH_SCHEMA;
  const sorted: Record<string, SchemaObject> = {};
  for (const id of Object.keys(schemas).sort()) sorted[id] = schemas[id]!;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: kubeVersionInfo().gitVersion },
    paths,
    components: { schemas: sorted },
  };
}
