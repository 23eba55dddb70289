/**
 * The order of a merged list in strategic merge patch, as kube computes it
 * (strategicpatch normalizeElementOrder / mergeSortedSlice):
 *
 * 1. split the merged items into those named by the patch (or by `$setElementOrder`) and
 *    server-only ones;
 * 2. sort the first group by the patch's order, the second by the live list's order;
 * 3. interleave: a server-only item goes first only when both it and the next patch item are
 *    in the live list and it came earlier there. A patch item that is new to the live list
 *    therefore lands before the remaining server-only items: adding {name: b} to [a] gives
 *    [b, a]. That is kube's behaviour, and why kubectl sends `$setElementOrder`.
 *
 * Items are identified by their merge key's value (maps) or by themselves (primitives).
 */
import { PatchError } from './errors.js';
import { goFormat, isJsonObject, type Json } from './json.js';

export type Identity = (item: Json) => Json;

/** identity by merge key (missing → null, like Go's nil), or the item itself for primitives */
export const identityFor = (mergeKey: string): Identity =>
  mergeKey ? (item) => (isJsonObject(item) ? (item[mergeKey] ?? null) : null) : (item) => item;

const indexIn = (list: readonly Json[], item: Json, id: Identity): number => {
  const want = id(item);
  return list.findIndex((x) => id(x) === want);
};

/** [items named in `by`, the others], each in its original relative order */
export function partitionByPresence(items: readonly Json[], by: readonly Json[], id: Identity): [Json[], Json[]] {
  const named: Json[] = [];
  const others: Json[] = [];
  for (const item of items) (indexIn(by, item, id) >= 0 ? named : others).push(item);
  return [named, others];
}

/** kube refuses to order maps that lack the merge key */
export function requireMergeKey(mergeKey: string, ...lists: ReadonlyArray<readonly Json[]>): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw new PatchError('server-error', `expected a map[string]interface {}, but received a ${goTypeName(item)}`);
      if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
    }
  }
}

export const noMergeKey = (item: Json, mergeKey: string) => new PatchError('server-error', `map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);

export function goTypeName(v: Json): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** stable sort by position in `order`; items `order` lacks keep their places at the end */
function sortByOrder(items: Json[], order: readonly Json[], id: Identity): Json[] {
  const rank = (item: Json) => {
    const i = indexIn(order, item, id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.item);
}

/** the final order of a merged list (steps 2 and 3 above) */
export function normalizeElementOrder(
  patchItems: Json[],
  serverOnly: Json[],
  patchOrder: readonly Json[],
  serverOrder: readonly Json[],
  id: Identity,
): Json[] {
  const right = sortByOrder(patchItems, patchOrder, id);
  const left = sortByOrder(serverOnly, serverOrder, id);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]!);
    else if (i >= left.length) out.push(right[j++]!);
    else {
      const li = indexIn(serverOrder, left[i]!, id);
      const ri = indexIn(serverOrder, right[j]!, id);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}
