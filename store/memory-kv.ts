/** OrderedKv in memory (a B+ tree): the `memory` backend; nothing survives close. */
import { BTree } from './btree.js';
import { compareKeys } from './keys.js';
import type { KvRange, KvWrite, OrderedKv } from './ordered-kv.js';

export function openMemoryKv(): OrderedKv {
  const tree = new BTree<string, Uint8Array>(undefined, compareKeys);
  const within = (k: string, r: KvRange) =>
    (r.gte === undefined || k >= r.gte) &&
    (r.gt === undefined || k > r.gt) &&
    (r.lt === undefined || k < r.lt) &&
    (r.lte === undefined || k <= r.lte);
  return {
    async write(batch: KvWrite[]): Promise<void> {
      for (const w of batch) {
        if (w.type === 'put') tree.set(w.key, w.value);
        else tree.delete(w.key);
      }
    },
    async get(key: string): Promise<Uint8Array | undefined> {
      return tree.get(key);
    },
    async *iterate(range: KvRange): AsyncIterable<[string, Uint8Array]> {
      // Snapshot first: writes may interleave with a consumer that awaits between entries.
      const out: [string, Uint8Array][] = [];
      const limit = range.limit ?? Infinity;
      if (!range.reverse) {
        for (const [k, v] of tree.entries(range.gte ?? range.gt)) {
          if (out.length >= limit) break;
          if ((range.lt !== undefined && k >= range.lt) || (range.lte !== undefined && k > range.lte)) break;
          if (within(k, range)) out.push([k, v]);
        }
      } else {
        for (const [k, v] of tree.entriesReversed(range.lte ?? range.lt)) {
          if (out.length >= limit) break;
          if ((range.gte !== undefined && k < range.gte) || (range.gt !== undefined && k <= range.gt)) break;
          if (within(k, range)) out.push([k, v]);
        }
      }
      yield* out;
    },
    async close(): Promise<void> {
      tree.clear();
    },
  };
}
