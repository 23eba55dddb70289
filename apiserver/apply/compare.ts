/**
 * What changed between two versions of an object, as field sets (kube's typed Compare):
 *   added     leaves, items and containers the new object has and the old one lacks
 *   modified  leaves (and atomic values) present in both with different values
 *   removed   leaves, items and containers the old object has and the new one lacks
 * A container (struct, map, list) counts as added or removed itself only when it appears or
 * disappears; that is what makes kube write ".":{} for a map or item created by an update.
 * An empty container on both sides is compared as a leaf, so {} versus absent is a change.
 */
import { FieldSet } from './field-set.js';
import { shapeOf } from './fields-of.js';
import { isObject, jsonEqual, type Json } from './json-value.js';
import { indexItems } from './list-items.js';
import { fieldPE, type PathElement } from './path-element.js';
import type { ApplySchema, SchemaNode } from './schema-node.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareObjects(schema: ApplySchema, oldValue: Json | undefined, newValue: Json | undefined): Comparison {
  const out: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  visit(schema, schema.root(), oldValue, newValue, [], out);
  return out;
}

export const isSame = (c: Comparison): boolean => c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();

const isEmptyContainer = (v: Json | undefined, shape: 'map' | 'list'): boolean =>
  shape === 'map' ? !isObject(v) || Object.keys(v).length === 0 : !Array.isArray(v) || v.length === 0;

function visit(schema: ApplySchema, node: SchemaNode, l: Json | undefined, r: Json | undefined, path: PathElement[], out: Comparison): void {
  let shape = shapeOf(node, r === undefined ? l : r);
  if (node.kind === 'untyped' && shape === 'map' && l !== undefined && !isObject(l)) shape = 'leaf';
  if (shape !== 'leaf' && isEmptyContainer(l, shape) && isEmptyContainer(r, shape)) shape = 'leaf';
  if (shape === 'leaf') {
    if (l === undefined) out.added.insert(path);
    else if (r === undefined) out.removed.insert(path);
    else if (!jsonEqual(l, r)) out.modified.insert(path);
    return;
  }
  if (shape === 'list' && node.kind === 'list') {
    const itemNode = schema.node(node.items);
    const left = new Map(indexItems(node, Array.isArray(l) ? l : undefined).map((e) => [e.key, e]));
    const right = new Map(indexItems(node, Array.isArray(r) ? r : undefined).map((e) => [e.key, e]));
    for (const [key, e] of left) visit(schema, itemNode, e.item, right.get(key)?.item, [...path, e.pe], out);
    for (const [key, e] of right) if (!left.has(key)) visit(schema, itemNode, undefined, e.item, [...path, e.pe], out);
  } else {
    const lm = isObject(l) ? l : {};
    const rm = isObject(r) ? r : {};
    for (const key of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
      visit(schema, schema.node(schema.fieldSchema(node, key)), lm[key], rm[key], [...path, fieldPE(key)], out);
    }
  }
  if (l === undefined) out.added.insert(path);
  else if (r === undefined) out.removed.insert(path);
}
