/**
 * Structural OpenAPI v3 schemas for the catalogue's kinds, derived from the client-node
 * model classes (model-source.ts) and named as kube names them (definition-names.ts):
 *
 *   V1Pod → components.schemas["io.k8s.api.core.v1.Pod"] =
 *     { type: object, description: "Pod is a collection of containers …",
 *       properties: { apiVersion: {type: string, …},
 *                     metadata: { allOf: [{$ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}], description },
 *                     spec: { allOf: [{$ref: …PodSpec}], … }, … },
 *       x-kubernetes-group-version-kind: [{group: "", version: "v1", kind: "Pod"}] }
 *   …PodSpec.properties.containers =
 *     { type: array, items: {$ref: …Container}, x-kubernetes-patch-merge-key: name,
 *       x-kubernetes-patch-strategy: merge, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name] }
 *
 * Model schemas depend only on the installed package, so they are built once per process
 * (lazily, model by model). A SchemaRegistry is one catalogue's view: the same schemas plus
 * `x-kubernetes-group-version-kind` on each served kind's root schema.
 */
import type { Catalogue } from '../catalogue/catalogue.js';
import type { GroupVersionKind } from '../catalogue/resource-def.js';
import { definitionId, modelNameForKind } from './definition-names.js';
import { modelDocs } from './descriptions.js';
import { listFactExtensions, listFacts } from './list-facts.js';
import { attributesOf, hasModel, parseAttributeType, type AttributeType } from './model-source.js';

export interface SchemaObject {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  additionalProperties?: SchemaObject | boolean;
  $ref?: string;
  allOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  [extension: `x-${string}`]: unknown;
}

export const REF_PREFIX = '#/components/schemas/';
export const INT_OR_STRING_ID = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

const INT_OR_STRING: SchemaObject = {
  description:
    'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
  type: 'string',
  format: 'int-or-string',
  'x-kubernetes-int-or-string': true,
};

/** kube's words for fields whose .d.ts comment the generator dropped (it keeps none on $ref fields) */
const FALLBACK_DESCRIPTIONS: Record<string, string> = {
  metadata: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  listMetadata: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

/** id → schema, for every model reached so far (shared by all registries) */
const modelSchemas = new Map<string, SchemaObject>([[INT_OR_STRING_ID, INT_OR_STRING]]);

export const refOf = (id: string) => `${REF_PREFIX}${id}`;
export const idOfRef = (ref: string) => (ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref);

/** the schema id of a model, building its schema (and those it references) on first use */
export function ensureModelSchema(modelName: string): string {
  const id = definitionId(modelName);
  if (modelSchemas.has(id)) return id;
  const attrs = attributesOf(modelName);
  if (!attrs) throw new Error(`no @kubernetes/client-node model ${modelName}`);
  const docs = modelDocs(modelName);
  const schema: SchemaObject = { type: 'object' };
  if (docs.description) schema.description = docs.description;
  // registered before the fields are built: models may reference themselves (JSONSchemaProps)
  modelSchemas.set(id, schema);
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const attr of attrs) {
    const fieldDocs = docs.fields.get(attr.name);
    const description = fieldDocs?.description ?? FALLBACK_DESCRIPTIONS[attr.type === 'V1ListMeta' ? 'listMetadata' : attr.baseName];
    const property = propertySchema(parseAttributeType(attr.type), attr.format, description);
    const facts = listFacts(modelName, attr.baseName);
    if (facts) Object.assign(property, listFactExtensions(facts));
    properties[attr.baseName] = property;
    if (fieldDocs?.required) required.push(attr.baseName);
  }
  schema.properties = properties;
  if (required.length) schema.required = required;
  return id;
}

function propertySchema(type: AttributeType, format: string, description?: string): SchemaObject {
  const withDescription = (s: SchemaObject): SchemaObject => (description ? { ...s, description } : s);
  switch (type.kind) {
    case 'model': {
      const ref = refOf(ensureModelSchema(type.name));
      // OpenAPI 3.0 ignores siblings of $ref, so a described reference is wrapped (as kube does)
      return description ? { allOf: [{ $ref: ref }], description } : { $ref: ref };
    }
    case 'int-or-string':
      return description ? { allOf: [{ $ref: refOf(INT_OR_STRING_ID) }], description } : { $ref: refOf(INT_OR_STRING_ID) };
    case 'array':
      return withDescription({ type: 'array', items: propertySchema(type.items, format) });
    case 'map':
      return withDescription({ type: 'object', additionalProperties: propertySchema(type.values, format) });
    default:
      return withDescription(scalarSchema(type.kind, format));
  }
}

