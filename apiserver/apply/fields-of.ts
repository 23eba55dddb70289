/**
 * The field set an object (or an applied configuration) specifies, as kube's ToFieldSet:
 * every leaf value; atomic lists and maps as one member; each item of a granular list as a
 * member (and its fields below it); each key of a map as a member. Struct fields are named
 * by their leaves only, so `spec: {replicas: 2}` is spec.replicas, not spec.
 */
import { FieldSet } from './field-set.js';
import { isObject, type Json } from './json-value.js';
import { indexItems } from './list-items.js';
import { fieldPE, type PathElement } from './path-element.js';
import type { ApplySchema, SchemaNode } from './schema-node.js';

export function fieldsOf(schema: ApplySchema, value: Json): FieldSet {
  const set = new FieldSet();
  walk(schema, schema.root(), value, [], set);
  return set;
}

/** the granular form a value takes under a node: a map, a list, or a leaf */
export function shapeOf(node: SchemaNode, value: Json | undefined): 'map' | 'list' | 'leaf' {
  switch (node.kind) {
    case 'struct':
    case 'map':
      return node.atomic ? 'leaf' : 'map';
    case 'list':
      return node.listType === 'atomic' ? 'leaf' : 'list';
    case 'untyped':
      return value === undefined || isObject(value) ? 'map' : 'leaf';
    default:
      return 'leaf';
  }
}

function walk(schema: ApplySchema, node: SchemaNode, value: Json, path: PathElement[], set: FieldSet): void {
  const shape = shapeOf(node, value);
  if (shape === 'leaf') {
    set.insert(path);
    return;
  }
  if (shape === 'list') {
    if (!Array.isArray(value) || node.kind !== 'list') return;
    const itemNode = schema.node(node.items);
    for (const { pe, item } of indexItems(node, value)) {
      walk(schema, itemNode, item, [...path, pe], set);
      set.insert([...path, pe]);
    }
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, fieldPE(key)];
    walk(schema, schema.node(schema.fieldSchema(node, key)), child, childPath, set);
    if (!schema.isNamedField(node, key)) set.insert(childPath);
  }
}
