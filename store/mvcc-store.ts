/**
 * The MVCC engine: etcd v3 semantics over a RevisionLog (LevelDB or memory).
 *
 * State, and who may see it:
 *   current          every live key's newest version, including writes not yet durable
 *   latestRevision   the revision of the newest applied write (durable or not)
 *   revision         the newest durable revision: reads, watches and acks stop here
 *   ring             recent events with their previous versions (event-ring.ts)
 *
 * A write transaction is checked, evaluated and applied to `current` synchronously —
 * so the next transaction compares against it, which makes transactions serializable —
 * and then waits in `queued` for group commit. Reads made meanwhile are served at
 * `revision` by undoing the not-yet-durable events, so nothing that could still be lost
 * is ever returned. Group commit: one synced batch is written at a time; everything
 * that arrives while it is written forms the next batch. A transaction that arrives
 * when nothing is being written is flushed on the next turn of the event loop, waiting
 * for nobody.
 * If a batch fails, it and everything queued behind it are undone and rejected.
 *
 * Memory bound: the current state (live keys and values, which the store exists to
 * serve), plus the ring (historyEvents events / historyBytes bytes), plus per watcher at
 * most watchBacklogEvents queued live events (references to ring events), plus the
 * transactions waiting for the batch being written.
 */
import { BTree } from './btree.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import {
  CompactedError,
  FutureRevisionError,
  InvalidRangeError,
  InvalidRequestError,
  LeaseExistsError,
  LeaseNotFoundError,
  PersistError,
  StoreClosedError,
  WatchCancelledError,
} from './errors.js';
import { EventRing, type RingEvent } from './event-ring.js';
import { checkRange, compareKeys, inRange } from './keys.js';
import { LeaseTable, type LeaseEntry } from './lease-table.js';
import { storeDefaults, type StoreHooks, type StoreOptions } from './options.js';
import { deletedKv, type LeaseWrite, type RevisionLog } from './revision-log.js';
import { checkTxn, compareHolds } from './txn-check.js';
import type {
  KeyValue,
  LeaseGrant,
  MvccStore as MvccStoreApi,
  Op,
  OpResult,
  RangeOptions,
  RangeResult,
  StoreStats,
  Txn,
  TxnResult,
  Watch,
  WatchOptions,
} from './types.js';
import { Watcher } from './watcher.js';

/** A transaction or lease change applied in memory and waiting to become durable. */
interface QueuedWrite {
  events: RingEvent[];
  leaseWrites: LeaseWrite[];
  /** runs once durable, before the caller hears back */
  onDurable?: () => void;
  /** runs if the batch failed, after the events are undone */
  onUndo?: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const EMPTY = new Uint8Array(0);

export class MvccStore implements MvccStoreApi {
  private readonly current = new BTree<string, KeyValue>(undefined, compareKeys);
  private readonly ring: EventRing;
  private readonly watchers = new Set<Watcher>();
  private readonly leases = new LeaseTable();
  private readonly pendingGrants = new Set<number>();
  private readonly clock: Clock;
  private readonly backlogLimit: number;
  private latestRevision: number;
  private durableRevision: number;
  private compacted: number;
  private queued: QueuedWrite[] = [];
  private flushing = false;
  private flushScheduled = false;
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  private compaction: Promise<void> = Promise.resolve();
  private nextWatchId = 1;
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(
    private readonly log: RevisionLog,
    revision: number,
    compactedRevision: number,
    private readonly options: StoreOptions & StoreHooks,
  ) {
    this.clock = options.clock ?? systemClock;
    this.latestRevision = this.durableRevision = revision;
    this.compacted = compactedRevision;
    this.backlogLimit = options.watchBacklogEvents ?? storeDefaults.watchBacklogEvents;
    this.ring = new EventRing(
      revision,
      options.historyEvents ?? storeDefaults.historyEvents,
      options.historyBytes ?? storeDefaults.historyBytes,
    );
  }

