/**
 * Kube's strategic merge patch (application/strategic-merge-patch+json), applied the way
 * kube-apiserver does (strategicpatch.StrategicMergeMapPatch with MergeParallelList and
 * IgnoreUnmatchedNulls), with the patch facts taken from the OpenAPI schemas:
 *
 * - maps merge key by key; `null` deletes a key; a value of another type replaces;
 * - lists whose field has patch strategy `merge` merge: lists of maps by the merge key
 *   (matching items merge recursively, new ones are added), primitive lists as a union;
 *   every other list is replaced whole (see element-order.ts for the resulting order);
 * - the directives of smp-directives.ts; an unknown `$patch` value is an error;
 * - a value the live object lacks is taken from the patch with its directives applied and
 *   its nulls dropped (kube stores it raw and lets decoding drop them; the result is the same).
 *
 * Fields without a schema (preserve-unknown-fields, unknown kinds) merge as maps, lists replaced.
 * The live object is not modified.
 */
import type { SchemaLookup } from '../schema/schema-registry.js';
import { identityFor, noMergeKey, normalizeElementOrder, partitionByPresence, requireMergeKey, goTypeName } from './element-order.js';
import { PatchError } from './errors.js';
import { deepClone, goFormat, isJsonObject, own, setOwn, type Json, type JsonObject } from './json.js';
import { PatchSchema, type Schema } from './patch-schema.js';
import {
  DELETE_FROM_PRIMITIVE_LIST,
  DIRECTIVE,
  SET_ELEMENT_ORDER,
  applyRetainKeys,
  checkSetElementOrder,
  listKeyOf,
  unknownPatchType,
} from './smp-directives.js';

export interface StrategicMergeOptions {
  schemas: SchemaLookup;
  /** the kind's root schema id (SchemaRegistry.idOf(gvk)); without it the patch merges schemaless */
  rootId?: string;
}

/** Apply a strategic merge patch body to `doc`. */
export function applyStrategicMergePatch(doc: Json, patch: unknown, options: StrategicMergeOptions): JsonObject {
  if (!isJsonObject(patch)) throw new PatchError('invalid-patch', 'invalid JSON document');
  const merger = new StrategicMerger(new PatchSchema(options.schemas));
  const original = isJsonObject(doc) ? deepClone(doc) : {};
  return merger.mergeMap(original, deepClone(patch), merger.schema.root(options.rootId));
}

const kindOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'map' : 'scalar');

const badArgType = (want: 'map' | 'list', got: Json) =>
  new PatchError('server-error', `expected a ${want === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(got)}`);

class StrategicMerger {
  constructor(readonly schema: PatchSchema) {}

