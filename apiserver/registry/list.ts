/**
 * Lists: a consistent read of one collection at one store revision, filtered by
 * selectors, in pages. A page ends at `limit` matching objects; the next page starts
 * after the last key examined and reads at the same revision (kube's continue token
 * carries both), so pages never overlap or skip, whatever is written meanwhile.
 */
import type { KeyValue, Store } from '../../store/types.js';
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { decodeObject, rawObjectJson } from './object-codec.js';
import { collectionRange, storageOf } from './storage-key.js';
import { fromStoreError } from './store-errors.js';

export interface ListQuery {
  /** true when the object is selected (label and field selectors combined) */
  matches?: (obj: KubeObject) => boolean;
  limit?: number;
  /** continue: the first key of this page and the revision of the first page */
  from?: { key: string; revision: number };
  /** a revision to read at (resourceVersion with resourceVersionMatch=Exact); default the latest */
  revision?: number;
}

export interface ListPage<T = KubeObject> {
  items: T[];
  revision: number;
  /** where the next page starts, when there is one */
  next?: { key: string; revision: number };
  /** objects after this page (only when no selector filters them, like kube) */
  remainingItemCount?: number;
}

const CHUNK = 500;

export function listObjects(store: Store, def: ResourceDef, namespace: string, q: ListQuery): Promise<ListPage> {
  const convert = def.fromStorage;
  return listPage(store, def, namespace, q, convert ? (kv) => convert(decodeObject(kv)) : decodeObject);
}

/**
 * The page as JSON texts of the stored objects (see rawObjectJson): for plain JSON lists
 * of kinds stored as they are served, without selectors.
 */
export function listRawJson(store: Store, def: ResourceDef, namespace: string, q: Omit<ListQuery, 'matches'>): Promise<ListPage<string>> {
  return listPage(store, def, namespace, q, rawObjectJson);
}

async function listPage<T>(store: Store, def: ResourceDef, namespace: string, q: ListQuery, decode: (kv: KeyValue) => T): Promise<ListPage<T>> {
  const range = collectionRange(storageOf(def), namespace);
  const limit = q.limit && q.limit > 0 ? q.limit : 0;
  let start = q.from?.key ?? range.key;
  let revision = q.from?.revision ?? q.revision;
  const items: T[] = [];
  const matches = q.matches as ((obj: T) => boolean) | undefined;
  try {
    for (;;) {
      const want = limit ? (q.matches ? Math.max(limit - items.length, CHUNK) : limit - items.length) : 0;
      const r = await store.range(start, range.rangeEnd, { ...(revision ? { revision } : {}), limit: want });
      revision = r.revision;
      for (let i = 0; i < r.kvs.length; i++) {
        const kv = r.kvs[i]!;
        const obj = decode(kv);
        if (matches && !matches(obj)) continue;
        items.push(obj);
        if (limit && items.length === limit) {
          const moreHere = i < r.kvs.length - 1 || r.more;
          if (!moreHere) return { items, revision };
          const remaining = q.matches ? undefined : r.count - r.kvs.length;
          return { items, revision, next: { key: kv.key + '\0', revision }, ...(remaining !== undefined ? { remainingItemCount: remaining } : {}) };
        }
      }
      if (!r.more) return { items, revision };
      start = r.kvs.at(-1)!.key + '\0';
    }
  } catch (err) {
    throw fromStoreError(err);
  }
}
