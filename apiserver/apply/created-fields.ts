/**
 * The managedFields entry of a create, in one walk over the new object. kube computes it as
 * compare(zero object → new object) → added ∪ modified (minus removed) → stripMeta → minus
 * the endpoint's reset fields → FieldsV1 (managed-fields.ts recordUpdate does exactly that,
 * building three field sets on the way). This file mirrors compare.ts node for node, but
 * keeps only what the creator owns and writes FieldsV1 straight from the walk, which is
 * what makes creates cheap. Its output must stay byte-for-byte the slow path's:
 * created-fields.test.ts compares the two on many objects.
 *
 * Anything the mirror does not model exactly makes it give up (NOT_FAST) and the caller
 * runs the slow path: values a JSON round trip would change (undefined, NaN, class
 * instances), keys that exist on Object.prototype (compare.ts's `{}[key]` lookups see them),
 * reset fields other than top-level fields, and any error (bad list keys and the like).
 */
import type { FieldSet } from './field-set.js';
import type { FieldsV1 } from './fields-v1.js';
import { shapeOf } from './fields-of.js';
import { isObject, jsonEqual, type Json, type JsonObject } from './json-value.js';
import { indexItems } from './list-items.js';
import { comparePE, fieldPE, type PathElement } from './path-element.js';
import type { ApplySchema, SchemaNode } from './schema-node.js';

export const NOT_FAST = Symbol('not-fast');

/** what the creator owns at one path: the path itself (`self`) and/or paths below it */
interface Owned {
  self: boolean;
  kids: Kid[];
}
interface Kid {
  pe: PathElement;
  key: string;
  owned: Owned;
}

class NotFast extends Error {}

const LEAF: Owned = { self: true, kids: [] };
const PROTO_KEYS: Record<string, unknown> = {};

// stripMeta's server-owned members (strip-meta.ts), as exact members only
const SERVER_ROOT = new Set(['apiVersion', 'kind', 'metadata']);
const SERVER_META = new Set(['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']);

/**
 * The creator's FieldsV1 (undefined when it owns nothing), or NOT_FAST. `next` is the
 * object as stored, `zero` the kind's zero object (zero-object.ts); managedFields under
 * metadata is ignored, as the slow path deletes it first.
 */
export function createdFieldsV1(schema: ApplySchema, zero: JsonObject, next: JsonObject, ignored: FieldSet | undefined): FieldsV1 | undefined | typeof NOT_FAST {
  const skip = topLevelFields(ignored);
  if (skip === NOT_FAST) return NOT_FAST;
  try {
    return rootFields(schema, zero, next, skip);
  } catch {
    return NOT_FAST;
  }
}

/** the reset fields as top-level field names; NOT_FAST for any other form */
function topLevelFields(ignored: FieldSet | undefined): Set<string> | typeof NOT_FAST {
  const out = new Set<string>();
  if (!ignored) return out;
  for (const path of ignored.paths()) {
    const pe = path[0]!;
    if (path.length !== 1 || pe.kind !== 'field') return NOT_FAST;
    out.add(pe.name);
  }
  return out;
}

function rootFields(schema: ApplySchema, zero: JsonObject, next: JsonObject, skip: Set<string>): FieldsV1 | undefined {
  const root = schema.root();
  if (shapeOf(root, next) !== 'map') throw new NotFast();
  const kids: Kid[] = [];
  for (const key of unionKeys(zero, next)) {
    if (skip.has(key)) continue;
    let owned = visit(schema, schema.node(schema.fieldSchema(root, key)), zero[key], valueAt(next, key), key === 'metadata');
    if (owned && SERVER_ROOT.has(key)) owned = notSelf(owned);
    if (owned) kids.push({ pe: fieldPE(key), key: `f:${key}`, owned });
  }
  return kids.length ? toV1(kids) : undefined;
}

const notSelf = (o: Owned): Owned | undefined => (o.kids.length ? { self: false, kids: o.kids } : undefined);

const isEmptyContainer = (v: Json | undefined, shape: 'map' | 'list'): boolean =>
  shape === 'map' ? !isObject(v) || Object.keys(v).length === 0 : !Array.isArray(v) || v.length === 0;

