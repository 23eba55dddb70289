/**
 * The store conformance suite: etcd v3 semantics (see types.ts), table-driven, run
 * against every backend by store/conformance.<backend>.test.ts.
 *
 * Every case opens a fresh store (closed in teardown) and runs under two profiles: the
 * default in-memory history, and a tiny one (historyEvents 10) that forces reads and
 * watches at older revisions to come from the backend.
 */
import type { TAP } from 'tap';
import { ManualClock } from './clock.js';
import {
  CompactedError,
  DuplicateKeyError,
  FutureRevisionError,
  InvalidCompareError,
  InvalidKeyError,
  InvalidRangeError,
  LeaseExistsError,
  LeaseNotFoundError,
  StoreClosedError,
  WatchCancelledError,
} from './errors.js';
import type { StoreOptions } from './options.js';
import { prefixEnd } from './types.js';
import type { Compare, KeyValue, MvccStore, Op, Watch, WatchEvent } from './types.js';

/** the `t` a tap test callback receives */
export type Tap = Parameters<Parameters<TAP['test']>[0]>[0];
export type OpenStore = (opts: StoreOptions) => Promise<MvccStore>;

// ---------------------------------------------------------------- helpers

const te = new TextEncoder();
const td = new TextDecoder();
export const bytes = (s: string): Uint8Array => te.encode(s);
export const text = (u: Uint8Array): string => td.decode(u);

export interface PlainKv {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: number;
}
export const plain = (kv: KeyValue): PlainKv => ({
  key: kv.key,
  value: text(kv.value),
  createRevision: kv.createRevision,
  modRevision: kv.modRevision,
  version: kv.version,
  lease: kv.lease,
});

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

