/**
 * The store contract, on one screen: etcd v3 semantics without etcd.
 *
 * - One global revision: an integer that starts at 1 and grows by one per committed
 *   write transaction (a transaction that changes nothing does not bump it).
 * - Every key carries createRevision, modRevision, version (1 on creation, +1 per put)
 *   and an optional lease. A deleted key is gone; re-creating it starts a new
 *   generation (version 1, new createRevision).
 * - Reads and watches at past revisions work until those revisions are compacted.
 * - Writes resolve only once they are durable (synced by the backend).
 *
 * Keys are strings without NUL characters; values are bytes. Revisions are JavaScript
 * numbers (exact up to 2^53, which at a million writes a second lasts 285 years).
 * Ranges follow etcd: `rangeEnd` undefined = the single key; `rangeEnd` = '\0' = every
 * key >= key; otherwise the half-open interval [key, rangeEnd). `prefixEnd(p)` gives the
 * rangeEnd that covers every key starting with p. Keys are ordered by UTF-16 code unit,
 * which equals byte order for every character below U+D800 (all Kubernetes keys).
 */

export interface KeyValue {
  key: string;
  value: Uint8Array;
  createRevision: number;
  modRevision: number;
  version: number;
  /** 0 = no lease */
  lease: number;
}

export interface RangeOptions {
  /** read at this revision (default: the latest committed one) */
  revision?: number;
  /** at most this many keys (0 or undefined = no limit); `more` tells if some were left */
  limit?: number;
  /** return keys and metadata with empty values */
  keysOnly?: boolean;
  /** return no kvs, only `count` */
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** how many keys the range holds at that revision (ignoring limit) */
  count: number;
  more: boolean;
  /** the revision the range was read at */
  revision: number;
}

export type CompareTarget = 'modRevision' | 'createRevision' | 'version' | 'value' | 'lease';
export type CompareResult = '=' | '!=' | '<' | '>';

/** A missing key compares as modRevision = createRevision = version = lease = 0 and an empty value. */
export interface Compare {
  key: string;
  target: CompareTarget;
  result: CompareResult;
  /** number for revisions/version/lease, bytes for value */
  value: number | Uint8Array;
}

export type Op =
  | { type: 'put'; key: string; value: Uint8Array; lease?: number; prevKv?: boolean }
  | { type: 'delete'; key: string; rangeEnd?: string; prevKv?: boolean }
  | { type: 'range'; key: string; rangeEnd?: string; options?: Omit<RangeOptions, 'revision'> };

export type OpResult =
  | { type: 'put'; prevKv?: KeyValue }
  | { type: 'delete'; deleted: number; prevKvs?: KeyValue[] }
  | { type: 'range'; result: RangeResult };

export interface Txn {
  compare?: Compare[];
  success?: Op[];
  failure?: Op[];
}

export interface TxnResult {
  succeeded: boolean;
  results: OpResult[];
  /** the revision after the transaction (unchanged if it wrote nothing) */
  revision: number;
}

export interface WatchEvent {
  type: 'put' | 'delete';
  /** for deletes: key, modRevision = the delete's revision, empty value */
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchOptions {
  /** range end as in range(); undefined = just the key */
  rangeEnd?: string;
  /** deliver every event with revision >= startRevision (default: only future events) */
  startRevision?: number;
  prevKv?: boolean;
}

/**
 * A watch is an async iterable of event batches (one batch per revision or more).
 * It never blocks writers: a watcher whose unread backlog exceeds the store's bound is
 * cancelled; iteration then throws WatchCancelledError carrying the last revision the
 * consumer was given, so it can resume with startRevision = lastRevision + 1.
 */
export interface Watch extends AsyncIterable<WatchEvent[]> {
  readonly id: number;
  cancel(): void;
}

export interface LeaseGrant {
  id: number;
  ttlSeconds: number;
}

export interface Store {
  range(key: string, rangeEnd?: string, options?: RangeOptions): Promise<RangeResult>;
  txn(txn: Txn): Promise<TxnResult>;
  put(key: string, value: Uint8Array, options?: { lease?: number }): Promise<TxnResult>;
  delete(key: string, rangeEnd?: string): Promise<TxnResult>;
  watch(key: string, options?: WatchOptions): Watch;
  compact(revision: number): Promise<void>;
  grantLease(ttlSeconds: number, id?: number): Promise<LeaseGrant>;
  keepAliveLease(id: number): Promise<LeaseGrant>;
  revokeLease(id: number): Promise<void>;
  /** the latest committed (durable) revision */
  readonly revision: number;
  readonly compactedRevision: number;
  close(): Promise<void>;
}

export function prefixEnd(prefix: string): string {
  // The smallest string greater than every string starting with `prefix`: bump the last
  // code unit; if it is already the maximum, drop it and bump the one before (etcd does
  // this with bytes).
  let p = prefix;
  while (p.length > 0) {
    const last = p.charCodeAt(p.length - 1);
    if (last < 0xffff) return p.slice(0, -1) + String.fromCharCode(last + 1);
    p = p.slice(0, -1);
  }
  return '\0';
}

/** What the store process side can do beyond the etcd contract: testing and operating hooks. */
export interface MvccStore extends Store {
  /** revoke every lease whose deadline (by the injected clock) has passed; returns how many */
  expireLeases(): Promise<number>;
  /** sizes of the in-memory structures, for tests and the lab */
  stats(): StoreStats;
}

export interface StoreStats {
  keys: number;
  /** revisions of history held in memory: [oldest, newest] (oldest > newest when empty) */
  memoryHistory: { oldestRevision: number; newestRevision: number; events: number; bytes: number };
  watchers: number;
  leases: number;
}
