/**
 * The byte-level storage under the revision log: an ordered map of string keys to
 * bytes with atomic, optionally synced batches. LevelDB is the real one; a B+ tree is
 * the memory one. Keeping both behind this small interface means every line of MVCC
 * layout code (revision-log.ts) runs, and is tested, against both backends.
 */

export type KvWrite = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

export interface KvRange {
  gte?: string;
  gt?: string;
  lt?: string;
  lte?: string;
  reverse?: boolean;
  limit?: number;
}

export interface OrderedKv {
  /** Applies every write or none; with sync, resolves only once it is on stable storage. */
  write(batch: KvWrite[], sync: boolean): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** Entries in key order (or reverse), in chunks. */
  iterate(range: KvRange): AsyncIterable<[string, Uint8Array]>;
  close(): Promise<void>;
}