function preview(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? `<${x.length} bytes>` : x));
    return s === undefined ? String(v) : s.slice(0, 300);
  } catch {
    return String(v);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorClass<E> = abstract new (...args: any[]) => E;

/**
 * Expect fn() to return a promise that rejects with an instance of cls. A synchronous
 * throw from a promise-returning method is reported as a failure of its own.
 */
export async function rejects<E extends Error>(
  t: Tap,
  fn: () => Promise<unknown>,
  cls: ErrorClass<E>,
  msg: string,
): Promise<E | undefined> {
  let p: Promise<unknown>;
  try {
    p = fn();
  } catch (err) {
    t.fail(`${msg}: threw synchronously (${describe(err)}) instead of rejecting with ${cls.name}`);
    return err instanceof cls ? err : undefined;
  }
  try {
    const v = await p;
    t.fail(`${msg}: expected ${cls.name}, but it resolved with ${preview(v)}`);
    return undefined;
  } catch (err) {
    if (err instanceof cls) {
      t.pass(`${msg}: ${cls.name}`);
      return err;
    }
    t.fail(`${msg}: expected ${cls.name}, got ${describe(err)}`);
    return undefined;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_res, rej) => {
        timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a watch in the background, keeping every event. */
export class Collector {
  readonly events: WatchEvent[] = [];
  readonly batches: WatchEvent[][] = [];
  error: unknown = undefined;
  done = false;
  private wake: (() => void)[] = [];

  constructor(readonly watch: Watch) {
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      for await (const batch of this.watch) {
        this.batches.push(batch);
        this.events.push(...batch);
        this.notify();
      }
    } catch (err) {
      this.error = err;
    } finally {
      this.done = true;
      this.notify();
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  /** wait until pred() holds (true), the watch ends, or the timeout passes (false) */
  async until(pred: () => boolean, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (this.done) return pred();
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((res) => {
        const timer = setTimeout(res, left);
        this.wake.push(() => {
          clearTimeout(timer);
          res();
        });
      });
    }
    return true;
  }

  untilRevision(rev: number, timeoutMs = 5000): Promise<boolean> {
    return this.until(() => this.lastRevision() >= rev, timeoutMs);
  }

  untilDone(timeoutMs = 5000): Promise<boolean> {
    return this.until(() => this.done, timeoutMs);
  }

  lastRevision(): number {
    return this.events.at(-1)?.kv.modRevision ?? 0;
  }

  revisions(): number[] {
    return this.events.map((e) => e.kv.modRevision);
  }

  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`);
  }
}

/** events are in revision order, and no (revision, key) pair is delivered twice */
function checkOrdered(t: Tap, events: WatchEvent[], msg: string): void {
  let prev = 0;
  const seen = new Set<string>();
  let ok = true;
  for (const e of events) {
    const id = `${e.kv.modRevision} ${e.kv.key}`;
    if (e.kv.modRevision < prev || seen.has(id)) {
      ok = false;
      t.fail(`${msg}: event ${e.type} ${id} out of order or duplicated (previous revision ${prev})`);
      break;
    }
    seen.add(id);
    prev = e.kv.modRevision;
  }
  if (ok) t.pass(`${msg}: events ordered, no duplicates`);
}

const range = (a: number, b: number): number[] => Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
const pad = (n: number, w = 3): string => String(n).padStart(w, '0');

async function fill(store: MvccStore, n: number, prefix = 'fill/'): Promise<void> {
  for (let i = 0; i < n; i++) await store.put(`${prefix}${pad(i)}`, bytes(`f${i}`));
}

async function getKv(store: MvccStore, key: string, revision?: number): Promise<PlainKv | undefined> {
  const r = await store.range(key, undefined, revision === undefined ? {} : { revision });
  const kv = r.kvs[0];
  return kv ? plain(kv) : undefined;
}

function keysOf(kvs: KeyValue[]): string[] {
  return kvs.map((kv) => kv.key);
}

// ---------------------------------------------------------------- the cases

export interface Ctx {
  t: Tap;
  store: MvccStore;
  clock: ManualClock;
  opts: StoreOptions;
  /** historyEvents of the profile, if it sets one */
  historyEvents: number | undefined;
  markClosed(): void;
}

export interface Case {
  name: string;
  /** options on top of the profile's (and the suite's base: ManualClock, no timers) */
  opts?: StoreOptions;
  /** open with exactly the profile options, no ManualClock/no timer overrides */
  defaults?: boolean;
  timeoutMs?: number;
  run(c: Ctx): Promise<void>;
}

export const cases: Case[] = [
  {
    name: 'fresh store: revision 1, empty',
    async run({ t, store }) {
      t.equal(store.revision, 1, 'fresh revision is 1');
      t.ok(store.compactedRevision <= 1, `compactedRevision (${store.compactedRevision}) <= 1`);
      const r = await store.range('a', '\0');
      t.same(r.kvs, [], 'no keys');
      t.equal(r.count, 0);
      t.equal(r.more, false);
      t.equal(r.revision, 1);
      const r1 = await store.range('a', '\0', { revision: 1 });
      t.equal(r1.count, 0, 'read at revision 1 works');
      const e = await rejects(t, () => store.range('a', undefined, { revision: 2 }), FutureRevisionError, 'read at revision 2');
      if (e) {
        t.equal(e.requested, 2);
        t.equal(e.currentRevision, 1);
      }
      const st = store.stats();
      t.equal(st.keys, 0, 'stats.keys');
      t.equal(st.watchers, 0, 'stats.watchers');
      t.equal(st.leases, 0, 'stats.leases');
    },
  },

  {
    name: 'default options open, write and close cleanly',
    defaults: true,
    async run({ t, store }) {
      const r = await store.put('k', bytes('v'));
      t.equal(r.revision, 2);
      t.equal((await getKv(store, 'k'))?.value, 'v');
    },
  },

  {
    name: 'put, overwrite, delete, re-create: revision and per-key metadata',
    async run({ t, store }) {
      const p1 = await store.put('k', bytes('v1'));
      t.equal(p1.succeeded, true);
      t.equal(p1.revision, 2, 'first write -> revision 2');
      t.equal(store.revision, 2);
      t.equal(p1.results[0]?.type, 'put');
      t.same(await getKv(store, 'k'), { key: 'k', value: 'v1', createRevision: 2, modRevision: 2, version: 1, lease: 0 });
      const rr = await store.range('k');
      t.equal(rr.count, 1);
      t.equal(rr.more, false);
      t.equal(rr.revision, 2);

      t.equal((await store.put('k', bytes('v2'))).revision, 3);
      t.same(await getKv(store, 'k'), { key: 'k', value: 'v2', createRevision: 2, modRevision: 3, version: 2, lease: 0 });

      t.equal((await store.put('other', bytes('o'))).revision, 4);
      t.equal((await getKv(store, 'k'))?.modRevision, 3, 'writing another key leaves k alone');

      const d = await store.delete('k');
      t.equal(d.revision, 5, 'delete bumps revision');
      const dr = d.results[0];
      t.equal(dr?.type, 'delete');
      if (dr?.type === 'delete') t.equal(dr.deleted, 1, 'deleted 1');
      t.equal(await getKv(store, 'k'), undefined, 'k gone');
      t.equal((await store.range('k')).count, 0);

      t.equal((await store.put('k', bytes('v3'))).revision, 6);
      t.same(
        await getKv(store, 'k'),
        { key: 'k', value: 'v3', createRevision: 6, modRevision: 6, version: 1, lease: 0 },
        're-create starts a new generation',
      );
      t.equal((await store.put('k', bytes('v4'))).revision, 7);
      t.same(await getKv(store, 'k'), { key: 'k', value: 'v4', createRevision: 6, modRevision: 7, version: 2, lease: 0 });
      t.equal(store.stats().keys, 2, 'stats.keys counts live keys');
    },
  },

  {
    name: 'writes that change nothing do not bump the revision',
    async run({ t, store }) {
      await store.put('x', bytes('1'));
      const rev = store.revision;
      const d = await store.delete('missing');
      t.equal(d.revision, rev, 'deleting a missing key');
      const dr = d.results[0];
      if (dr?.type === 'delete') t.equal(dr.deleted, 0);
      t.equal((await store.delete('m/', prefixEnd('m/'))).revision, rev, 'deleting an empty range');
      const f = await store.txn({ compare: [{ key: 'x', target: 'version', result: '=', value: 9 }], success: [{ type: 'put', key: 'x', value: bytes('2') }] });
      t.equal(f.succeeded, false);
      t.same(f.results, [], 'failed compare, no failure ops -> no results');
      t.equal(f.revision, rev, 'failed compare with no failure ops');
      t.equal((await store.txn({})).revision, rev, 'empty txn');
      const e = await store.txn({});
      t.equal(e.succeeded, true, 'empty txn succeeds');
      t.equal((await store.txn({ success: [{ type: 'range', key: 'x' }] })).revision, rev, 'read-only txn');
      t.equal((await store.txn({ success: [{ type: 'delete', key: 'nope' }] })).revision, rev, 'txn deleting a missing key');
      t.equal(store.revision, rev, 'store revision unchanged');
      t.equal((await store.put('x', bytes('3'))).revision, rev + 1, 'next write is +1');
    },
  },

  {
    name: 'range: single key, prefix, from-key, half-open, sorted by key',
    async run({ t, store }) {
      const keys = ['a', 'a/', 'a/b', 'a/b/c', 'a0', 'aa', 'a\u0001', 'b', 'B', 'é', 'ü/x', '日本', 'z', '~'];
      for (const k of [...keys].reverse()) await store.put(k, bytes(`v:${k}`));
      const sorted = [...keys].sort();
      const all = await store.range('0', '\0');
      t.same(keysOf(all.kvs), sorted, "'\\0' range end: every key >= key, in order");
      t.equal(all.count, keys.length);
      t.same(
        all.kvs.map((kv) => text(kv.value)),
        sorted.map((k) => `v:${k}`),
        'values match their keys',
      );
      t.same(keysOf((await store.range('a/', prefixEnd('a/'))).kvs), ['a/', 'a/b', 'a/b/c'], "prefix 'a/' (excludes 'a0' = prefixEnd)");
      t.same(
        keysOf((await store.range('a', prefixEnd('a'))).kvs),
        ['a', 'a\u0001', 'a/', 'a/b', 'a/b/c', 'a0', 'aa'],
        "prefix 'a'",
      );
      t.same(keysOf((await store.range('a', 'a0')).kvs), ['a', 'a\u0001', 'a/', 'a/b', 'a/b/c'], 'half-open [a, a0)');
      t.same(keysOf((await store.range('a')).kvs), ['a'], 'single key does not match longer keys');
      t.same(keysOf((await store.range('a/b/')).kvs), [], 'missing single key');
      t.equal((await store.range('a/b/')).count, 0);
      t.same(keysOf((await store.range('é', '\0')).kvs), ['é', 'ü/x', '日本'], 'non-ASCII from-key');
      t.same(keysOf((await store.range('ü/', prefixEnd('ü/'))).kvs), ['ü/x'], 'non-ASCII prefix');
      t.same(keysOf((await store.range('B', 'a')).kvs), ['B'], 'uppercase sorts before lowercase');
    },
  },

  {
    name: 'range: limit, more, count, keysOnly, countOnly',
    async run({ t, store }) {
      for (let i = 0; i < 10; i++) await store.put(`p/${pad(i, 2)}`, bytes(`value-${i}`));
      await store.put('q', bytes('outside'));
      const end = prefixEnd('p/');
      const l3 = await store.range('p/', end, { limit: 3 });
      t.same(keysOf(l3.kvs), ['p/00', 'p/01', 'p/02'], 'limit 3: first three');
      t.equal(l3.more, true, 'more');
      t.equal(l3.count, 10, 'count ignores limit');
      const l10 = await store.range('p/', end, { limit: 10 });
      t.equal(l10.kvs.length, 10);
      t.equal(l10.more, false, 'limit = count: no more');
      const l0 = await store.range('p/', end, { limit: 0 });
      t.equal(l0.kvs.length, 10, 'limit 0 = no limit');
      t.equal(l0.more, false);
      const l20 = await store.range('p/', end, { limit: 20 });
      t.equal(l20.kvs.length, 10);
      t.equal(l20.more, false);
      const ko = await store.range('p/', end, { keysOnly: true });
      t.equal(ko.kvs.length, 10);
      t.ok(ko.kvs.every((kv) => kv.value.length === 0), 'keysOnly: empty values');
      const k5 = ko.kvs[5];
      t.same(k5 && { ...plain(k5) }, { key: 'p/05', value: '', createRevision: 7, modRevision: 7, version: 1, lease: 0 }, 'keysOnly keeps metadata');
      const co = await store.range('p/', end, { countOnly: true });
      t.same(co.kvs, [], 'countOnly: no kvs');
      t.equal(co.count, 10, 'countOnly: count');
      const ko2 = await store.range('p/', end, { keysOnly: true, limit: 2 });
      t.same(keysOf(ko2.kvs), ['p/00', 'p/01']);
      t.equal(ko2.more, true);
      await rejects(t, () => store.range('p/', end, { limit: -1 }), InvalidRangeError, 'negative limit');
    },
  },

  {
    name: 'range: pagination at one revision while writes continue',
    async run({ t, store }) {
      for (let i = 0; i < 25; i++) await store.put(`p/${pad(i, 2)}`, bytes('v0'));
      const end = prefixEnd('p/');
      const snapshot = (await store.range('p/', end)).kvs.map(plain);
      const first = await store.range('p/', end, { limit: 7 });
      const R = first.revision;
      t.equal(R, store.revision, 'first page read at the current revision');
      t.equal(first.count, 25);
      // the world moves on
      await store.put('p/03', bytes('changed'));
      await store.delete('p/10');
      await store.put('p/99', bytes('new'));
      await store.put('p/005', bytes('inserted'));
      await store.delete('p/20', 'p/23');
      const got = [...first.kvs];
      let more = first.more;
      let pages = 1;
      while (more) {
        const last = got.at(-1);
        if (!last) break;
        const pg = await store.range(last.key + '\0', end, { limit: 7, revision: R });
        t.equal(pg.revision, R, `page ${pages + 1} read at revision ${R}`);
        t.equal(pg.count, 25 - got.length, `page ${pages + 1}: count = keys left at R`);
        got.push(...pg.kvs);
        more = pg.more;
        if (++pages > 10) {
          t.fail('pagination does not terminate');
          break;
        }
      }
      t.equal(pages, 4, '25 keys / 7 per page = 4 pages');
      t.same(got.map(plain), snapshot, 'the pages join to the snapshot at R');
    },
  },

  {
    name: 'range: pagination at one revision, resuming from the last key itself',
    async run({ t, store }) {
      // the same as above without relying on a NUL in the start key: start at the last
      // key of the previous page and drop it
      for (let i = 0; i < 25; i++) await store.put(`p/${pad(i, 2)}`, bytes('v0'));
      const end = prefixEnd('p/');
      const snapshot = (await store.range('p/', end)).kvs.map(plain);
      const first = await store.range('p/', end, { limit: 7 });
      const R = first.revision;
      await store.put('p/03', bytes('changed'));
      await store.delete('p/10');
      await store.put('p/005', bytes('inserted'));
      await store.delete('p/20', 'p/23');
      const got = [...first.kvs];
      let more = first.more;
      for (let pages = 1; more; pages++) {
        const last = got.at(-1);
        if (!last || pages > 10) break;
        const pg = await store.range(last.key, end, { limit: 8, revision: R });
        t.equal(pg.revision, R);
        t.equal(pg.kvs[0]?.key, last.key, 'page starts at the last key');
        got.push(...pg.kvs.slice(1));
        more = pg.more;
      }
      t.same(got.map(plain), snapshot, 'the pages join to the snapshot at R');
    },
  },

  {
    name: 'reads never see part of a txn (concurrent readers and multi-key writers)',
    timeoutMs: 60_000,
    async run({ t, store }) {
      let stop = false;
      let torn = 0;
      let reads = 0;
      const writer = async (w: number): Promise<void> => {
        for (let i = 0; i < 60; i++) {
          const v = bytes(`${w}:${i}`);
          await store.txn({
            success: [
              { type: 'put', key: `t/a/${w}`, value: v },
              { type: 'put', key: `t/b/${w}`, value: v },
              { type: 'put', key: `t/c/${w}`, value: v },
            ],
          });
        }
      };
      const reader = async (): Promise<void> => {
        while (!stop) {
          const r = await store.range('t/', prefixEnd('t/'));
          reads++;
          const by = new Map<string, Set<string>>();
          for (const kv of r.kvs) {
            const w = kv.key.split('/')[2] ?? '';
            const set = by.get(w) ?? new Set<string>();
            set.add(`${text(kv.value)}@${kv.modRevision}`);
            by.set(w, set);
          }
          const counts = new Map<string, number>();
          for (const kv of r.kvs) counts.set(kv.key.split('/')[2] ?? '', (counts.get(kv.key.split('/')[2] ?? '') ?? 0) + 1);
          for (const [w, set] of by) if (set.size !== 1 || counts.get(w) !== 3) torn++;
          // a past read at a random earlier revision is just as atomic
          if (r.revision > 2) {
            const old = await store.range('t/', prefixEnd('t/'), { revision: 2 + Math.floor(Math.random() * (r.revision - 2)) });
            const oc = new Map<string, Set<string>>();
            for (const kv of old.kvs) {
              const w = kv.key.split('/')[2] ?? '';
              const set = oc.get(w) ?? new Set<string>();
              set.add(`${text(kv.value)}@${kv.modRevision}`);
              oc.set(w, set);
            }
            for (const set of oc.values()) if (set.size !== 1) torn++;
          }
          await new Promise((res) => setImmediate(res));
        }
      };
      const readers = Array.from({ length: 3 }, reader);
      await Promise.all(Array.from({ length: 6 }, (_, w) => writer(w)));
      stop = true;
      await Promise.all(readers);
      t.equal(torn, 0, `no read (of ${reads}) saw a partially applied txn`);
      t.equal(store.revision, 1 + 6 * 60);
    },
  },

  {
    name: 'range: reads at past revisions (from memory, then after more writes)',
    async run({ t, store, historyEvents }) {
      await store.put('h/k', bytes('v1')); // 2
      await store.put('h/k', bytes('v2')); // 3
      await store.put('h/j', bytes('x')); // 4
      await store.delete('h/k'); // 5
      await store.put('h/k', bytes('v3')); // 6
      await store.txn({
        success: [
          { type: 'put', key: 'h/k', value: bytes('v4') },
          { type: 'delete', key: 'h/j' },
        ],
      }); // 7
      t.equal(store.revision, 7);
      const check = async (when: string): Promise<void> => {
        const k = (rev: number): Promise<PlainKv | undefined> => getKv(store, 'h/k', rev);
        t.equal(await k(1), undefined, `${when}: k absent at 1`);
        t.same(await k(2), { key: 'h/k', value: 'v1', createRevision: 2, modRevision: 2, version: 1, lease: 0 }, `${when}: k at 2`);
        t.same(await k(3), { key: 'h/k', value: 'v2', createRevision: 2, modRevision: 3, version: 2, lease: 0 }, `${when}: k at 3`);
        t.same(await k(4), { key: 'h/k', value: 'v2', createRevision: 2, modRevision: 3, version: 2, lease: 0 }, `${when}: k at 4`);
        t.equal(await k(5), undefined, `${when}: k deleted at 5`);
        t.same(await k(6), { key: 'h/k', value: 'v3', createRevision: 6, modRevision: 6, version: 1, lease: 0 }, `${when}: k at 6`);
        t.same(await k(7), { key: 'h/k', value: 'v4', createRevision: 6, modRevision: 7, version: 2, lease: 0 }, `${when}: k at 7`);
        t.equal(await getKv(store, 'h/j', 3), undefined, `${when}: j absent at 3`);
        for (const r of [4, 5, 6]) t.equal((await getKv(store, 'h/j', r))?.value, 'x', `${when}: j at ${r}`);
        t.equal(await getKv(store, 'h/j', 7), undefined, `${when}: j deleted at 7`);
        const p4 = await store.range('h/', prefixEnd('h/'), { revision: 4 });
        t.same(keysOf(p4.kvs), ['h/j', 'h/k'], `${when}: prefix at 4`);
        t.equal(p4.revision, 4, `${when}: result carries the revision read at`);
        t.equal((await store.range('h/', prefixEnd('h/'), { revision: 5, countOnly: true })).count, 1, `${when}: countOnly at 5`);
        const l1 = await store.range('h/', prefixEnd('h/'), { revision: 4, limit: 1 });
        t.same(keysOf(l1.kvs), ['h/j'], `${when}: limit at 4`);
        t.equal(l1.more, true);
        t.equal(l1.count, 2);
        const ko = await store.range('h/', prefixEnd('h/'), { revision: 3, keysOnly: true });
        t.same(
          ko.kvs.map((kv) => [kv.key, kv.value.length, kv.version]),
          [['h/k', 0, 2]],
          `${when}: keysOnly at 3`,
        );
      };
      await check('recent');
      await fill(store, 40);
      await check('after 40 more writes');
      if (historyEvents !== undefined) {
        const mh = store.stats().memoryHistory;
        t.ok(mh.events <= historyEvents, `in-memory history bounded by historyEvents (${mh.events} <= ${historyEvents})`);
      }
      await rejects(t, () => store.range('h/k', undefined, { revision: store.revision + 1 }), FutureRevisionError, 'read at current+1');
    },
  },

  {
    name: 'txn compares: every target and operator; missing key compares as zero/empty',
    async run({ t, store }) {
      await store.put('c', bytes('m')); // 2
      await store.put('c', bytes('m')); // 3: version 2, mod 3, create 2
      const rev = store.revision;
      const table: [Compare, boolean][] = [];
      const add = (key: string, target: Compare['target'], result: Compare['result'], value: number | Uint8Array, want: boolean): void => {
        table.push([{ key, target, result, value }, want]);
      };
      add('c', 'version', '=', 2, true);
      add('c', 'version', '=', 1, false);
      add('c', 'version', '!=', 2, false);
      add('c', 'version', '!=', 1, true);
      add('c', 'version', '<', 3, true);
      add('c', 'version', '<', 2, false);
      add('c', 'version', '>', 1, true);
      add('c', 'version', '>', 2, false);
      add('c', 'createRevision', '=', 2, true);
      add('c', 'createRevision', '>', 0, true);
      add('c', 'createRevision', '<', 2, false);
      add('c', 'modRevision', '=', 3, true);
      add('c', 'modRevision', '=', 2, false);
      add('c', 'modRevision', '<', 4, true);
      add('c', 'modRevision', '>', 3, false);
      add('c', 'modRevision', '!=', 3, false);
      add('c', 'value', '=', bytes('m'), true);
      add('c', 'value', '=', bytes('n'), false);
      add('c', 'value', '!=', bytes('n'), true);
      add('c', 'value', '<', bytes('n'), true);
      add('c', 'value', '<', bytes('ma'), true);
      add('c', 'value', '<', bytes('m'), false);
      add('c', 'value', '>', bytes('l'), true);
      add('c', 'value', '>', bytes(''), true);
      add('c', 'value', '>', bytes('mm'), false);
      add('c', 'lease', '=', 0, true);
      add('c', 'lease', '!=', 0, false);
      add('nope', 'version', '=', 0, true);
      add('nope', 'version', '>', 0, false);
      add('nope', 'createRevision', '=', 0, true);
      add('nope', 'modRevision', '=', 0, true);
      add('nope', 'modRevision', '<', 1, true);
      add('nope', 'value', '=', new Uint8Array(0), true);
      add('nope', 'value', '<', bytes('a'), true);
      add('nope', 'value', '>', bytes(''), false);
      add('nope', 'lease', '=', 0, true);
      for (const [cmp, want] of table) {
        const r = await store.txn({ compare: [cmp], success: [{ type: 'range', key: 'c' }], failure: [] });
        const v = cmp.value instanceof Uint8Array ? `'${text(cmp.value)}'` : cmp.value;
        t.equal(r.succeeded, want, `${cmp.key}.${cmp.target} ${cmp.result} ${v} is ${want}`);
        t.equal(r.results.length, want ? 1 : 0, 'results come from the branch taken');
      }
      const and = await store.txn({
        compare: [
          { key: 'c', target: 'version', result: '=', value: 2 },
          { key: 'c', target: 'value', result: '=', value: bytes('zzz') },
        ],
      });
      t.equal(and.succeeded, false, 'compares are ANDed');
      const and2 = await store.txn({
        compare: [
          { key: 'c', target: 'version', result: '=', value: 2 },
          { key: 'nope', target: 'createRevision', result: '=', value: 0 },
        ],
      });
      t.equal(and2.succeeded, true, 'all true -> success');
      t.equal(store.revision, rev, 'no compare bumped the revision');
    },
  },

  {
    name: 'txn: success and failure branches, op results, one revision per txn',
    async run({ t, store }) {
      await store.put('other', bytes('o')); // 2
      const create: Op[] = [
        { type: 'put', key: 'k', value: bytes('v1') },
        { type: 'put', key: 'j', value: bytes('j1'), prevKv: true },
        { type: 'range', key: 'other' },
      ];
      const r1 = await store.txn({
        compare: [{ key: 'k', target: 'createRevision', result: '=', value: 0 }],
        success: create,
        failure: [{ type: 'range', key: 'k' }],
      });
      t.equal(r1.succeeded, true);
      t.equal(r1.revision, 3, 'one revision for the whole txn');
      t.same(r1.results.map((r) => r.type), ['put', 'put', 'range'], 'results in op order');
      const r1b = r1.results[1];
      if (r1b?.type === 'put') t.equal(r1b.prevKv, undefined, 'prevKv of a created key is undefined');
      const r1c = r1.results[2];
      if (r1c?.type === 'range') t.same(r1c.result.kvs.map(plain), [{ key: 'other', value: 'o', createRevision: 2, modRevision: 2, version: 1, lease: 0 }], 'range in txn');
      t.equal((await getKv(store, 'k'))?.modRevision, 3);
      t.equal((await getKv(store, 'j'))?.modRevision, 3, 'both puts share the revision');

      const r2 = await store.txn({
        compare: [{ key: 'k', target: 'createRevision', result: '=', value: 0 }],
        success: create,
        failure: [
          { type: 'range', key: 'k' },
          { type: 'put', key: 'j', value: bytes('j2'), prevKv: true },
        ],
      });
      t.equal(r2.succeeded, false);
      t.equal(r2.revision, 4, 'failure branch with a put bumps the revision');
      t.same(r2.results.map((r) => r.type), ['range', 'put']);
      const r2a = r2.results[0];
      if (r2a?.type === 'range') {
        t.equal(r2a.result.kvs.length, 1);
        t.equal(text(r2a.result.kvs[0]?.value ?? new Uint8Array()), 'v1', 'range in failure branch');
      }
      const r2b = r2.results[1];
      if (r2b?.type === 'put') {
        t.ok(r2b.prevKv, 'prevKv returned');
        if (r2b.prevKv) t.same(plain(r2b.prevKv), { key: 'j', value: 'j1', createRevision: 3, modRevision: 3, version: 1, lease: 0 }, 'prevKv is the old kv');
      }
      t.same(await getKv(store, 'j'), { key: 'j', value: 'j2', createRevision: 3, modRevision: 4, version: 2, lease: 0 });
      t.equal((await getKv(store, 'k'))?.value, 'v1', 'success branch not applied');

      const r3 = await store.txn({ success: [{ type: 'put', key: 'j', value: bytes('j3') }] });
      const r3a = r3.results[0];
      if (r3a?.type === 'put') t.equal(r3a.prevKv, undefined, 'no prevKv unless asked');

      const r4 = await store.txn({ success: [{ type: 'range', key: 'a', rangeEnd: '\0', options: { limit: 1, keysOnly: true } }] });
      const r4a = r4.results[0];
      if (r4a?.type === 'range') {
        t.same(keysOf(r4a.result.kvs), ['j'], 'range op options: limit');
        t.equal(r4a.result.more, true);
        t.equal(r4a.result.count, 3);
        t.equal(r4a.result.kvs[0]?.value.length, 0, 'range op options: keysOnly');
      }
    },
  },

  {
    name: 'txn: delete ops, single and ranged, with prevKv',
    async run({ t, store }) {
      for (const k of ['d/1', 'd/2', 'd/3', 'e', 'f/1', 'g']) await store.put(k, bytes(`v-${k}`));
      const rev = store.revision;
      const r = await store.txn({
        success: [
          { type: 'delete', key: 'd/', rangeEnd: prefixEnd('d/'), prevKv: true },
          { type: 'delete', key: 'e', prevKv: true },
          { type: 'delete', key: 'f/1' },
          { type: 'delete', key: 'zz', prevKv: true },
        ],
      });
      t.equal(r.revision, rev + 1, 'one revision');
      const [a, b, c, d] = r.results;
      if (a?.type === 'delete') {
        t.equal(a.deleted, 3, 'prefix delete count');
        t.same(
          (a.prevKvs ?? []).map(plain).sort((x, y) => (x.key < y.key ? -1 : 1)),
          [
            { key: 'd/1', value: 'v-d/1', createRevision: 2, modRevision: 2, version: 1, lease: 0 },
            { key: 'd/2', value: 'v-d/2', createRevision: 3, modRevision: 3, version: 1, lease: 0 },
            { key: 'd/3', value: 'v-d/3', createRevision: 4, modRevision: 4, version: 1, lease: 0 },
          ],
          'prevKvs of a prefix delete',
        );
      } else t.fail('result 0 is not a delete');
      if (b?.type === 'delete') {
        t.equal(b.deleted, 1);
        t.same((b.prevKvs ?? []).map((kv) => [kv.key, text(kv.value)]), [['e', 'v-e']]);
      } else t.fail('result 1 is not a delete');
      if (c?.type === 'delete') {
        t.equal(c.deleted, 1);
        t.ok(c.prevKvs === undefined || c.prevKvs.length === 0, 'no prevKvs unless asked');
      } else t.fail('result 2 is not a delete');
      if (d?.type === 'delete') t.equal(d.deleted, 0, 'missing key: 0 deleted');
      else t.fail('result 3 is not a delete');
      t.same(keysOf((await store.range('a', '\0')).kvs), ['g'], 'only g left');
      const r2 = await store.delete('a', '\0');
      t.equal(r2.revision, rev + 2);
      const r2a = r2.results[0];
      if (r2a?.type === 'delete') t.equal(r2a.deleted, 1, "'\\0' delete");
      t.equal((await store.range('a', '\0')).count, 0, 'empty');
    },
  },

  {
    name: 'txn: writing the same key twice -> DuplicateKeyError, nothing applied',
    async run({ t, store }) {
      await store.put('k', bytes('0'));
      const rev = store.revision;
      await rejects(
        t,
        () => store.txn({ success: [{ type: 'put', key: 'k', value: bytes('1') }, { type: 'put', key: 'x', value: bytes('x') }, { type: 'put', key: 'k', value: bytes('2') }] }),
        DuplicateKeyError,
        'put k twice',
      );
      await rejects(
        t,
        () => store.txn({ success: [{ type: 'put', key: 'n', value: bytes('1') }, { type: 'put', key: 'n', value: bytes('2') }] }),
        DuplicateKeyError,
        'put a new key twice',
      );
      await rejects(
        t,
        () => store.txn({ success: [{ type: 'put', key: 'k', value: bytes('1') }, { type: 'delete', key: 'k' }] }),
        DuplicateKeyError,
        'put and delete of k',
      );
      await rejects(
        t,
        () =>
          store.txn({
            compare: [{ key: 'k', target: 'version', result: '=', value: 99 }],
            failure: [{ type: 'put', key: 'k', value: bytes('1') }, { type: 'put', key: 'k', value: bytes('2') }],
          }),
        DuplicateKeyError,
        'duplicate in the failure branch',
      );
      t.equal(store.revision, rev, 'revision unchanged');
      t.same(await getKv(store, 'k'), { key: 'k', value: '0', createRevision: 2, modRevision: 2, version: 1, lease: 0 }, 'k unchanged');
      t.equal(await getKv(store, 'x'), undefined, 'x not written');
      t.equal(await getKv(store, 'n'), undefined, 'n not written');
      const ok = await store.txn({ success: [{ type: 'put', key: 'k', value: bytes('1') }, { type: 'put', key: 'j', value: bytes('1') }, { type: 'range', key: 'k' }] });
      t.equal(ok.revision, rev + 1, 'distinct keys (and a range of a written key) are fine');
    },
  },

  {
    name: 'txn: an invalid op aborts the whole txn',
    async run({ t, store }) {
      await store.put('k', bytes('0'));
      const rev = store.revision;
      await rejects(t, () => store.txn({ success: [{ type: 'put', key: 'x', value: bytes('1') }, { type: 'put', key: '', value: bytes('2') }] }), InvalidKeyError, 'empty key after a good put');
      await rejects(
        t,
        () => store.txn({ success: [{ type: 'put', key: 'x', value: bytes('1') }, { type: 'put', key: 'y', value: bytes('2'), lease: 987654 }] }),
        LeaseNotFoundError,
        'unknown lease after a good put',
      );
      await rejects(
        t,
        () => store.txn({ success: [{ type: 'put', key: 'x', value: bytes('1') }, { type: 'delete', key: 'b', rangeEnd: 'a' }] }),
        InvalidRangeError,
        'bad range after a good put',
      );
      t.equal(store.revision, rev, 'revision unchanged');
      t.equal(await getKv(store, 'x'), undefined, 'x not written');
      t.equal(await getKv(store, 'y'), undefined, 'y not written');
      t.equal((await store.put('x', bytes('ok'))).revision, rev + 1, 'the store still works');
    },
  },

  {
    name: 'bad input -> named errors; the store is unaffected',
    async run({ t, store }) {
      await store.put('a', bytes('1'));
      await store.put('b', bytes('2'));
      const rev = store.revision;
      const before = (await store.range('0', '\0')).kvs.map(plain);
      const cast = <T>(x: unknown): T => x as T;
      await rejects(t, () => store.put('', bytes('x')), InvalidKeyError, 'put empty key');
      await rejects(t, () => store.put('a\0b', bytes('x')), InvalidKeyError, 'put key with NUL');
      await rejects(t, () => store.put('\0', bytes('x')), InvalidKeyError, "put key '\\0'");
      await rejects(t, () => store.txn({ success: [{ type: 'put', key: '', value: bytes('x') }] }), InvalidKeyError, 'txn put empty key');
      await rejects(t, () => store.txn({ success: [{ type: 'put', key: 'x\0', value: bytes('x') }] }), InvalidKeyError, 'txn put key with NUL');
      await rejects(t, () => store.range(''), InvalidKeyError, 'range empty key');
      await rejects(t, () => store.delete(''), InvalidKeyError, 'delete empty key');
      await rejects(t, () => store.range('b', 'a'), InvalidRangeError, 'range end before key');
      await rejects(t, () => store.delete('b', 'a'), InvalidRangeError, 'delete range end before key');
      await rejects(t, () => store.txn({ success: [{ type: 'range', key: 'b', rangeEnd: 'a' }] }), InvalidRangeError, 'txn range end before key');
      await rejects(
        t,
        () => store.txn({ compare: [cast<Compare>({ key: 'a', target: 'bogus', result: '=', value: 1 })] }),
        InvalidCompareError,
        'unknown compare target',
      );
      await rejects(
        t,
        () => store.txn({ compare: [cast<Compare>({ key: 'a', target: 'version', result: '~', value: 1 })] }),
        InvalidCompareError,
        'unknown compare operator',
      );
      await rejects(t, () => store.txn({ compare: [{ key: 'a', target: 'version', result: '=', value: bytes('1') }] }), InvalidCompareError, 'version compared with bytes');
      await rejects(t, () => store.txn({ compare: [{ key: 'a', target: 'modRevision', result: '>', value: bytes('1') }] }), InvalidCompareError, 'modRevision compared with bytes');
      await rejects(t, () => store.txn({ compare: [{ key: 'a', target: 'value', result: '=', value: 1 }] }), InvalidCompareError, 'value compared with a number');
      await rejects(
        t,
        () => store.txn({ compare: [{ key: 'a', target: 'value', result: '=', value: 1 }], success: [{ type: 'put', key: 'a', value: bytes('boom') }], failure: [{ type: 'put', key: 'a', value: bytes('boom') }] }),
        InvalidCompareError,
        'bad compare with writes in both branches',
      );
      await rejects(t, () => store.put('c', bytes('x'), { lease: 424242 }), LeaseNotFoundError, 'put with an unknown lease');
      t.equal(store.revision, rev, 'revision unchanged after every error');
      t.same((await store.range('0', '\0')).kvs.map(plain), before, 'data unchanged');
      t.equal((await store.put('c', bytes('3'))).revision, rev + 1, 'the store still works');
      t.equal((await getKv(store, 'c'))?.version, 1);
    },
  },

  {
    name: 'values: binary-safe, empty, large, and copied on put',
    async run({ t, store }) {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      await store.put('bin', all);
      const got = (await store.range('bin')).kvs[0]?.value;
      t.ok(got && Buffer.from(got).equals(Buffer.from(all)), 'all 256 byte values round-trip');
      await store.put('empty', new Uint8Array(0));
      const e = await store.range('empty');
      t.equal(e.count, 1, 'a key with an empty value exists');
      t.equal(e.kvs[0]?.value.length, 0);
      t.equal(e.kvs[0]?.version, 1);
      const big = new Uint8Array(512 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
      await store.put('big', big);
      const gb = (await store.range('big')).kvs[0]?.value;
      t.ok(gb && Buffer.from(gb).equals(Buffer.from(big)), '512 KiB value round-trips');
      const buf = bytes('original');
      await store.put('mut', buf);
      buf.fill(0x21);
      t.equal((await getKv(store, 'mut'))?.value, 'original', 'mutating the caller buffer after put does not change the store');
      const sub = bytes('xxhelloxx').subarray(2, 7);
      await store.put('sub', sub);
      t.equal((await getKv(store, 'sub'))?.value, 'hello', 'a subarray view stores only its bytes');
    },
  },

  {
    name: 'CAS: create-if-absent race, exactly one winner',
    async run({ t, store }) {
      const rev = store.revision;
      const N = 24;
      const results = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          store.txn({
            compare: [{ key: 'lock', target: 'createRevision', result: '=', value: 0 }],
            success: [{ type: 'put', key: 'lock', value: bytes(`owner-${i}`) }],
            failure: [{ type: 'range', key: 'lock' }],
          }),
        ),
      );
      const winners = results.map((r, i) => (r.succeeded ? i : -1)).filter((i) => i >= 0);
      t.equal(winners.length, 1, 'exactly one create succeeds');
      t.equal(store.revision, rev + 1, 'one revision');
      t.equal((await getKv(store, 'lock'))?.value, `owner-${winners[0]}`, 'the winner owns the key');
      for (const r of results) {
        if (r.succeeded) continue;
        const rr = r.results[0];
        if (rr?.type === 'range') {
          t.equal(text(rr.result.kvs[0]?.value ?? new Uint8Array()), `owner-${winners[0]}`, 'losers see the winner');
          break;
        }
      }
    },
  },

  {
    name: 'CAS: update-if-unchanged race, exactly one winner',
    async run({ t, store }) {
      await store.put('cfg', bytes('v0'));
      const mod = store.revision;
      const N = 24;
      const results = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          store.txn({
            compare: [{ key: 'cfg', target: 'modRevision', result: '=', value: mod }],
            success: [{ type: 'put', key: 'cfg', value: bytes(`v-${i}`) }],
          }),
        ),
      );
      const winners = results.filter((r) => r.succeeded);
      t.equal(winners.length, 1, 'exactly one CAS succeeds');
      t.equal(winners[0]?.revision, mod + 1);
      t.equal(store.revision, mod + 1, 'one revision');
      t.equal((await getKv(store, 'cfg'))?.version, 2);
    },
  },

  {
    name: 'CAS: concurrent increment loops lose no update',
    timeoutMs: 60_000,
    async run({ t, store }) {
      await store.put('n', bytes('0'));
      const start = store.revision;
      const workers = 8;
      const each = 25;
      let attempts = 0;
      const worker = async (): Promise<void> => {
        for (let done = 0; done < each; ) {
          attempts++;
          const kv = (await store.range('n')).kvs[0];
          if (!kv) throw new Error('counter vanished');
          const next = Number(text(kv.value)) + 1;
          const r = await store.txn({
            compare: [{ key: 'n', target: 'modRevision', result: '=', value: kv.modRevision }],
            success: [{ type: 'put', key: 'n', value: bytes(String(next)) }],
          });
          if (r.succeeded) done++;
        }
      };
      await Promise.all(Array.from({ length: workers }, worker));
      const kv = await getKv(store, 'n');
      t.equal(kv?.value, String(workers * each), `counter = ${workers * each} (after ${attempts} attempts)`);
      t.equal(kv?.version, workers * each + 1);
      t.equal(store.revision, start + workers * each, 'one revision per successful CAS, none for failed ones');
    },
  },

  {
    name: 'concurrent writers: dense unique revisions; a prefix watcher sees each once, in order',
    timeoutMs: 90_000,
    async run({ t, store }) {
      const start = store.revision;
      const w = store.watch('w/', { rangeEnd: prefixEnd('w/') });
      const c = new Collector(w);
      const writers = 8;
      const each = 200;
      const revs: number[] = [];
      const valueAt = new Map<number, string>();
      await Promise.all(
        Array.from({ length: writers }, async (_, wi) => {
          for (let i = 0; i < each; i++) {
            const key = `w/${wi}/${pad(i % 50)}`;
            const r = await store.put(key, bytes(`${wi}:${i}`));
            revs.push(r.revision);
            valueAt.set(r.revision, `${key}=${wi}:${i}`);
          }
        }),
      );
      const end = start + writers * each;
      t.same([...revs].sort((a, b) => a - b), range(start + 1, end), 'write revisions are exactly start+1..end');
      t.equal(store.revision, end);
      const ok = await c.untilRevision(end, 30_000);
      t.ok(ok, `watcher reached revision ${end} (at ${c.lastRevision()}, error ${c.error === undefined ? 'none' : describe(c.error)})`);
      t.same(c.revisions(), range(start + 1, end), 'watcher saw every revision exactly once, ascending');
      const bad = c.events.find((e) => e.type !== 'put' || valueAt.get(e.kv.modRevision) !== `${e.kv.key}=${text(e.kv.value)}`);
      t.equal(bad && `${bad.type} ${bad.kv.key}@${bad.kv.modRevision}=${text(bad.kv.value)}`, undefined, 'each event carries the key and value written at its revision');
      w.cancel();
      t.ok(await c.untilDone(), 'cancel ends the watch');
      t.equal(c.error, undefined, 'cleanly');
    },
  },

  {
    name: 'watch: single key, prefix and from-key filters; live events',
    async run({ t, store }) {
      const wk = new Collector(store.watch('k'));
      const wp = new Collector(store.watch('p/', { rangeEnd: prefixEnd('p/') }));
      const wf = new Collector(store.watch('m', { rangeEnd: '\0' }));
      const wr = new Collector(store.watch('b', { rangeEnd: 'd' }));
      for (const k of ['k', 'k2', 'p/1', 'p', 'p0', 'p/2', 'q', 'm', 'a', 'c', 'k']) await store.put(k, bytes(k));
      await store.delete('p/1');
      const end = store.revision;
      await store.put('z-marker', bytes('x')); // only wf sees it; once it has, wait a bit for stray events
      t.ok(await wf.untilRevision(end + 1, 3000), 'from-key watcher caught up');
      await sleep(50);
      t.same(wk.summary(), ['put k@2', 'put k@12'], 'single key');
      t.same(wp.summary(), ['put p/1@4', 'put p/2@7', 'delete p/1@13'], 'prefix');
      t.same(wf.summary(), ['put p/1@4', 'put p@5', 'put p0@6', 'put p/2@7', 'put q@8', 'put m@9', 'delete p/1@13', 'put z-marker@14'], "from-key '\\0'");
      t.same(wr.summary(), ['put c@11'], '[b, d)');
      for (const c of [wk, wp, wf, wr]) {
        checkOrdered(t, c.events, 'watch');
        t.equal(c.error, undefined, 'no watch error');
        c.watch.cancel();
      }
      t.ok(typeof wk.watch.id === 'number', 'watch has a numeric id');
      t.not(wk.watch.id, wp.watch.id, 'watch ids differ');
    },
  },

  {
    name: 'watch: startRevision replays history then goes live without gaps or duplicates',
    async run({ t, store }) {
      for (let i = 0; i < 30; i++) await store.put(i % 3 === 0 ? `x/${pad(i)}` : `h/${pad(i)}`, bytes(`v${i}`)); // revs 2..31
      await store.delete('h/001'); // 32
      const all = new Collector(store.watch('a', { rangeEnd: '\0', startRevision: 3 }));
      const pre = new Collector(store.watch('h/', { rangeEnd: prefixEnd('h/'), startRevision: 10 }));
      const one = new Collector(store.watch('h/002', { startRevision: 2 }));
      const live = new Collector(store.watch('h/', { rangeEnd: prefixEnd('h/'), startRevision: store.revision + 1 }));
      for (let i = 30; i < 40; i++) await store.put(i % 3 === 0 ? `x/${pad(i)}` : `h/${pad(i)}`, bytes(`v${i}`)); // 33..42
      await store.put('h/002', bytes('again')); // 43
      const end = store.revision;
      t.equal(end, 43);
      t.ok(await all.untilRevision(end), 'all: caught up');
      t.ok(await pre.untilRevision(end), 'prefix: caught up');
      t.ok(await one.untilRevision(end), 'single: caught up');
      t.ok(await live.untilRevision(end), 'live: caught up');
      t.same(all.revisions(), range(3, end), "'\\0' watch from 3: every revision from 3");
      const hRevs = (from: number): number[] =>
        range(from, end).filter((r) => {
          if (r === 32 || r === 43) return true;
          const i = r - 2 < 30 ? r - 2 : r - 3;
          return i % 3 !== 0;
        });
      t.same(pre.revisions(), hRevs(10), 'prefix watch from 10');
      t.same(live.revisions(), hRevs(33), 'watch from current+1 sees only new events');
      t.same(one.summary(), ['put h/002@4', 'put h/002@43'], 'single key from history and live');
      const e4 = one.events[0];
      t.same(e4 && plain(e4.kv), { key: 'h/002', value: 'v2', createRevision: 4, modRevision: 4, version: 1, lease: 0 }, 'history event carries the kv as written');
      const e43 = one.events[1];
      t.same(e43 && plain(e43.kv), { key: 'h/002', value: 'again', createRevision: 4, modRevision: 43, version: 2, lease: 0 }, 'live event kv');
      const del = pre.events.find((e) => e.type === 'delete');
      t.same(del && [del.kv.key, del.kv.modRevision, del.kv.value.length], ['h/001', 32, 0], 'delete from history');
      for (const c of [all, pre, one, live]) {
        checkOrdered(t, c.events, 'history+live');
        t.equal(c.error, undefined);
        c.watch.cancel();
      }
    },
  },

  {
    name: 'watch: catching up from old history while writers keep writing: no gap, no duplicate',
    timeoutMs: 60_000,
    async run({ t, store }) {
      for (let i = 0; i < 150; i++) await store.put(`r/${i % 13}`, bytes(`old-${i}`)); // 2..151
      const watchers: Collector[] = [];
      const starts = new Map<Collector, number>();
      const watchFrom = (from: number, prevKv: boolean): void => {
        const c = new Collector(store.watch('r/', { rangeEnd: prefixEnd('r/'), startRevision: from, prevKv }));
        starts.set(c, from);
        watchers.push(c);
      };
      const writing = Promise.all(
        Array.from({ length: 4 }, async (_, w) => {
          for (let i = 0; i < 60; i++) {
            await store.put(`r/${(w * 60 + i) % 13}`, bytes(`new-${w}-${i}`));
            if (i % 20 === 5) watchFrom(2 + w * 30 + i, true);
          }
        }),
      );
      watchFrom(2, false);
      await writing;
      const end = store.revision;
      t.equal(end, 1 + 150 + 240);
      for (const c of watchers) {
        const from = starts.get(c) ?? -1;
        t.ok(await c.untilRevision(end, 20_000), `watcher from ${from} caught up (error ${c.error === undefined ? 'none' : describe(c.error)})`);
        t.same(c.revisions(), range(from, end), `watcher from ${from}: every revision once, in order`);
      }
      // prevKv of each event = the kv of the key's previous event (for updates)
      const c0 = watchers.find((c) => c.events.some((e) => e.prevKv));
      if (c0) {
        const last = new Map<string, PlainKv>();
        let bad = 0;
        for (const e of c0.events) {
          const prev = last.get(e.kv.key);
          if (prev && e.prevKv && (plain(e.prevKv).modRevision !== prev.modRevision || plain(e.prevKv).value !== prev.value)) bad++;
          last.set(e.kv.key, plain(e.kv));
        }
        t.equal(bad, 0, 'prevKv matches the previous event of the key');
      }
      for (const c of watchers) c.watch.cancel();
    },
  },

  {
    name: 'watch: compaction while a watcher catches up never yields a gap',
    timeoutMs: 60_000,
    async run({ t, store }) {
      for (let i = 0; i < 200; i++) await store.put(`q/${i % 9}`, bytes(String(i))); // 2..201
      const end = store.revision;
      const c = new Collector(store.watch('q/', { rangeEnd: prefixEnd('q/'), startRevision: 2 }));
      await store.compact(150);
      t.ok(await c.until(() => c.done || c.lastRevision() >= end, 20_000), 'watch finished or caught up');
      const revs = c.revisions();
      t.same(revs, range(2, revs.at(-1) ?? 1), 'what was delivered is contiguous from 2');
      if (c.error !== undefined) {
        const okErr = c.error instanceof CompactedError || (c.error instanceof WatchCancelledError && c.error.reason === 'compacted');
        t.ok(okErr, `ended by compaction (${describe(c.error)})`);
        if (c.error instanceof WatchCancelledError) t.equal(c.error.lastRevision, revs.at(-1) ?? 1, 'lastRevision = last delivered');
      } else {
        t.equal(c.lastRevision(), end, 'delivered everything');
      }
      c.watch.cancel();
      // a read racing a compaction is either right or CompactedError
      const reads = await Promise.allSettled([store.range('q/0', undefined, { revision: 160 }), store.compact(170), store.range('q/0', undefined, { revision: 165 })]);
      for (const r of reads) {
        if (r.status === 'rejected') t.ok(r.reason instanceof CompactedError, `rejection is CompactedError (${describe(r.reason)})`);
      }
      const r0 = reads[0];
      if (r0?.status === 'fulfilled' && r0.value && 'kvs' in r0.value) t.equal(r0.value.kvs[0] && text(r0.value.kvs[0].value), '153', 'q/0 at 160');
    },
  },

  {
    name: 'watch: prevKv, deletes, multi-key txn events share a revision',
    async run({ t, store }) {
      const start = store.revision + 1;
      const wp = new Collector(store.watch('a/', { rangeEnd: prefixEnd('a/'), prevKv: true }));
      const wn = new Collector(store.watch('a/', { rangeEnd: prefixEnd('a/') }));
      await store.put('a/1', bytes('v1')); // 2
      await store.put('a/1', bytes('v2')); // 3
      await store.delete('a/1'); // 4
      await store.txn({
        success: [
          { type: 'put', key: 'a/x', value: bytes('x') },
          { type: 'put', key: 'a/y', value: bytes('y') },
          { type: 'put', key: 'zz', value: bytes('z') },
        ],
      }); // 5
      await store.delete('a/', prefixEnd('a/')); // 6
      const end = store.revision;
      t.equal(end, 6);
      t.ok(await wp.untilRevision(end));
      t.ok(await wn.untilRevision(end));
      const want = ['put a/1@2', 'put a/1@3', 'delete a/1@4', 'put a/x@5', 'put a/y@5', 'delete a/x@6', 'delete a/y@6'];
      t.same(wp.summary(), want, 'events with prevKv');
      t.same(wn.summary(), want, 'events without prevKv');
      const [c1, c2, d1, , , dx] = wp.events;
      t.equal(c1?.prevKv, undefined, 'create: no prevKv');
      t.same(c2?.prevKv && plain(c2.prevKv), { key: 'a/1', value: 'v1', createRevision: 2, modRevision: 2, version: 1, lease: 0 }, 'update: prevKv');
      t.same(d1?.prevKv && plain(d1.prevKv), { key: 'a/1', value: 'v2', createRevision: 2, modRevision: 3, version: 2, lease: 0 }, 'delete: prevKv');
      t.equal(d1?.kv.value.length, 0, 'delete event has an empty value');
      t.equal(dx?.prevKv && text(dx.prevKv.value), 'x', 'ranged delete: prevKv');
      t.ok(wn.events.every((e) => e.prevKv === undefined), 'no prevKv unless asked');
      for (const c of [wp, wn]) {
        checkOrdered(t, c.events, 'prevKv watch');
        c.watch.cancel();
      }
      // the same from history (tiny profile: from the backend)
      await fill(store, 30);
      const h = new Collector(store.watch('a/', { rangeEnd: prefixEnd('a/'), startRevision: start, prevKv: true }));
      t.ok(await h.untilRevision(end));
      await sleep(20);
      t.same(h.summary(), want, 'replayed from history');
      const hd = h.events[2];
      t.same(hd?.prevKv && plain(hd.prevKv), { key: 'a/1', value: 'v2', createRevision: 2, modRevision: 3, version: 2, lease: 0 }, 'history delete: prevKv');
      const hu = h.events[1];
      t.equal(hu?.prevKv && text(hu.prevKv.value), 'v1', 'history update: prevKv');
      h.watch.cancel();
    },
  },

  {
    name: 'watch: cancel ends iteration cleanly',
    async run({ t, store }) {
      const w1 = store.watch('k');
      const c1 = new Collector(w1);
      await store.put('k', bytes('1'));
      t.ok(await c1.untilRevision(2));
      w1.cancel();
      t.ok(await c1.untilDone(2000), 'iteration ends after cancel');
      t.equal(c1.error, undefined, 'without an error');

      const w2 = store.watch('k');
      const c2 = new Collector(w2);
      await sleep(10); // the consumer is parked in next()
      w2.cancel();
      t.ok(await c2.untilDone(2000), 'a pending next() resolves done on cancel');
      t.equal(c2.error, undefined);

      const w3 = store.watch('k', { startRevision: 1 });
      w3.cancel();
      const c3 = new Collector(w3);
      t.ok(await c3.untilDone(2000), 'cancel before iterating: iteration ends at once');
      t.equal(c3.error, undefined);

      const w4 = store.watch('k');
      let n = 0;
      const loop = (async () => {
        for await (const batch of w4) {
          n += batch.length;
          break; // leaving the loop early must unsubscribe (return())
        }
      })();
      await store.put('k', bytes('2'));
      await withTimeout(loop, 2000, 'break out of for-await');
      t.equal(n, 1);
      w1.cancel(); // cancel twice is harmless
      await sleep(10);
      t.equal(store.stats().watchers, 0, 'no watchers left registered');
      t.equal((await store.put('k', bytes('3'))).revision, 4, 'store fine');
    },
  },

  {
    name: 'watch: a slow consumer is cancelled (slow-consumer), writes never block, resume has no gaps',
    opts: { watchBacklogEvents: 50 },
    timeoutMs: 60_000,
    async run({ t, store }) {
      await store.put('other', bytes('o'));
      const start = store.revision + 1;
      const w = store.watch('s/', { rangeEnd: prefixEnd('s/'), startRevision: start });
      const it = w[Symbol.asyncIterator]();
      // the consumer reads one batch, then stops reading
      const firstBatch: WatchEvent[] = [];
      const writes = async (n: number, tag: string): Promise<void> => {
        await Promise.all(
          Array.from({ length: 4 }, async (_, wi) => {
            for (let i = 0; i < n / 4; i++) await store.put(`s/${tag}/${wi}/${i % 10}`, bytes(`${i}`));
          }),
        );
      };
      await store.put('s/first', bytes('1'));
      const r0 = await withTimeout(it.next(), 3000, 'first batch');
      if (!r0.done) firstBatch.push(...r0.value);
      t.ok(firstBatch.length >= 1, 'got the first batch');
      await withTimeout(writes(400, 'a'), 30_000, 'writes with a stalled watcher must not block');
      const end = store.revision;
      t.equal(end, start + 400, 'all writes committed');
      const seen: number[] = firstBatch.map((e) => e.kv.modRevision);
      let err: unknown;
      try {
        for (;;) {
          const r = await withTimeout(it.next(), 5000, 'stalled watcher next()');
          if (r.done) break;
          seen.push(...r.value.map((e) => e.kv.modRevision));
          if ((seen.at(-1) ?? 0) >= end) break;
        }
      } catch (e) {
        err = e;
      }
      t.ok(err instanceof WatchCancelledError, `iteration throws WatchCancelledError (got ${err === undefined ? 'none' : describe(err)}, saw ${seen.length} events)`);
      const lastSeen = seen.at(-1) ?? start - 1;
      if (err instanceof WatchCancelledError) {
        t.equal(err.reason, 'slow-consumer', 'reason slow-consumer');
        t.equal(err.lastRevision, lastSeen, 'lastRevision = the last revision the consumer was given');
      }
      t.same(seen, range(start, lastSeen), 'what it got before cancellation has no gaps');
      // resume
      const resumeFrom = (err instanceof WatchCancelledError ? err.lastRevision : lastSeen) + 1;
      const c = new Collector(store.watch('s/', { rangeEnd: prefixEnd('s/'), startRevision: resumeFrom }));
      await writes(20, 'b');
      const end2 = store.revision;
      t.ok(await c.untilRevision(end2, 20_000), `resumed watch reaches ${end2} (error: ${c.error === undefined ? 'none' : describe(c.error)})`);
      t.same([...seen, ...c.revisions()], range(start, end2), 'before + after resume = every revision exactly once');
      c.watch.cancel();
      w.cancel();
    },
  },

  {
    name: 'watch: the other watchers keep going when a slow one is cancelled',
    opts: { watchBacklogEvents: 50 },
    timeoutMs: 60_000,
    async run({ t, store }) {
      const start = store.revision + 1;
      const slow = store.watch('a', { rangeEnd: '\0' });
      const slowIt = slow[Symbol.asyncIterator]();
      const fast = new Collector(store.watch('a', { rangeEnd: '\0' }));
      for (let i = 0; i < 200; i++) await store.put(`k/${i % 7}`, bytes(String(i)));
      const end = store.revision;
      t.ok(await fast.untilRevision(end, 20_000), 'fast watcher caught up');
      t.same(fast.revisions(), range(start, end), 'fast watcher saw everything');
      t.equal(fast.error, undefined);
      let err: unknown;
      try {
        for (;;) {
          const r = await withTimeout(slowIt.next(), 5000, 'slow next');
          if (r.done) break;
        }
      } catch (e) {
        err = e;
      }
      t.ok(err instanceof WatchCancelledError && err.reason === 'slow-consumer', `slow watcher cancelled (${describe(err)})`);
      fast.watch.cancel();
    },
  },

  {
    name: 'compact: reads at/after the compacted revision work, older ones throw CompactedError',
    async run({ t, store }) {
      await store.put('k', bytes('v1')); // 2
      await store.put('k', bytes('v2')); // 3
      await store.put('j', bytes('j')); // 4
      await store.put('k', bytes('v3')); // 5
      await store.delete('j'); // 6
      await store.put('gone', bytes('g')); // 7
      await store.delete('gone'); // 8
      await fill(store, 20); // 9..28
      const cur = store.revision;
      await store.compact(4);
      t.equal(store.compactedRevision, 4, 'compactedRevision = 4');
      t.equal(store.revision, cur, 'compaction does not bump the revision');
      t.same(await getKv(store, 'k', 4), { key: 'k', value: 'v2', createRevision: 2, modRevision: 3, version: 2, lease: 0 }, 'k at the compacted revision');
      t.equal((await getKv(store, 'j', 4))?.value, 'j', 'j at 4');
      t.equal((await getKv(store, 'k', 5))?.value, 'v3', 'k at 5');
      t.equal(await getKv(store, 'j', 6), undefined, 'j deleted at 6');
      t.equal((await getKv(store, 'gone', 7))?.value, 'g', 'gone at 7');
      t.equal(await getKv(store, 'gone', 8), undefined, 'gone deleted at 8');
      t.same(keysOf((await store.range('a', '\0', { revision: 4 })).kvs), ['j', 'k'], 'all keys at 4');
      t.equal((await store.range('fill/', prefixEnd('fill/'), { revision: 20, countOnly: true })).count, 12, 'fill keys at 20');
      const e = await rejects(t, () => store.range('k', undefined, { revision: 3 }), CompactedError, 'read at 3');
      if (e) {
        t.equal(e.requested, 3);
        t.equal(e.compactedRevision, 4);
      }
      await rejects(t, () => store.range('k', undefined, { revision: 1 }), CompactedError, 'read at 1');
      t.equal((await getKv(store, 'k'))?.value, 'v3', 'current read');
      await rejects(t, () => store.compact(4), CompactedError, 'compact the same revision again');
      await rejects(t, () => store.compact(2), CompactedError, 'compact an older revision');
      await rejects(t, () => store.compact(cur + 1), FutureRevisionError, 'compact a future revision');
      t.equal(store.compactedRevision, 4, 'still 4');
      await store.compact(10);
      t.equal(store.compactedRevision, 10);
      await rejects(t, () => store.range('k', undefined, { revision: 9 }), CompactedError, 'read at 9 after compact(10)');
      t.equal((await getKv(store, 'k', 10))?.value, 'v3', 'k at 10');
      t.equal((await store.range('fill/', prefixEnd('fill/'), { revision: 10, countOnly: true })).count, 2, 'fill keys at 10');
      await store.compact(cur);
      t.equal(store.compactedRevision, cur, 'compact at the current revision');
      t.same(
        (await store.range('a', '\0', { revision: cur })).kvs.map(plain),
        (await store.range('a', '\0')).kvs.map(plain),
        'read at the compacted (= current) revision',
      );
      const w = await store.put('k', bytes('v4'));
      t.equal(w.revision, cur + 1, 'writes continue');
      t.same(await getKv(store, 'k'), { key: 'k', value: 'v4', createRevision: 2, modRevision: cur + 1, version: 4, lease: 0 }, 'metadata survives compaction');
      const tx = await store.txn({ success: [{ type: 'range', key: 'k' }] });
      t.equal(tx.succeeded, true, 'txn range after compaction');
      const cmp = await store.txn({ compare: [{ key: 'k', target: 'createRevision', result: '=', value: 2 }] });
      t.equal(cmp.succeeded, true, 'compare on createRevision older than the compaction');
    },
  },

  {
    name: 'compact: a watch from a compacted revision throws CompactedError from iteration',
    async run({ t, store }) {
      for (let i = 0; i < 20; i++) await store.put(`k/${i % 4}`, bytes(String(i))); // 2..21
      await store.compact(10);
      for (const start of [1, 9, 10]) {
        let w: Watch | undefined;
        try {
          w = store.watch('k/', { rangeEnd: prefixEnd('k/'), startRevision: start });
        } catch (err) {
          t.fail(`watch(startRevision ${start}) threw synchronously (${describe(err)}); expected the iteration to throw`);
          continue;
        }
        const c = new Collector(w);
        t.ok(await c.untilDone(3000), `watch from ${start} ends`);
        t.ok(c.error instanceof CompactedError, `watch from ${start} (compacted 10): CompactedError (got ${c.error === undefined ? 'none' : describe(c.error)})`);
        t.same(c.events, [], 'no events before the error');
      }
      const ok = new Collector(store.watch('k/', { rangeEnd: prefixEnd('k/'), startRevision: 11 }));
      t.ok(await ok.untilRevision(21));
      t.same(ok.revisions(), range(11, 21), 'watch from compacted+1 replays the rest');
      t.equal(ok.error, undefined);
      ok.watch.cancel();
    },
  },

  {
    name: 'leases: grant, attach, keepalive, expiry (ManualClock), revoke, detach',
    async run({ t, store, clock }) {
      const g = await store.grantLease(10);
      t.ok(Number.isInteger(g.id) && g.id > 0, `lease id ${g.id} is a positive integer`);
      t.equal(g.ttlSeconds, 10);
      t.equal(store.stats().leases, 1, 'stats.leases');
      await store.put('l/a', bytes('a'), { lease: g.id });
      await store.txn({ success: [{ type: 'put', key: 'l/b', value: bytes('b'), lease: g.id }] });
      await store.put('l/c', bytes('c'));
      t.equal((await getKv(store, 'l/a'))?.lease, g.id, 'put attaches the lease');
      t.equal((await getKv(store, 'l/b'))?.lease, g.id, 'txn put attaches the lease');
      t.equal((await getKv(store, 'l/c'))?.lease, 0);
      const cmp = await store.txn({ compare: [{ key: 'l/a', target: 'lease', result: '=', value: g.id }] });
      t.equal(cmp.succeeded, true, 'compare on lease');
      const rev0 = store.revision;
      await rejects(t, () => store.put('l/d', bytes('d'), { lease: g.id + 1000 }), LeaseNotFoundError, 'put with an unknown lease');
      t.equal(store.revision, rev0, 'revision unchanged');

      clock.advance(9_999);
      t.equal(await store.expireLeases(), 0, 'not expired before the TTL');
      const ka = await store.keepAliveLease(g.id);
      t.same(ka, { id: g.id, ttlSeconds: 10 }, 'keepAlive returns the grant');
      clock.advance(9_999);
      t.equal(await store.expireLeases(), 0, 'keepAlive extended the deadline');
      t.equal((await getKv(store, 'l/a'))?.value, 'a');
      t.equal(store.revision, rev0, 'nothing written');

      const w = new Collector(store.watch('l/', { rangeEnd: prefixEnd('l/') }));
      clock.advance(2);
      t.equal(await store.expireLeases(), 1, 'one lease expired');
      t.equal(store.revision, rev0 + 1, 'expiry deletes the keys in one revision');
      t.equal(await getKv(store, 'l/a'), undefined, 'l/a deleted');
      t.equal(await getKv(store, 'l/b'), undefined, 'l/b deleted');
      t.equal((await getKv(store, 'l/c'))?.value, 'c', 'unleased key stays');
      t.ok(await w.untilRevision(rev0 + 1), 'watcher sees the expiry');
      await sleep(20);
      t.same(w.summary().sort(), [`delete l/a@${rev0 + 1}`, `delete l/b@${rev0 + 1}`], 'delete events for the leased keys');
      t.equal(store.stats().leases, 0, 'lease gone');
      await rejects(t, () => store.keepAliveLease(g.id), LeaseNotFoundError, 'keepAlive of an expired lease');
      await rejects(t, () => store.revokeLease(g.id), LeaseNotFoundError, 'revoke of an expired lease');
      t.equal(await store.expireLeases(), 0, 'nothing left to expire');

      const g2 = await store.grantLease(5, 777);
      t.same(g2, { id: 777, ttlSeconds: 5 }, 'grant with a chosen id');
      await rejects(t, () => store.grantLease(5, 777), LeaseExistsError, 'grant an existing id');
      await store.put('l/x', bytes('x'), { lease: 777 });
      await store.put('l/y', bytes('y'), { lease: 777 });
      await store.put('l/d', bytes('d'), { lease: 777 });
      await store.put('l/d', bytes('d2')); // detaches
      t.equal((await getKv(store, 'l/d'))?.lease, 0, 'a put without lease detaches the key');
      const rev1 = store.revision;
      await store.revokeLease(777);
      t.equal(store.revision, rev1 + 1, 'revoke deletes in one revision');
      t.equal(await getKv(store, 'l/x'), undefined, 'revoke deletes at once');
      t.equal(await getKv(store, 'l/y'), undefined);
      t.equal((await getKv(store, 'l/d'))?.value, 'd2', 'the detached key stays');
      t.ok(await w.untilRevision(rev1 + 1));
      t.same(w.summary().slice(-2).sort(), [`delete l/x@${rev1 + 1}`, `delete l/y@${rev1 + 1}`], 'revoke delete events');
      await rejects(t, () => store.revokeLease(777), LeaseNotFoundError, 'revoke twice');
      w.watch.cancel();
    },
  },

  {
    name: 'leases: expireLeases counts expired leases; unexpired ones stay',
    async run({ t, store, clock }) {
      const a = await store.grantLease(1);
      const b = await store.grantLease(2);
      const c = await store.grantLease(60);
      const empty = await store.grantLease(1);
      t.equal(new Set([a.id, b.id, c.id, empty.id]).size, 4, 'distinct ids');
      await store.put('a1', bytes('1'), { lease: a.id });
      await store.put('a2', bytes('1'), { lease: a.id });
      await store.put('b1', bytes('1'), { lease: b.id });
      await store.put('c1', bytes('1'), { lease: c.id });
      clock.advance(2_001);
      t.equal(await store.expireLeases(), 3, 'three leases (a, b, empty) expired');
      t.same(keysOf((await store.range('a', '\0')).kvs), ['c1'], 'only c1 left');
      t.equal(store.stats().leases, 1);
      await store.keepAliveLease(c.id);
      clock.advance(59_000);
      t.equal(await store.expireLeases(), 0);
      clock.advance(1_001);
      t.equal(await store.expireLeases(), 1);
      t.equal((await store.range('c1')).count, 0);
    },
  },

  {
    name: 'close: watchers end with WatchCancelledError(closed); later calls reject StoreClosedError',
    async run({ t, store, markClosed }) {
      await store.put('k', bytes('1'));
      const c = new Collector(store.watch('k'));
      await sleep(10);
      await store.close();
      markClosed();
      t.ok(await c.untilDone(2000), 'watch ends when the store closes');
      t.ok(c.error instanceof WatchCancelledError, `with WatchCancelledError (got ${c.error === undefined ? 'a clean end' : describe(c.error)})`);
      if (c.error instanceof WatchCancelledError) t.equal(c.error.reason, 'closed');
      await rejects(t, () => store.put('k', bytes('2')), StoreClosedError, 'put after close');
      await rejects(t, () => store.range('k'), StoreClosedError, 'range after close');
      await rejects(t, () => store.txn({}), StoreClosedError, 'txn after close');
      await rejects(t, () => store.grantLease(5), StoreClosedError, 'grantLease after close');
    },
  },
];

// ---------------------------------------------------------------- runner

export interface Profile {
  name: string;
  opts: StoreOptions;
}

export const profiles: Profile[] = [
  { name: 'history in memory', opts: {} },
  { name: 'tiny memory history', opts: { historyEvents: 10, historyBytes: 1024 } },
];

/** what every case gets unless it asks for defaults: a ManualClock and no background timers */
const base = (): StoreOptions => ({ clock: new ManualClock(1_000_000), leaseCheckIntervalMs: 0, compactionWindowMs: 0 });

export function runConformance(t: Tap, name: string, open: OpenStore): void {
  for (const profile of profiles) {
    t.test(`${name}: ${profile.name}`, async (t) => {
      for (const c of cases) {
        await t.test(c.name, async (t) => {
          if (c.timeoutMs) t.setTimeout(c.timeoutMs);
          const b = base();
          const opts: StoreOptions = c.defaults ? { ...profile.opts } : { ...b, ...profile.opts, ...c.opts };
          const clock = opts.clock instanceof ManualClock ? opts.clock : new ManualClock();
          const store = await open(opts);
          let closed = false;
          t.teardown(async () => {
            if (!closed) await store.close();
          });
          await c.run({
            t,
            store,
            clock,
            opts,
            historyEvents: opts.historyEvents,
            markClosed: () => {
              closed = true;
            },
          });
        });
      }
    });
  }
}

/**
 * Durability across close/reopen, for backends that persist (level). `open` must honour
 * opts.path; newPath() gives a fresh directory.
 */
export function runReopen(t: Tap, name: string, open: OpenStore, newPath: () => string): void {
  const opts = (path: string, extra: StoreOptions = {}): StoreOptions => ({ ...base(), path, ...extra });

  t.test(`${name}: reopen an empty store`, async (t) => {
    const path = newPath();
    const s1 = await open(opts(path));
    t.equal(s1.revision, 1);
    await s1.close();
    const s2 = await open(opts(path));
    t.teardown(() => s2.close());
    t.equal(s2.revision, 1, 'still revision 1');
    t.equal((await s2.put('k', bytes('v'))).revision, 2);
  });

  t.test(`${name}: writes survive close and reopen; revision continues`, async (t) => {
    const path = newPath();
    const s1 = await open(opts(path));
    await s1.put('a', bytes('1'));
    await s1.put('a', bytes('2'));
    await s1.put('b', bytes('b'));
    await s1.txn({
      success: [
        { type: 'put', key: 'm/1', value: bytes('m1') },
        { type: 'put', key: 'm/2', value: bytes('m2') },
        { type: 'delete', key: 'b' },
      ],
    });
    await s1.put('c', bytes('c'));
    await s1.delete('c');
    await s1.txn({ compare: [{ key: 'a', target: 'version', result: '=', value: 99 }], success: [{ type: 'put', key: 'a', value: bytes('x') }] }); // no-op
    const rev = s1.revision;
    const kvs = (await s1.range('0', '\0')).kvs.map(plain);
    await s1.close();
    const s2 = await open(opts(path));
    let s2open = true;
    t.teardown(async () => {
      if (s2open) await s2.close();
    });
    t.equal(s2.revision, rev, `revision ${rev} after reopen`);
    t.same((await s2.range('0', '\0')).kvs.map(plain), kvs, 'same keys, values and metadata');
    t.equal((await getKv(s2, 'a', 3))?.value, '2', 'past revision readable after reopen');
    t.equal((await getKv(s2, 'b', 4))?.value, 'b', 'deleted key readable at a past revision after reopen');
    const p = await s2.put('a', bytes('3'));
    t.equal(p.revision, rev + 1, 'revision continues from where it was');
    t.same(await getKv(s2, 'a'), { key: 'a', value: '3', createRevision: 2, modRevision: rev + 1, version: 3, lease: 0 });
    const c = await s2.put('c', bytes('c2'));
    t.same(await getKv(s2, 'c'), { key: 'c', value: 'c2', createRevision: c.revision, modRevision: c.revision, version: 1, lease: 0 }, 're-create after reopen: new generation');
    // several more cycles
    let s = s2;
    for (let cycle = 0; cycle < 4; cycle++) {
      const before = s.revision;
      await s.put(`cycle/${cycle}`, bytes(String(cycle)));
      await s.close();
      s2open = false;
      s = await open(opts(path));
      t.equal(s.revision, before + 1, `cycle ${cycle}: revision persisted`);
      t.equal((await s.range('cycle/', prefixEnd('cycle/'))).count, cycle + 1);
      await s.close();
      s = await open(opts(path));
    }
    await s.close();
  });

  t.test(`${name}: compaction and history survive reopen (history from disk)`, async (t) => {
    const path = newPath();
    const o = opts(path, { historyEvents: 10, historyBytes: 1024 });
    const s1 = await open(o);
    await s1.put('k', bytes('v1')); // 2
    await s1.put('k', bytes('v2')); // 3
    await s1.put('j', bytes('j')); // 4
    await s1.put('k', bytes('v3')); // 5
    await s1.delete('j'); // 6
    await fill(s1, 20); // 7..26
    await s1.compact(4);
    const rev = s1.revision;
    const current = (await s1.range('0', '\0')).kvs.map(plain);
    await s1.close();

    const s2 = await open(o);
    t.teardown(() => s2.close());
    t.equal(s2.compactedRevision, 4, 'compactedRevision persisted');
    t.equal(s2.revision, rev, 'revision persisted');
    t.same((await s2.range('0', '\0')).kvs.map(plain), current, 'current keys persisted');
    t.same(await getKv(s2, 'k', 4), { key: 'k', value: 'v2', createRevision: 2, modRevision: 3, version: 2, lease: 0 }, 'read at the compacted revision');
    t.equal((await getKv(s2, 'j', 5))?.value, 'j', 'j at 5');
    t.equal(await getKv(s2, 'j', 6), undefined, 'j gone at 6');
    t.equal((await s2.range('fill/', prefixEnd('fill/'), { revision: 16, countOnly: true })).count, 10, 'fill at 16');
    await rejects(t, () => s2.range('k', undefined, { revision: 3 }), CompactedError, 'read below the compaction after reopen');
    await rejects(t, () => s2.compact(4), CompactedError, 're-compact after reopen');
    const c = new Collector(s2.watch('k', { startRevision: 5, prevKv: true }));
    const p = await s2.put('k', bytes('v4'));
    t.equal(p.revision, rev + 1);
    t.ok(await c.untilRevision(rev + 1));
    t.same(c.summary(), ['put k@5', `put k@${rev + 1}`], 'watch from history after reopen');
    t.equal(c.events[1]?.prevKv && text(c.events[1].prevKv.value), 'v3', 'prevKv after reopen');
    c.watch.cancel();
  });

  t.test(`${name}: watch from history written before reopen; start at/below compaction`, async (t) => {
    const path = newPath();
    const o = opts(path, { historyEvents: 10 });
    const s1 = await open(o);
    for (let i = 0; i < 30; i++) await s1.put(`w/${i % 5}`, bytes(String(i))); // 2..31
    await s1.compact(10);
    await s1.close();
    const s2 = await open(o);
    t.teardown(() => s2.close());
    const c = new Collector(s2.watch('w/', { rangeEnd: prefixEnd('w/'), startRevision: 11 }));
    t.ok(await c.untilRevision(31));
    t.same(c.revisions(), range(11, 31), 'history 11..31 from disk');
    t.same(c.events.map((e) => text(e.kv.value)), range(9, 29).map(String), 'values');
    c.watch.cancel();
    const bad = new Collector(s2.watch('w/', { rangeEnd: prefixEnd('w/'), startRevision: 9 }));
    t.ok(await bad.untilDone(3000));
    t.ok(bad.error instanceof CompactedError, `watch below the compaction after reopen: CompactedError (got ${describe(bad.error)})`);
  });
}