  static async open(log: RevisionLog, options: StoreOptions & StoreHooks): Promise<MvccStore> {
    const recovered = await log.recover();
    const store = new MvccStore(log, recovered.revision, recovered.compactedRevision, options);
    const now = store.clock.now();
    // Like etcd after a leader change, a recovered lease gets a full TTL again.
    for (const l of recovered.leases) store.leases.grant(l.id, l.ttlSeconds, now);
    for (const kv of recovered.live) {
      store.current.set(kv.key, kv);
      store.leases.move(kv.key, 0, kv.lease);
    }
    store.startTimers();
    return store;
  }

  get revision(): number {
    return this.durableRevision;
  }

  get compactedRevision(): number {
    return this.compacted;
  }

  // ---- reads ----

  async range(key: string, rangeEnd?: string, options: RangeOptions = {}): Promise<RangeResult> {
    this.assertOpen();
    checkRange(key, rangeEnd);
    const revision = this.readRevision(options.revision);
    const all =
      revision >= this.ring.floorRevision
        ? this.rangeInMemory(key, rangeEnd, revision)
        : await this.log.rangeAt(key, rangeEnd, revision);
    return shapeRange(all, revision, options);
  }

  private readRevision(requested: number | undefined): number {
    if (requested === undefined || requested === 0) return this.durableRevision;
    if (!Number.isSafeInteger(requested) || requested < 0) throw new InvalidRequestError(`invalid revision ${requested}`);
    if (requested > this.durableRevision) throw new FutureRevisionError(requested, this.durableRevision);
    if (requested < this.compacted) throw new CompactedError(requested, this.compacted);
    return requested;
  }

  /** The range as it was at `revision`: the current state with newer events undone. */
  private rangeInMemory(key: string, rangeEnd: string | undefined, revision: number): KeyValue[] {
    const undone = new Map<string, KeyValue | undefined>();
    // Newest first, so the last value written per key is its state at `revision`.
    this.ring.forEachNewestFirst(revision, (e) => {
      if (inRange(e.kv.key, key, rangeEnd)) undone.set(e.kv.key, e.prevKv);
    });
    const base: KeyValue[] = [];
    for (const kv of this.currentRange(key, rangeEnd)) if (!undone.has(kv.key)) base.push(kv);
    if (undone.size === 0) return base;
    const restored = [...undone.values()].filter((kv): kv is KeyValue => kv !== undefined);
    restored.sort((a, b) => compareKeys(a.key, b.key));
    return mergeByKey(base, restored);
  }

  private *currentRange(key: string, rangeEnd: string | undefined): Iterable<KeyValue> {
    if (rangeEnd === undefined) {
      const kv = this.current.get(key);
      if (kv) yield kv;
      return;
    }
    for (const [k, kv] of this.current.entries(key)) {
      if (rangeEnd !== '\0' && k >= rangeEnd) return;
      yield kv;
    }
  }

  // ---- writes ----

  put(key: string, value: Uint8Array, options: { lease?: number } = {}): Promise<TxnResult> {
    return this.txn({ success: [{ type: 'put', key, value, ...(options.lease ? { lease: options.lease } : {}) }] });
  }

  delete(key: string, rangeEnd?: string): Promise<TxnResult> {
    return this.txn({ success: [{ type: 'delete', key, ...(rangeEnd !== undefined ? { rangeEnd } : {}) }] });
  }

  async txn(txn: Txn): Promise<TxnResult> {
    this.assertOpen();
    checkTxn(txn);
    const succeeded = (txn.compare ?? []).every((c) => compareHolds(c, this.current.get(c.key)));
    const ops = (succeeded ? txn.success : txn.failure) ?? [];
    for (const op of ops) {
      if (op.type === 'put' && op.lease && !this.leases.get(op.lease)) throw new LeaseNotFoundError(op.lease);
    }
    // Nothing can fail from here on: the transaction is applied whole.
    const revision = this.latestRevision + 1;
    const events: RingEvent[] = [];
    const results = ops.map((op) => this.applyOp(op, revision, events));
    if (events.length > 0) this.latestRevision = revision;
    const result: TxnResult = { succeeded, results, revision: this.latestRevision };
    if (events.length === 0 && this.queued.length === 0 && !this.flushing) return result;
    // Even a read-only transaction waits for the writes it may have seen to be durable.
    await this.enqueue({ events, leaseWrites: [] });
    return result;
  }