/** compare.ts visit(), keeping added and modified paths; `meta` marks the object's metadata */
function visit(schema: ApplySchema, node: SchemaNode, l: Json | undefined, r: Json | undefined, meta = false): Owned | undefined {
  let shape = shapeOf(node, r === undefined ? l : r);
  if (node.kind === 'untyped' && shape === 'map' && l !== undefined && !isObject(l)) shape = 'leaf';
  if (shape !== 'leaf' && isEmptyContainer(l, shape) && isEmptyContainer(r, shape)) shape = 'leaf';
  if (shape === 'leaf') {
    if (l === undefined) return LEAF;
    if (r === undefined) return undefined;
    return jsonEqual(l, r) ? undefined : LEAF;
  }
  const kids: Kid[] = [];
  if (shape === 'list' && node.kind === 'list') {
    const itemNode = schema.node(node.items);
    const left = indexItems(node, Array.isArray(l) ? l : undefined);
    const right = indexItems(node, Array.isArray(r) ? checkedItems(r) : undefined);
    const rightByKey = new Map(right.map((e) => [e.key, e]));
    const leftKeys = new Set<string>();
    for (const e of left) {
      leftKeys.add(e.key);
      const owned = visit(schema, itemNode, e.item, rightByKey.get(e.key)?.item);
      if (owned) kids.push({ pe: e.pe, key: e.key, owned });
    }
    for (const e of right) {
      if (leftKeys.has(e.key)) continue;
      const owned = visit(schema, itemNode, undefined, e.item);
      if (owned) kids.push({ pe: e.pe, key: e.key, owned });
    }
  } else {
    const lm = isObject(l) ? l : {};
    const rm = isObject(r) ? r : {};
    for (const key of unionKeys(lm, rm)) {
      if (meta && key === 'managedFields') continue;
      let owned = visit(schema, schema.node(schema.fieldSchema(node, key)), lm[key], valueAt(rm, key));
      if (owned && meta && SERVER_META.has(key)) owned = notSelf(owned);
      if (owned) kids.push({ pe: fieldPE(key), key: `f:${key}`, owned });
    }
  }
  const self = l === undefined;
  if (!self && !kids.length) return undefined;
  return { self, kids };
}

/** compare.ts's key order and lookups, refusing keys that Object.prototype answers for */
function unionKeys(l: JsonObject, r: JsonObject): string[] {
  const keys = Object.keys(l);
  const rKeys = Object.keys(r);
  if (keys.length) {
    const seen = new Set(keys);
    for (const k of rKeys) if (!seen.has(k)) keys.push(k);
  } else keys.push(...rKeys);
  for (const k of keys) if (k in PROTO_KEYS) throw new NotFast();
  return keys;
}

/** a property of the new object, refused when a JSON round trip would change it */
function valueAt(o: JsonObject, key: string): Json | undefined {
  const v = o[key];
  if (v === undefined) {
    if (Object.prototype.hasOwnProperty.call(o, key)) throw new NotFast();
    return undefined;
  }
  return checked(v);
}

function checked(v: Json): Json {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw new NotFast();
      return v;
    case 'object': {
      if (v === null || Array.isArray(v)) return v;
      const proto = Object.getPrototypeOf(v) as unknown;
      if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v) throw new NotFast();
      return v;
    }
    default:
      throw new NotFast();
  }
}

/** list items as JSON would carry them: no holes, no undefined, nothing that would change */
function checkedItems(list: Json[]): Json[] {
  for (let i = 0; i < list.length; i++) {
    if (list[i] === undefined) throw new NotFast();
    checked(list[i]!);
  }
  return list;
}

/** FieldsV1 of one level, in kube's element order (fields-v1.ts contents()) */
function toV1(kids: Kid[], self = false): FieldsV1 {
  if (kids.length > 1) kids.sort(byPE);
  const out: FieldsV1 = {};
  if (self) out['.'] = {};
  for (const { key, owned } of kids) out[key] = owned.kids.length ? toV1(owned.kids, owned.self) : {};
  return out;
}

const byPE = (a: Kid, b: Kid): number => comparePE(a.pe, b.pe);
