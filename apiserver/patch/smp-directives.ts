/**
 * Strategic merge patch directives other than list merging itself:
 *
 *   "$patch": "replace" | "delete"        in a map: replace it whole / make it {}
 *   "$patch": "delete"  (+ merge key)     in a merge-list item: remove the matching items
 *   "$patch": "replace"                   in a merge-list item: the list becomes the other items
 *   "$retainKeys": [k…]                   drop the live map's other keys (the patch may only set those)
 *   "$setElementOrder/<list>": [items]    the merged list's order
 *   "$deleteFromPrimitiveList/<list>": [] remove these values from a primitive list
 *
 * Error words are kube's (k8s.io/apimachinery/pkg/util/mergepatch).
 */
import { PatchError } from './errors.js';
import { goFormat, isJsonObject, type Json, type JsonObject } from './json.js';
import { noMergeKey, type Identity } from './element-order.js';

export const DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ELEMENT_ORDER = '$setElementOrder';
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

const BAD_FORMAT: Record<string, string> = {
  [SET_ELEMENT_ORDER]: 'invalid patch format of setElementOrder list',
  [DELETE_FROM_PRIMITIVE_LIST]: 'invalid patch format of primitive list',
  [RETAIN_KEYS]: 'invalid patch format of retainKeys',
};

export const badFormat = (directive: string) => new PatchError('invalid-patch', BAD_FORMAT[directive] ?? `invalid patch format of ${directive}`);

export const unknownPatchType = (value: Json, where: JsonObject) => new PatchError('server-error', `unknown patch type: ${goFormat(value)} in map: ${goFormat(where)}`);

/** "$setElementOrder/containers" → "containers" (the prefix must be followed by '/') */
export function listKeyOf(key: string, directive: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== directive) throw badFormat(directive);
  return key.slice(slash + 1);
}

/**
 * $retainKeys: every key the patch sets must be listed, and the live map keeps only the
 * listed keys (the patch's own directives and nulls are exempt from the check).
 */
export function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const keep = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keep)) throw badFormat(RETAIN_KEYS);
  const listed = (k: string) => keep.includes(k);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!listed(k)) throw badFormat(RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!listed(k)) delete original[k];
}

const isDelete = (item: Json) => isJsonObject(item) && item[DIRECTIVE] === 'delete';
const hasDirective = (item: Json) => isJsonObject(item) && DIRECTIVE in item;

/**
 * The patch list's items (deletions and directive items aside) must appear in the
 * $setElementOrder list, in the same relative order.
 */
export function checkSetElementOrder(patchList: readonly Json[], order: readonly Json[], mergeKey: string, id: Identity): void {
  if (!order.length || !patchList.length) return;
  const items = mergeKey ? patchList.filter((x) => !isDelete(x)) : patchList;
  let p = 0;
  for (let o = 0; p < items.length && o < order.length; o++) {
    while (p < items.length && hasDirective(items[p]!)) p++;
    if (p >= items.length) break;
    if (mergeKey) requireKeys(mergeKey, items[p]!, order[o]!);
    if (id(items[p]!) === id(order[o]!)) p++;
  }
  while (p < items.length && hasDirective(items[p]!)) p++;
  if (p < items.length) {
    throw new PatchError(
      'server-error',
      `The order in patch list:\n${goFormat([...patchList])}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat([...order])}\n`,
    );
  }
}

function requireKeys(mergeKey: string, ...items: Json[]): void {
  for (const item of items) {
    if (!isJsonObject(item) || !(mergeKey in item)) throw noMergeKey(item, mergeKey);
  }
}