  private applyOp(op: Op, revision: number, events: RingEvent[]): OpResult {
    switch (op.type) {
      case 'put': {
        const prev = this.current.get(op.key);
        const kv: KeyValue = {
          key: op.key,
          value: Uint8Array.prototype.slice.call(op.value), // the caller may reuse its buffer
          createRevision: prev ? prev.createRevision : revision,
          modRevision: revision,
          version: prev ? prev.version + 1 : 1,
          lease: op.lease ?? 0,
        };
        this.setCurrent(kv, prev);
        this.record({ type: 'put', kv, prevKv: prev }, events);
        return op.prevKv && prev ? { type: 'put', prevKv: prev } : { type: 'put' };
      }
      case 'delete': {
        const doomed = [...this.currentRange(op.key, op.rangeEnd)];
        for (const prev of doomed) {
          this.deleteCurrent(prev);
          this.record({ type: 'delete', kv: deletedKv(prev.key, revision), prevKv: prev }, events);
        }
        return op.prevKv ? { type: 'delete', deleted: doomed.length, prevKvs: doomed } : { type: 'delete', deleted: doomed.length };
      }
      case 'range': {
        // Reads inside a transaction see the state as of this transaction, own writes included.
        const all = [...this.currentRange(op.key, op.rangeEnd)];
        return { type: 'range', result: shapeRange(all, this.latestRevision, op.options ?? {}) };
      }
    }
  }

  private record(e: RingEvent, events: RingEvent[]): void {
    events.push(e);
    this.ring.push(e);
  }

  private setCurrent(kv: KeyValue, prev: KeyValue | undefined): void {
    this.current.set(kv.key, kv);
    this.leases.move(kv.key, prev?.lease ?? 0, kv.lease);
  }

  private deleteCurrent(prev: KeyValue): void {
    this.current.delete(prev.key);
    this.leases.move(prev.key, prev.lease, 0);
  }

  // ---- group commit ----

