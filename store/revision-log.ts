/**
 * The durable side of the MVCC store: commits, start-up recovery, reads at old
 * revisions and compaction, all in the layout described in layout.ts, on any OrderedKv.
 * The engine (mvcc-store.ts) serves recent history from memory and comes here only for
 * revisions older than what it holds.
 */
import * as layout from './layout.js';
import type { KvWrite, OrderedKv } from './ordered-kv.js';
import type { KeyValue, WatchEvent } from './types.js';

const EMPTY = new Uint8Array(0);

/** An event as the engine commits it, in order within its batch. */
export interface CommittedEvent {
  type: 'put' | 'delete';
  kv: KeyValue;
}

export interface LeaseWrite {
  type: 'grant' | 'revoke';
  id: number;
  ttlSeconds: number;
}

export interface RecoveredState {
  revision: number;
  compactedRevision: number;
  live: KeyValue[];
  leases: { id: number; ttlSeconds: number }[];
}

export function deletedKv(key: string, revision: number): KeyValue {
  return { key, modRevision: revision, createRevision: 0, version: 0, lease: 0, value: EMPTY };
}

export class RevisionLog {
  constructor(private readonly kv: OrderedKv) {}

  /** Rebuilds the current state: each key's newest version unless it is a tombstone. */
  async recover(): Promise<RecoveredState> {
    const compactedBytes = await this.kv.get(layout.COMPACTED_KEY);
    const compactedRevision = compactedBytes ? layout.decodeNumber(compactedBytes) : 0;
    let revision = Math.max(1, compactedRevision);
    for await (const [stored] of this.kv.iterate({ gte: layout.HISTORY_PREFIX, lt: 'h0', reverse: true, limit: 1 })) {
      revision = Math.max(revision, layout.parseHistoryKey(stored));
    }
    const live: KeyValue[] = [];
    let pending: { key: string; revision: number; bytes: Uint8Array } | undefined;
    const flush = () => {
      if (!pending) return;
      const kv = layout.decodeVersion(pending.key, pending.revision, pending.bytes);
      if (kv) live.push(kv);
    };
    for await (const [stored, bytes] of this.kv.iterate({ gte: layout.KEY_PREFIX, lt: layout.KEY_PREFIX_END })) {
      const { key, revision: rev } = layout.parseVersionKey(stored);
      if (pending && pending.key !== key) flush();
      pending = { key, revision: rev, bytes };
    }
    flush();
    const leases: RecoveredState['leases'] = [];
    for await (const [stored, bytes] of this.kv.iterate({ gte: layout.LEASE_PREFIX, lt: layout.LEASE_PREFIX_END })) {
      leases.push({ id: layout.parseLeaseKey(stored), ttlSeconds: layout.decodeNumber(bytes) });
    }
    return { revision, compactedRevision, live, leases };
  }

  /** One atomic, synced batch for any number of transactions and lease changes. */
  async commit(events: readonly CommittedEvent[], leaseWrites: readonly LeaseWrite[]): Promise<void> {
    const batch: KvWrite[] = [];
    for (const e of events) {
      const value = e.type === 'put' ? layout.encodeVersion(e.kv) : layout.encodeTombstone();
      batch.push({ type: 'put', key: layout.versionKey(e.kv.key, e.kv.modRevision), value });
    }
    const last = events.at(-1);
    if (last) {
      const entries = events.map((e) => ({ revision: e.kv.modRevision, key: e.kv.key }));
      batch.push({ type: 'put', key: layout.historyKey(last.kv.modRevision), value: layout.encodeHistory(entries) });
    }
    for (const l of leaseWrites) {
      if (l.type === 'grant') batch.push({ type: 'put', key: layout.leaseKey(l.id), value: layout.encodeNumber(l.ttlSeconds) });
      else batch.push({ type: 'del', key: layout.leaseKey(l.id) });
    }
    await this.kv.write(batch, true);
  }

