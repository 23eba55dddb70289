/**
 * The shape server-side apply needs from an OpenAPI schema, node by node: kube converts the
 * OpenAPI document to structured-merge-diff types the same way (kube-openapi schemaconv).
 *
 *   scalar   strings, numbers, booleans, IntOrString, Quantity, Time: one leaf
 *   struct   an object with properties; granular unless x-kubernetes-map-type: atomic
 *            (kube's +structType=atomic types such as LabelSelector, listed below because
 *            the client-node models do not carry the marker)
 *   map      an object with additionalProperties; granular unless x-kubernetes-map-type: atomic
 *   list     x-kubernetes-list-type: atomic (the default), set (items by value) or
 *            map (items by x-kubernetes-list-map-keys)
 *   untyped  x-kubernetes-preserve-unknown-fields and schema-less values: maps are granular,
 *            lists atomic, everything else a leaf (kube's "deduced" type)
 */
import { idOfRef, type SchemaLookup, type SchemaObject } from '../schema/schema-registry.js';
import type { Json } from './json-value.js';

export type SchemaNode =
  | { kind: 'scalar' }
  | { kind: 'untyped' }
  | { kind: 'struct'; fields: Record<string, SchemaObject>; atomic: boolean; open: boolean }
  | { kind: 'map'; values: SchemaObject | undefined; atomic: boolean }
  | { kind: 'list'; listType: 'atomic' | 'set' | 'map'; keys: string[]; items: SchemaObject | undefined; keyDefaults: Record<string, Json> };

/** kube marks these +structType=atomic: owned and replaced as one value */
const ATOMIC_STRUCTS = new Set(
  [
    'apimachinery.pkg.apis.meta.v1.LabelSelector',
    'api.core.v1.LocalObjectReference',
    'api.core.v1.NodeSelector',
    'api.core.v1.ConfigMapKeySelector',
    'api.core.v1.SecretKeySelector',
    'api.core.v1.ObjectFieldSelector',
    'api.core.v1.ResourceFieldSelector',
    'api.core.v1.ObjectReference',
    'api.core.v1.TypedLocalObjectReference',
    'api.core.v1.SecretReference',
    'api.core.v1.TopologySelectorTerm',
  ].map((s) => `io.k8s.${s}`),
);

/** key fields with a schema default: an item that omits them is keyed by the default */
const KEY_DEFAULTS: Record<string, Record<string, Json>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
};

const UNTYPED: SchemaNode = { kind: 'untyped' };
const SCALAR: SchemaNode = { kind: 'scalar' };

export class ApplySchema {
  private readonly cache = new Map<SchemaObject, SchemaNode>();

  constructor(
    private readonly schemas: SchemaLookup,
    readonly rootId: string,
  ) {}

  root(): SchemaNode {
    const schema = this.schemas.get(this.rootId);
    return schema ? this.node(schema) : UNTYPED;
  }

  /** the node of a schema, following $ref and single-entry allOf */
  node(schema: SchemaObject | undefined): SchemaNode {
    if (!schema) return UNTYPED;
    let node = this.cache.get(schema);
    if (!node) {
      node = this.build(schema);
      this.cache.set(schema, node);
    }
    return node;
  }

  private build(schema: SchemaObject): SchemaNode {
    const { s, id } = this.resolve(schema);
    if (!s || s['x-kubernetes-int-or-string']) return s ? SCALAR : UNTYPED;
    const atomicMap = schema['x-kubernetes-map-type'] === 'atomic' || s['x-kubernetes-map-type'] === 'atomic';
    if (s.type === 'array') {
      const listType = (schema['x-kubernetes-list-type'] ?? s['x-kubernetes-list-type'] ?? 'atomic') as 'atomic' | 'set' | 'map';
      const keys = schema['x-kubernetes-list-map-keys'] ?? s['x-kubernetes-list-map-keys'] ?? [];
      const itemId = s.items ? this.resolve(s.items).id : undefined;
      return { kind: 'list', listType, keys, items: s.items, keyDefaults: (itemId && KEY_DEFAULTS[itemId]) || {} };
    }
    if (s.properties) {
      return {
        kind: 'struct',
        fields: s.properties,
        atomic: atomicMap || (id !== undefined && ATOMIC_STRUCTS.has(id)),
        open: !!s['x-kubernetes-preserve-unknown-fields'],
      };
    }
    if (s['x-kubernetes-preserve-unknown-fields']) return UNTYPED;
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return { kind: 'map', values: s.additionalProperties, atomic: atomicMap };
    if (s.type === 'object') return UNTYPED;
    return s.type ? SCALAR : UNTYPED;
  }

  private resolve(schema: SchemaObject): { s: SchemaObject | undefined; id: string | undefined } {
    let s: SchemaObject | undefined = schema;
    let id: string | undefined;
    for (let depth = 0; s && depth < 16; depth++) {
      if (s.$ref) {
        id = idOfRef(s.$ref);
        s = this.schemas.get(id);
      } else if (s.allOf?.length === 1 && !s.properties && !s.type) s = s.allOf[0];
      else break;
    }
    return { s, id };
  }

  /** the schema of a struct field or map value; undefined means untyped */
  fieldSchema(node: SchemaNode, name: string): SchemaObject | undefined {
    if (node.kind === 'struct') return node.fields[name];
    if (node.kind === 'map') return node.values;
    return undefined;
  }

  /** whether `name` is a declared struct field (kube's "named field") */
  isNamedField(node: SchemaNode, name: string): boolean {
    return node.kind === 'struct' && name in node.fields;
  }
}