  private enqueue(w: Omit<QueuedWrite, 'resolve' | 'reject'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ ...w, resolve, reject });
      if (!this.flushing && !this.flushScheduled) {
        // setImmediate, not a microtask: every caller woken by the previous batch gets to
        // enqueue before this batch closes, so concurrent callers share one fsync.
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.flushing || this.queued.length === 0) return this.notifyDrained();
    this.flushing = true;
    const batch = this.queued;
    this.queued = [];
    const events = batch.flatMap((w) => w.events);
    const leaseWrites = batch.flatMap((w) => w.leaseWrites);
    try {
      if (events.length > 0 || leaseWrites.length > 0) await this.log.commit(events, leaseWrites);
    } catch (err) {
      this.flushing = false;
      this.undo([...batch, ...this.queued.splice(0)], err);
      return this.notifyDrained();
    }
    this.flushing = false;
    this.durableRevision = Math.max(this.durableRevision, events.at(-1)?.kv.modRevision ?? 0);
    for (const w of batch) w.onDurable?.();
    this.publish(events);
    this.ring.trim(this.durableRevision);
    for (const w of batch) w.resolve();
    if (this.queued.length > 0) void this.flush();
    else this.notifyDrained();
  }

  /** Rolls the in-memory state back to the durable revision and fails every write above it. */
  private undo(writes: QueuedWrite[], cause: unknown): void {
    for (const e of this.ring.popAfter(this.durableRevision)) {
      if (e.type === 'put') this.current.delete(e.kv.key);
      if (e.type === 'put') this.leases.move(e.kv.key, e.kv.lease, 0);
      if (e.prevKv) this.setCurrent(e.prevKv, undefined);
    }
    this.latestRevision = this.durableRevision;
    const error = new PersistError(cause);
    for (const w of writes.reverse()) w.onUndo?.();
    for (const w of writes) w.reject(error);
  }

  private notifyDrained(): void {
    if (this.flushing || this.queued.length > 0) return;
    for (const done of this.drainWaiters.splice(0)) done();
  }

  private publish(events: RingEvent[]): void {
    if (this.watchers.size === 0) return;
    for (const e of events) {
      for (const w of this.watchers) if (w.matches(e.kv.key)) w.deliver(e);
    }
  }

  // ---- watches ----

  watch(key: string, options: WatchOptions = {}): Watch {
    checkRange(key, options.rangeEnd);
    const requested = options.startRevision ?? 0;
    if (!Number.isSafeInteger(requested) || requested < 0) throw new InvalidRequestError(`invalid startRevision ${requested}`);
    const startRevision = requested === 0 ? this.durableRevision + 1 : requested;
    const watcher = new Watcher({
      id: this.nextWatchId++,
      key,
      rangeEnd: options.rangeEnd,
      prevKv: options.prevKv ?? false,
      startRevision,
      backlogLimit: this.backlogLimit,
      assertNotCompacted: (revision) => {
        if (revision <= this.compacted) throw new CompactedError(revision, this.compacted);
      },
      onClose: (w) => this.watchers.delete(w),
    });
    if (this.closed) {
      watcher.fail(new StoreClosedError());
      return watcher;
    }
    if (startRevision <= this.compacted) {
      watcher.fail(new CompactedError(startRevision, this.compacted));
      return watcher;
    }
    this.watchers.add(watcher);
    if (startRevision <= this.durableRevision) {
      // History from the log for what memory no longer holds, then from memory; both
      // taken now, in the same synchronous step that registered the watcher for live events.
      const memoryFrom = Math.max(startRevision, this.ring.floorRevision + 1);
      if (startRevision < memoryFrom) {
        watcher.setCold(this.log.events(startRevision, memoryFrom - 1, options.prevKv ?? false), startRevision);
      }
      watcher.seed(this.ring.slice(memoryFrom - 1, this.durableRevision));
    }
    return watcher;
  }

  // ---- compaction ----

  compact(revision: number): Promise<void> {
    this.assertOpen();
    if (!Number.isSafeInteger(revision) || revision < 0) return Promise.reject(new InvalidRequestError(`invalid revision ${revision}`));
    if (revision > this.durableRevision) return Promise.reject(new FutureRevisionError(revision, this.durableRevision));
    if (revision <= this.compacted) return Promise.reject(new CompactedError(revision, this.compacted));
    const previous = this.compacted;
    // In memory first: readers of old history check this after each read (watcher.ts).
    this.compacted = revision;
    this.ring.dropThrough(revision);
    this.compaction = this.compaction.then(() => this.log.compact(previous, revision));
    return this.compaction;
  }

  // ---- leases ----

  async grantLease(ttlSeconds: number, id?: number): Promise<LeaseGrant> {
    this.assertOpen();
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new InvalidRequestError(`lease TTL must be a positive integer, got ${ttlSeconds}`);
    if (id !== undefined && (!Number.isSafeInteger(id) || id <= 0)) throw new InvalidRequestError(`lease id must be a positive integer, got ${id}`);
    const leaseId = id ?? this.freshLeaseId();
    if (this.leases.get(leaseId) || this.pendingGrants.has(leaseId)) throw new LeaseExistsError(leaseId);
    this.pendingGrants.add(leaseId);
    await this.enqueue({
      events: [],
      leaseWrites: [{ type: 'grant', id: leaseId, ttlSeconds }],
      onDurable: () => {
        this.pendingGrants.delete(leaseId);
        this.leases.grant(leaseId, ttlSeconds, this.clock.now());
      },
      onUndo: () => this.pendingGrants.delete(leaseId),
    });
    return { id: leaseId, ttlSeconds };
  }

  private freshLeaseId(): number {
    for (;;) {
      const id = Math.floor(Math.random() * 2 ** 48) + 1;
      if (!this.leases.get(id) && !this.pendingGrants.has(id)) return id;
    }
  }

  async keepAliveLease(id: number): Promise<LeaseGrant> {
    this.assertOpen();
    const lease = this.leases.get(id);
    if (!lease) throw new LeaseNotFoundError(id);
    lease.deadline = this.clock.now() + lease.ttlSeconds * 1000;
    return { id, ttlSeconds: lease.ttlSeconds };
  }

  async revokeLease(id: number): Promise<void> {
    this.assertOpen();
    const lease = this.leases.remove(id);
    if (!lease) throw new LeaseNotFoundError(id);
    const revision = this.latestRevision + 1;
    const events: RingEvent[] = [];
    for (const key of [...lease.keys].sort(compareKeys)) {
      const prev = this.current.get(key);
      if (!prev) continue;
      this.deleteCurrent(prev);
      this.record({ type: 'delete', kv: deletedKv(key, revision), prevKv: prev }, events);
    }
    if (events.length > 0) this.latestRevision = revision;
    await this.enqueue({
      events,
      leaseWrites: [{ type: 'revoke', id, ttlSeconds: lease.ttlSeconds }],
      onUndo: () => this.restoreLease(lease),
    });
  }

  private restoreLease(lease: LeaseEntry): void {
    this.leases.restore(lease);
  }

  async expireLeases(): Promise<number> {
    if (this.closed) return 0;
    const expired = this.leases.expired(this.clock.now());
    await Promise.all(expired.map((id) => this.revokeLease(id).catch((err) => (err instanceof LeaseNotFoundError ? undefined : Promise.reject(err)))));
    return expired.length;
  }

  // ---- lifecycle ----

  private startTimers(): void {
    const onError = this.options.onBackgroundError ?? (() => {});
    const leaseEvery = this.options.leaseCheckIntervalMs ?? storeDefaults.leaseCheckIntervalMs;
    if (leaseEvery > 0) this.timers.push(setInterval(() => void this.expireLeases().catch(onError), leaseEvery).unref());
    const window = this.options.compactionWindowMs ?? storeDefaults.compactionWindowMs;
    if (window > 0) {
      // Like kube-apiserver: each tick compacts to the revision seen one tick ago, so at
      // least `window` of history is always kept.
      let seen = this.durableRevision;
      const tick = () => {
        const target = seen;
        seen = this.durableRevision;
        if (target > this.compacted && !this.closed) void this.compact(target).catch(onError);
      };
      this.timers.push(setInterval(tick, window).unref());
    }
  }

  stats(): StoreStats {
    return {
      keys: this.current.size,
      memoryHistory: {
        oldestRevision: this.ring.floorRevision + 1,
        newestRevision: this.ring.newestRevision,
        events: this.ring.length,
        bytes: this.ring.byteSize,
      },
      watchers: this.watchers.size,
      leases: this.leases.size,
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /** Stops taking requests, waits for queued writes to be durable, ends watches, closes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    if (this.flushing || this.queued.length > 0 || this.flushScheduled) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
    for (const w of [...this.watchers]) w.fail(new WatchCancelledError('closed', w.lastRevision));
    await this.compaction.catch(() => {});
    await this.log.close();
  }
}

/** Applies limit, keysOnly and countOnly to a full, sorted range. */
function shapeRange(all: KeyValue[], revision: number, options: Omit<RangeOptions, 'revision'>): RangeResult {
  const limit = options.limit ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidRangeError(`limit must be a non-negative integer, got ${limit}`);
  const count = all.length;
  if (options.countOnly) return { kvs: [], count, more: false, revision };
  let kvs = limit > 0 && count > limit ? all.slice(0, limit) : all;
  if (options.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: EMPTY }));
  return { kvs, count, more: kvs.length < count, revision };
}

function mergeByKey(a: KeyValue[], b: KeyValue[]): KeyValue[] {
  const out: KeyValue[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.key < b[j]!.key ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
