/**
 * How the items of a granular list are named in field paths: a set-type list by the item's
 * value, a map-type list by its key fields (a missing key field takes its schema default, as
 * protocol: TCP for ports; with no default the item is invalid, as in kube).
 */
import { isObject, type Json } from './json-value.js';
import { indexPE, keyPE, serializePE as peKey, valuePE, type PathElement } from './path-element.js';
import type { SchemaNode } from './schema-node.js';

type ListNode = Extract<SchemaNode, { kind: 'list' }>;

export class ListItemError extends Error {}

export function listItemPE(node: ListNode, index: number, item: Json): PathElement {
  if (node.listType === 'set') {
    if (item !== null && typeof item === 'object') throw new ListItemError(`element ${index}: associative list without keys has an element that's a map type`);
    return valuePE(item);
  }
  if (node.listType === 'map') {
    if (!isObject(item)) throw new ListItemError(`element ${index}: associative list with keys has an element that's not a map type`);
    const key: Record<string, Json> = {};
    for (const name of node.keys) {
      const v = item[name] ?? node.keyDefaults[name];
      if (v === undefined) throw new ListItemError(`element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(name)} (and doesn't have default value)`);
      key[name] = v;
    }
    return keyPE(key);
  }
  return indexPE(index);
}

/** the items of a list with their path elements; later duplicates are dropped */
export function indexItems(node: ListNode, list: Json[] | undefined): Array<{ pe: PathElement; key: string; item: Json }> {
  const out: Array<{ pe: PathElement; key: string; item: Json }> = [];
  const seen = new Set<string>();
  (list ?? []).forEach((item, i) => {
    const pe = listItemPE(node, i, item);
    const key = peKey(pe);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ pe, key, item });
  });
  return out;
}
