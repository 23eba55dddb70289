/**
 * Removing fields from an object by field set (kube's RemoveItems), used to prune what an
 * applier stopped specifying. A member of the set removes the whole field or item at that
 * path; a prefix descends into it. Containers left empty by a removal are dropped.
 *
 * namedFieldsAsMembers makes every struct field on a path a member too (kube's
 * EnsureNamedFieldsAreMembers), so pruning can drop a struct such as securityContext once
 * nothing below it is owned, instead of leaving `securityContext: {}` behind.
 */
import { FieldSet } from './field-set.js';
import { shapeOf } from './fields-of.js';
import { isObject, type Json, type JsonObject } from './json-value.js';
import { indexItems } from './list-items.js';
import { fieldPE } from './path-element.js';
import type { ApplySchema, SchemaNode } from './schema-node.js';

export function removeItems(schema: ApplySchema, value: Json, remove: FieldSet): Json | undefined {
  return removeAt(schema, schema.root(), value, remove);
}

function removeAt(schema: ApplySchema, node: SchemaNode, value: Json, remove: FieldSet): Json | undefined {
  const shape = shapeOf(node, value);
  // atomic lists and maps (typed or deduced) go whole when a path reaches into them
  if (shape === 'leaf') return node.kind === 'scalar' || (node.kind === 'untyped' && !Array.isArray(value)) ? value : undefined;
  if (shape === 'list' && node.kind === 'list') {
    if (!Array.isArray(value) || !value.length) return undefined;
    const itemNode = schema.node(node.items);
    const out: Json[] = [];
    for (const { pe, item } of indexItems(node, value)) {
      if (remove.has([pe])) continue;
      const below = remove.withPrefix(pe);
      const kept = below.isEmpty() ? item : removeAt(schema, itemNode, item, below);
      if (kept !== undefined) out.push(kept);
    }
    return out.length ? out : undefined;
  }
  if (!isObject(value) || !Object.keys(value).length) return undefined;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const pe = fieldPE(key);
    if (remove.has([pe])) continue;
    const below = remove.withPrefix(pe);
    const kept = below.isEmpty() ? child : removeAt(schema, schema.node(schema.fieldSchema(node, key)), child, below);
    if (kept !== undefined && kept !== null) out[key] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}

export function namedFieldsAsMembers(schema: ApplySchema, set: FieldSet): FieldSet {
  const out = new FieldSet();
  copyWithNamedFields(schema, schema.root(), set, out);
  return out;
}

function copyWithNamedFields(schema: ApplySchema, node: SchemaNode, set: FieldSet, out: FieldSet): void {
  for (const pe of set.sortedMembers()) out.insert([pe]);
  for (const [pe, child] of set.sortedChildren()) {
    let childNode: SchemaNode;
    if (pe.kind === 'field') {
      childNode = schema.node(schema.fieldSchema(node, pe.name));
      if (schema.isNamedField(node, pe.name)) out.insert([pe]);
    } else childNode = schema.node(node.kind === 'list' ? node.items : undefined);
    copyWithNamedFields(schema, childNode, child, out.descend(pe));
  }
}
