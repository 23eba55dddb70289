/**
 * Merging an applied configuration into the live object (kube's typed Merge): leaves and
 * atomic values are taken from the configuration when it has them; maps and structs merge
 * key by key; granular lists merge item by item (sets by value, map lists by key). A null
 * leaf in the configuration clears the field.
 *
 * Item order: the configuration's order for the items it names, with the live object's other
 * items kept where they were relative to them (kube interleaves the same way).
 */
import { shapeOf } from './fields-of.js';
import { isObject, type Json, type JsonObject } from './json-value.js';
import { indexItems } from './list-items.js';
import type { ApplySchema, SchemaNode } from './schema-node.js';

export function mergeObjects(schema: ApplySchema, live: Json | undefined, config: Json): Json | undefined {
  return merge(schema, schema.root(), live, config);
}

function merge(schema: ApplySchema, node: SchemaNode, l: Json | undefined, r: Json | undefined): Json | undefined {
  let shape = shapeOf(node, r === undefined ? l : r);
  if (node.kind === 'untyped' && shape === 'map' && l !== undefined && !isObject(l)) shape = 'leaf';
  const empty = (v: Json | undefined) => (shape === 'list' ? !Array.isArray(v) || !v.length : !isObject(v) || !Object.keys(v).length);
  if (shape === 'leaf' || (empty(l) && empty(r))) {
    const out = r === undefined ? l : r;
    return out === null && node.kind !== 'untyped' ? undefined : out;
  }
  if (shape === 'list' && node.kind === 'list') return mergeList(schema, node, Array.isArray(l) ? l : [], Array.isArray(r) ? r : []);
  const lm = isObject(l) ? l : {};
  const rm = isObject(r) ? r : {};
  const out: JsonObject = {};
  for (const key of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
    const v = merge(schema, schema.node(schema.fieldSchema(node, key)), lm[key], rm[key]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function mergeList(schema: ApplySchema, node: Extract<SchemaNode, { kind: 'list' }>, l: Json[], r: Json[]): Json[] | undefined {
  const itemNode = schema.node(node.items);
  const left = indexItems(node, l);
  const right = indexItems(node, r);
  const leftByKey = new Map(left.map((e) => [e.key, e.item]));
  const rightByKey = new Map(right.map((e) => [e.key, e.item]));
  const out: Json[] = [];
  const push = (key: string) => {
    const v = merge(schema, itemNode, leftByKey.get(key), rightByKey.get(key));
    if (v !== undefined) out.push(v);
  };
  // Live-only items keep their place; items the config names come in the config's order.
  // A shared live item met before its turn is skipped and emitted when the config reaches it.
  const shared = right.filter((e) => leftByKey.has(e.key)).map((e) => e.key);
  let next = 0;
  const emitted = new Set<string>();
  const emit = (key: string) => {
    push(key);
    emitted.add(key);
    if (shared[next] === key) next++;
  };
  let li = 0;
  let ri = 0;
  while (li < left.length || ri < right.length) {
    const lk = left[li]?.key;
    const rk = right[ri]?.key;
    if (lk !== undefined && rk !== undefined) {
      if (lk === rk) {
        emit(lk);
        li++;
        ri++;
        continue;
      }
      if (rightByKey.has(lk) && next < shared.length && shared[next] !== lk) {
        li++;
        continue;
      }
    }
    if (lk !== undefined && (!rightByKey.has(lk) || emitted.has(lk))) {
      if (!emitted.has(lk)) push(lk);
      li++;
      continue;
    }
    if (rk !== undefined) {
      emit(rk);
      ri++;
    } else li++;
  }
  return out.length ? out : undefined;
}
