/**
 * RFC 7386 JSON merge patch (application/merge-patch+json), as kube applies it with
 * evanphx/json-patch v4 MergePatch:
 *
 * - objects merge key by key; `null` removes a key; anything else replaces the value;
 * - a value that lands where there was none (or replaces a non-object) has its nulls pruned,
 *   nested object members and array items alike (the library does that; RFC 7386 keeps
 *   array items as they are);
 * - the patch must be a JSON object: null, a scalar or a list is "Invalid JSON Patch" (400).
 */
import { PatchError } from './errors.js';
import { deepClone, isJsonObject, own, setOwn, type Json, type JsonObject } from './json.js';

/** Apply a merge patch body to `doc`; `doc` is not modified. */
export function applyMergePatch(doc: Json, patch: unknown): Json {
  if (!isJsonObject(patch)) throw new PatchError('invalid-patch', 'Invalid JSON Patch');
  if (!isJsonObject(doc)) return pruneNulls(deepClone(patch));
  const out = deepClone(doc);
  mergeInto(out, patch);
  return out;
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = own(doc, key);
    if (isJsonObject(current) && isJsonObject(value)) mergeInto(current, value);
    else setOwn(doc, key, isJsonObject(current) ? deepClone(value) : pruneNulls(deepClone(value)));
  }
}

/** drop null members and null items, all the way down */
function pruneNulls(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(pruneNulls);
  if (!isJsonObject(v)) return v;
  for (const [k, x] of Object.entries(v)) {
    if (x === null) delete v[k];
    else setOwn(v, k, pruneNulls(x));
  }
  return v;
}
