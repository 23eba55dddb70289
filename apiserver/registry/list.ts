/**
 * Lists: a consistent read of one collection at one store revision, filtered by
 * selectors, in pages. A page ends at `limit` matching objects; the next page starts
 * after the last key examined and reads at the same revision (kube's continue token
 * carries both), so pages never overlap or skip, whatever is written meanwhile.
 */
import type { Store } from '../../store/types.js';
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { decodeObject } from './object-codec.js';
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

export interface ListPage {
  items: KubeObject[];
  revision: number;
  /** where the next page starts, when there is one */
  next?: { key: string; revision: number };
  /** objects after this page (only when no selector filters them, like kube) */
  remainingItemCount?: number;
}

const CHUNK = 500;

export async function listObjects(store: Store, def: ResourceDef, namespace: string, q: ListQuery): Promise<ListPage> {
  const range = collectionRange(storageOf(def), namespace);
  const limit = q.limit && q.limit > 0 ? q.limit : 0;
  let start = q.from?.key ?? range.key;
  let revision = q.from?.revision ?? q.revision;
  const items: KubeObject[] = [];
  const convert = (o: KubeObject) => (def.fromStorage ? def.fromStorage(o) : o);
  try {
    for (;;) {
      const want = limit ? (q.matches ? Math.max(limit - items.length, CHUNK) : limit - items.length) : 0;
      const r = await store.range(start, range.rangeEnd, { ...(revision ? { revision } : {}), limit: want });
      revision = r.revision;
      for (let i = 0; i < r.kvs.length; i++) {
        const kv = r.kvs[i]!;
        const obj = convert(decodeObject(kv));
        if (q.matches && !q.matches(obj)) continue;
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
