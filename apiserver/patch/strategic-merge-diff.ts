/**
 * The strategic merge patch that turns `original` into `modified` (kube's
 * CreateTwoWayMergePatch), for clients in this project that patch rather than update:
 *
 * - removed map keys become null; changed scalars and replaced lists are sent whole;
 * - merge lists of maps send changed items (merge key + changed fields), new items whole,
 *   removed ones as {key, $patch: delete}, and `$setElementOrder/<list>` whenever anything
 *   changed, so the server's order is the modified one;
 * - merge lists of primitives send additions, `$deleteFromPrimitiveList/<list>` for removals
 *   and `$setElementOrder/<list>`;
 * - maps whose field has the retainKeys strategy get `$retainKeys` when they change.
 *
 * applyStrategicMergePatch(original, patch) gives back `modified` (see the round-trip tests).
 */
import { identityFor } from './element-order.js';
import { isJsonObject, jsonEqual, type Json, type JsonObject } from './json.js';
import { PatchSchema, type Schema } from './patch-schema.js';
import { DELETE_FROM_PRIMITIVE_LIST, DIRECTIVE, RETAIN_KEYS, SET_ELEMENT_ORDER } from './smp-directives.js';
import type { StrategicMergeOptions } from './strategic-merge-patch.js';

export function createTwoWayMergePatch(original: JsonObject, modified: JsonObject, options: StrategicMergeOptions): JsonObject {
  const schema = new PatchSchema(options.schemas);
  return diffMaps(schema, original, modified, schema.root(options.rootId));
}

function diffMaps(schema: PatchSchema, original: JsonObject, modified: JsonObject, map: Schema): JsonObject {
  const patch: JsonObject = {};
  for (const [key, after] of Object.entries(modified)) {
    const before = original[key];
    const property = schema.field(map, key);
    if (before === undefined) patch[key] = after;
    else if (isJsonObject(before) && isJsonObject(after)) diffNestedMap(schema, patch, key, before, after, property);
    else if (Array.isArray(before) && Array.isArray(after)) diffList(schema, patch, key, before, after, property);
    else if (!jsonEqual(before, after)) patch[key] = after;
  }
  for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  return patch;
}

function diffNestedMap(schema: PatchSchema, patch: JsonObject, key: string, before: JsonObject, after: JsonObject, property: Schema): void {
  if (schema.meta(property).strategy === 'replace') {
    if (!jsonEqual(before, after)) patch[key] = after;
    return;
  }
  const sub = diffMaps(schema, before, after, property);
  if (!Object.keys(sub).length) return;
  const strategy = String(property?.['x-kubernetes-patch-strategy'] ?? schema.resolve(property)?.['x-kubernetes-patch-strategy'] ?? '');
  if (strategy.split(',').includes('retainKeys')) sub[RETAIN_KEYS] = Object.keys(after).sort();
  patch[key] = sub;
}

function diffList(schema: PatchSchema, patch: JsonObject, key: string, before: Json[], after: Json[], property: Schema): void {
  const { strategy, mergeKey } = schema.meta(property);
  if (strategy !== 'merge') {
    if (!jsonEqual(before, after)) patch[key] = after;
    return;
  }
  const maps = [...before, ...after].some(isJsonObject);
  if (maps && mergeKey) diffListOfMaps(schema, patch, key, before, after, property, mergeKey);
  else diffListOfPrimitives(patch, key, before, after);
}

function diffListOfMaps(schema: PatchSchema, patch: JsonObject, key: string, before: Json[], after: Json[], property: Schema, mergeKey: string): void {
  const id = identityFor(mergeKey);
  const items = schema.items(property);
  const changes: Json[] = [];
  for (const item of after) {
    const old = before.find((x) => id(x) === id(item));
    if (old === undefined) changes.push(item);
    else if (isJsonObject(old) && isJsonObject(item)) {
      const sub = diffMaps(schema, old, item, items);
      if (Object.keys(sub).length) changes.push({ ...sub, [mergeKey]: id(item) });
    }
  }
  const deletions = before.filter((x) => !after.some((y) => id(y) === id(x))).map((x): Json => ({ [mergeKey]: id(x), [DIRECTIVE]: 'delete' }));
  const sameOrder = before.length === after.length && before.every((x, i) => id(x) === id(after[i]!));
  if (!changes.length && !deletions.length && sameOrder) return;
  patch[`${SET_ELEMENT_ORDER}/${key}`] = after.map((x): Json => ({ [mergeKey]: id(x) }));
  if (changes.length || deletions.length) patch[key] = [...changes, ...deletions];
}

function diffListOfPrimitives(patch: JsonObject, key: string, before: Json[], after: Json[]): void {
  if (jsonEqual(before, after)) return;
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  patch[`${SET_ELEMENT_ORDER}/${key}`] = after;
  if (added.length) patch[key] = added;
  if (removed.length) patch[`${DELETE_FROM_PRIMITIVE_LIST}/${key}`] = removed;
}