  /** Every live key in [key, rangeEnd) as it was at `revision` (see keys.ts for rangeEnd). */
  async rangeAt(key: string, rangeEnd: string | undefined, revision: number): Promise<KeyValue[]> {
    const out: KeyValue[] = [];
    if (rangeEnd === undefined) {
      const kv = await this.versionAt(key, revision);
      if (kv) out.push(kv);
      return out;
    }
    const upper = rangeEnd === '\0' ? layout.KEY_PREFIX_END : layout.KEY_PREFIX + rangeEnd;
    let best: { key: string; revision: number; bytes: Uint8Array } | undefined;
    const flush = () => {
      const kv = best && layout.decodeVersion(best.key, best.revision, best.bytes);
      if (kv) out.push(kv);
      best = undefined;
    };
    let current: string | undefined;
    for await (const [stored, bytes] of this.kv.iterate({ gte: layout.KEY_PREFIX + key, lt: upper })) {
      const v = layout.parseVersionKey(stored);
      // A start key with NUL in it (the page after k starts at k\0) sorts among k's
      // versions: those belong before the range.
      if (v.key < key) continue;
      if (v.key !== current) {
        flush();
        current = v.key;
      }
      // Versions of one key arrive oldest first: the last one at or below `revision` wins.
      if (v.revision <= revision) best = { key: v.key, revision: v.revision, bytes };
    }
    flush();
    return out;
  }

  /** The version of one key current at `revision`, or undefined if it did not exist then. */
  async versionAt(key: string, revision: number): Promise<KeyValue | undefined> {
    const range = { gte: layout.versionKeyFloor(key), lte: layout.versionKey(key, revision), reverse: true, limit: 1 };
    for await (const [stored, bytes] of this.kv.iterate(range)) {
      return layout.decodeVersion(key, layout.parseVersionKey(stored).revision, bytes);
    }
    return undefined;
  }

  /**
   * Events with fromRevision <= revision <= toRevision, in order, in chunks; prevKv
   * looked up only when asked for (it costs one more read per event).
   */
  async *events(fromRevision: number, toRevision: number, withPrevKv: boolean): AsyncIterable<WatchEvent[]> {
    let chunk: WatchEvent[] = [];
    for await (const { revision, key } of this.history(fromRevision, toRevision)) {
      const bytes = await this.kv.get(layout.versionKey(key, revision));
      const kv = bytes && layout.decodeVersion(key, revision, bytes);
      const event: WatchEvent = kv ? { type: 'put', kv } : { type: 'delete', kv: deletedKv(key, revision) };
      if (withPrevKv) {
        const prev = await this.versionAt(key, revision - 1);
        if (prev) event.prevKv = prev;
      }
      chunk.push(event);
      if (chunk.length >= 500) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length) yield chunk;
  }

  /** (revision, key) of every event with fromRevision <= revision <= toRevision, in order. */
  private async *history(fromRevision: number, toRevision: number): AsyncIterable<layout.HistoryEntry> {
    // Batches are named by their last revision: the first one named >= fromRevision
    // holds fromRevision (or the next event after it).
    for await (const [, bytes] of this.kv.iterate({ gte: layout.historyKey(fromRevision), lt: 'h0' })) {
      for (const entry of layout.decodeHistory(bytes)) {
        if (entry.revision > toRevision) return;
        if (entry.revision >= fromRevision) yield entry;
      }
    }
  }

  /**
   * Forgets history at and below `revision`, keeping for each key the version a read
   * at `revision` needs. The compaction point is made durable first, so a crash midway
   * leaves only garbage that no read at or above it can see.
   */
  async compact(previousCompacted: number, revision: number): Promise<void> {
    await this.kv.write([{ type: 'put', key: layout.COMPACTED_KEY, value: layout.encodeNumber(revision) }], true);
    // Only keys written since the last compaction can have superseded versions.
    const touched = new Set<string>();
    for await (const { key } of this.history(previousCompacted + 1, revision)) touched.add(key);
    let batch: KvWrite[] = [];
    const push = async (w: KvWrite) => {
      batch.push(w);
      if (batch.length >= 1000) {
        await this.kv.write(batch, false);
        batch = [];
      }
    };
    for (const key of touched) {
      const versions: [string, Uint8Array][] = [];
      for await (const entry of this.kv.iterate({ gte: layout.versionKeyFloor(key), lte: layout.versionKey(key, revision) })) {
        versions.push(entry);
      }
      const newest = versions.at(-1);
      for (const [stored] of versions.slice(0, -1)) await push({ type: 'del', key: stored });
      if (newest && newest[1][0] !== 1) await push({ type: 'del', key: newest[0] });
    }
    // A batch that straddles the compaction point stays; reads skip its older events.
    for await (const [stored] of this.kv.iterate({ gte: layout.HISTORY_PREFIX, lte: layout.historyKey(revision) })) {
      await push({ type: 'del', key: stored });
    }
    if (batch.length) await this.kv.write(batch, false);
  }

  close(): Promise<void> {
    return this.kv.close();
  }
}