  /** merge `patch` into `original` (both owned: they are modified) */
  mergeMap(original: JsonObject, patch: JsonObject, schema: Schema): JsonObject {
    if (DIRECTIVE in patch) {
      const directive = patch[DIRECTIVE]!;
      if (directive === 'delete') return {};
      if (directive !== 'replace') throw unknownPatchType(directive, patch);
      delete patch[DIRECTIVE];
      return this.mergeMap({}, patch, schema);
    }
    applyRetainKeys(original, patch);
    this.applyElementOrders(original, patch, schema);
    for (const [rawKey, value] of Object.entries(patch)) {
      if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        this.deleteFromPrimitiveList(original, listKeyOf(rawKey, DELETE_FROM_PRIMITIVE_LIST), value);
        continue;
      }
      if (value === null) {
        delete original[rawKey];
        continue;
      }
      setOwn(original, rawKey, this.mergeValue(own(original, rawKey), value, this.schema.field(schema, rawKey)));
    }
    return original;
  }

  /** the merged value of one field: `property` is its (unresolved) schema */
  private mergeValue(current: Json | undefined, value: Json, property: Schema): Json {
    if (current === undefined || kindOf(current) !== kindOf(value)) return this.fresh(value, property);
    const meta = this.schema.meta(property);
    if (isJsonObject(current) && isJsonObject(value)) {
      return meta.strategy === 'replace' ? this.fresh(value, property) : this.mergeMap(current, value, property);
    }
    if (Array.isArray(current) && Array.isArray(value)) {
      return meta.strategy === 'merge' ? this.mergeList(current, value, this.schema.items(property), meta.mergeKey) : this.fresh(value, property);
    }
    return value;
  }

  /** a patch value with nothing to merge into: directives applied, nulls dropped */
  private fresh(value: Json, property: Schema): Json {
    if (isJsonObject(value)) return this.mergeMap({}, value, property);
    if (!Array.isArray(value)) return value;
    const items = this.schema.items(property);
    // with nothing to merge into, a merge list's `$patch` items have nothing to act on; kube
    // does not ask new items for their merge key here (validation reports it instead)
    const kept = this.schema.meta(property).strategy === 'merge' ? value.filter((item) => !(isJsonObject(item) && DIRECTIVE in item)) : value;
    return kept.map((item) => (isJsonObject(item) ? this.mergeMap({}, item, items) : item));
  }

  private deleteFromPrimitiveList(original: JsonObject, key: string, values: Json): void {
    // the directive's own shape is checked first, even when there is nothing to delete from
    if (!Array.isArray(values)) throw badArgType('list', values);
    const current = original[key];
    if (current === undefined) return;
    if (!Array.isArray(current)) throw badArgType('list', current);
    original[key] = current.filter((x) => !values.includes(x));
  }

  /** a list with patch strategy merge */
  private mergeList(original: Json[], patch: Json[], items: Schema, mergeKey: string): Json[] {
    if (!original.length && !patch.length) return original;
    const kind = elementKind(original, patch);
    const id = identityFor(kind === 'map' ? mergeKey : '');
    if (kind !== 'map') {
      const merged = [...original];
      for (const v of patch) if (!merged.includes(v)) merged.push(v);
      const [named, serverOnly] = partitionByPresence(merged, patch, id);
      return normalizeElementOrder(named, serverOnly, patch, original, id);
    }
    if (!mergeKey) throw new PatchError('server-error', 'cannot merge lists without merge key for type map');
    const { remaining, additions } = this.applyListDirectives(original, patch, mergeKey, items);
    const merged = [...remaining];
    for (const item of additions) {
      const value = (item as JsonObject)[mergeKey];
      if (value === undefined) throw noMergeKey(item, mergeKey);
      const at = merged.findIndex((x) => {
        if (!isJsonObject(x)) throw new PatchError('server-error', `value for key ${merged.indexOf(x)} is not a map.`);
        return x[mergeKey] === value;
      });
      if (at >= 0) merged[at] = this.mergeMap(merged[at] as JsonObject, item as JsonObject, items);
      else merged.push(this.mergeMap({}, item as JsonObject, items));
    }
    const [named, serverOnly] = partitionByPresence(merged, additions, id);
    requireMergeKey(mergeKey, named, additions, serverOnly, remaining);
    return normalizeElementOrder(named, serverOnly, additions, remaining, id);
  }

  /**
   * `$patch` items of a list of maps: deletions remove matching live items, `replace` makes the
   * other patch items the whole list. Returns the live items left and the patch items to merge.
   */
  private applyListDirectives(original: Json[], patch: Json[], mergeKey: string, items: Schema): { remaining: Json[]; additions: Json[] } {
    let remaining = original;
    const additions: Json[] = [];
    let replace = false;
    for (const item of patch) {
      const obj = item as JsonObject;
      if (!(DIRECTIVE in obj)) {
        additions.push(item);
        continue;
      }
      const directive = obj[DIRECTIVE]!;
      if (directive === 'delete') {
        if (!(mergeKey in obj)) throw noMergeKey(obj, mergeKey);
        remaining = remaining.filter((x) => !(isJsonObject(x) && x[mergeKey] === obj[mergeKey]));
      } else if (directive === 'replace') replace = true;
      else if (directive === 'merge') throw new PatchError('server-error', 'merging lists cannot yet be specified in the patch');
      else throw unknownPatchType(directive, obj);
    }
    if (replace) return { remaining: additions.map((x) => this.mergeMap({}, x as JsonObject, items)), additions: [] };
    return { remaining, additions };
  }

  /** `$setElementOrder/<list>`: merge that list now and put it in the given order */
  private applyElementOrders(original: JsonObject, patch: JsonObject, schema: Schema): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
      const order = patch[key]!;
      delete patch[key];
      const listKey = listKeyOf(key, SET_ELEMENT_ORDER);
      if (!Array.isArray(order)) throw badArgType('list', order);
      const live = original[listKey];
      const patched = patch[listKey];
      if (live !== undefined && !Array.isArray(live)) throw badArgType('list', live);
      if (patched !== undefined && !Array.isArray(patched)) throw badArgType('list', patched);
      if (live === undefined && patched === undefined) continue;
      const property = this.schema.field(schema, listKey);
      const { strategy, mergeKey } = this.schema.meta(property);
      const id = identityFor(mergeKey);
      checkSetElementOrder(patched ?? [], order, mergeKey, id);
      let merged: Json[];
      if (patched === undefined) merged = live!;
      else if (strategy === 'merge') merged = this.mergeList(live ?? [], patched, this.schema.items(property), mergeKey);
      else merged = this.fresh(patched, property) as Json[];
      delete patch[listKey];
      if (mergeKey) requireMergeKey(mergeKey, merged, order);
      const [named, serverOnly] = partitionByPresence(merged, order, id);
      original[listKey] = normalizeElementOrder(named, serverOnly, order, live ?? [], id);
    }
  }
}

/** all items of both lists must be of one kind, and lists of lists are refused */
function elementKind(...lists: Json[][]): string {
  let kind: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const k = kindOf(item);
      if (k === 'list') throw new PatchError('unapplicable', 'lists of lists are not supported');
      const detailed = k === 'scalar' ? typeof item : k;
      if (kind === undefined) kind = detailed;
      else if (kind !== detailed) throw new PatchError('server-error', `list element types are not identical: ${goFormat(lists)}`);
    }
  }
  return kind === 'map' ? 'map' : 'scalar';
}