function scalarSchema(kind: 'string' | 'number' | 'boolean' | 'any' | 'date-time', format: string): SchemaObject {
  switch (kind) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return format ? { type: 'number', format } : { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date-time':
      return { type: 'string', format: 'date-time' };
    case 'any':
      // RawExtension, FieldsV1, JSON: any JSON value, never checked field by field
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
}

/** What findUnknownFields and the OpenAPI documents need from a registry. */
export interface SchemaLookup {
  get(id: string): SchemaObject | undefined;
}

/**
 * One catalogue's schemas: every model schema, plus the GVK extension on the root schema of
 * each kind the catalogue serves (and of the kinds its subresources speak).
 */
export class SchemaRegistry implements SchemaLookup {
  private readonly gvksById = new Map<string, GroupVersionKind[]>();
  private readonly idByGvk = new Map<string, string>();
  private readonly decorated = new Map<string, SchemaObject>();

  /** register a kind served at `gvk` whose schema is the model's; returns the schema id */
  addKind(gvk: GroupVersionKind, modelName: string): string {
    const id = ensureModelSchema(modelName);
    const list = this.gvksById.get(id) ?? [];
    if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) {
      list.push({ group: gvk.group, kind: gvk.kind, version: gvk.version });
      this.decorated.delete(id);
    }
    this.gvksById.set(id, list);
    this.idByGvk.set(gvkKey(gvk), id);
    return id;
  }

  /**
   * A kind with no client-node model (a CRD without a schema yet): an object with the
   * standard apiVersion/kind/metadata and any other fields, under kube's id for CRD schemas
   * (reversed group, version, kind: io.example.v1.Widget).
   */
  addUnstructuredKind(gvk: GroupVersionKind): string {
    const id = [...gvk.group.split('.').reverse(), gvk.version, gvk.kind].filter(Boolean).join('.');
    if (!modelSchemas.has(id)) {
      const metaId = ensureModelSchema('V1ObjectMeta');
      modelSchemas.set(id, {
        type: 'object',
        properties: {
          apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
          kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
          metadata: { allOf: [{ $ref: refOf(metaId) }], description: "Standard object's metadata." },
        },
        'x-kubernetes-preserve-unknown-fields': true,
      });
    }
    const list = this.gvksById.get(id) ?? [];
    if (!list.some((g) => g.kind === gvk.kind && g.group === gvk.group && g.version === gvk.version)) list.push({ group: gvk.group, kind: gvk.kind, version: gvk.version });
    this.gvksById.set(id, list);
    this.decorated.delete(id);
    this.idByGvk.set(gvkKey(gvk), id);
    return id;
  }

  /** the root schema id of a served kind */
  idOf(gvk: GroupVersionKind): string | undefined {
    return this.idByGvk.get(gvkKey(gvk));
  }

  get(id: string): SchemaObject | undefined {
    const base = modelSchemas.get(id);
    if (!base) return undefined;
    const gvks = this.gvksById.get(id);
    if (!gvks) return base;
    let out = this.decorated.get(id);
    if (!out) {
      out = { ...base, 'x-kubernetes-group-version-kind': gvks.map((g) => ({ ...g })) };
      this.decorated.set(id, out);
    }
    return out;
  }

  /** the schemas `rootIds` reference, transitively, as a components.schemas object (sorted) */
  closure(rootIds: Iterable<string>): Record<string, SchemaObject> {
    const seen = new Set<string>();
    const queue = [...rootIds];
    while (queue.length) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      const schema = this.get(id);
      if (!schema) continue;
      seen.add(id);
      collectRefs(schema, (ref) => queue.push(idOfRef(ref)));
    }
    const out: Record<string, SchemaObject> = {};
    for (const id of [...seen].sort()) out[id] = this.get(id)!;
    return out;
  }
}

function collectRefs(schema: SchemaObject, visit: (ref: string) => void): void {
  if (schema.$ref) visit(schema.$ref);
  for (const s of schema.allOf ?? []) collectRefs(s, visit);
  for (const s of schema.anyOf ?? []) collectRefs(s, visit);
  if (schema.items) collectRefs(schema.items, visit);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') collectRefs(schema.additionalProperties, visit);
  for (const s of Object.values(schema.properties ?? {})) collectRefs(s, visit);
}

const gvkKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;

/** the client-node model of a subresource's kind (Scale → V1Scale, Eviction → V1Eviction) */
export function modelForKind(gvk: GroupVersionKind): string | undefined {
  return modelNameForKind(gvk.group, gvk.version, gvk.kind, hasModel);
}

/**
 * The registry for a catalogue: each def's kind (from its modelName), its list kind when
 * the package has one (V1Pod → V1PodList), and the kinds its subresources speak.
 */
export function buildSchemaRegistry(catalogue: Catalogue): SchemaRegistry {
  const registry = new SchemaRegistry();
  for (const def of catalogue.all()) {
    if (!hasModel(def.modelName)) continue;
    registry.addKind({ group: def.group, version: def.version, kind: def.kind }, def.modelName);
    const listModel = `${def.modelName}List`;
    if (hasModel(listModel)) registry.addKind({ group: def.group, version: def.version, kind: `${def.kind}List` }, listModel);
    for (const sub of def.subresources) {
      if (!sub.kind) continue;
      const model = modelForKind(sub.kind);
      if (model) registry.addKind(sub.kind, model);
    }
  }
  return registry;
}
