/**
 * Crash safety of the level store: a child process (store-crash-writer.ts) writes with
 * 16 txns in flight and reports every acknowledged txn; we SIGKILL it at a random moment,
 * reopen the store and check that
 *  - every acknowledged txn is there with its value, at its revision (txn keys are never
 *    overwritten; the counter only grows by CAS),
 *  - no txn is partially applied (acknowledged or not),
 *  - revision >= the highest acknowledged one, history has no gap,
 *  - new writes continue at revision + 1.
 * Many rounds in one data directory, so the state accumulates.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { openStore } from '../store/index.js';
import { moduleExtension } from './helpers/source-path.js';
import type { KeyValue, MvccStore, WatchEvent } from '../store/index.js';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 15);
const childPath = join(dirname(fileURLToPath(import.meta.url)), `store-crash-writer${moduleExtension(import.meta.url)}`);
const td = new TextDecoder();
const te = new TextEncoder();
const hash = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 16);

interface Ready {
  t: 'ready';
  rev: number;
}
interface TxnAck {
  t: 'txn';
  rev: number;
  keys: string[];
  hash: string;
}
interface CtrAck {
  t: 'ctr';
  rev: number;
  value: number;
}
type Line = Ready | TxnAck | CtrAck;

interface ChildRun {
  ready: Ready | undefined;
  acks: (TxnAck | CtrAck)[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  waitedMs: number;
  partial: string;
}

function runChild(path: string, tag: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, childPath, path, tag, '16'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: ChildRun = { ready: undefined, acks: [], stderr: '', code: null, signal: null, killed: false, waitedMs: 0, partial: '' };
    let buf = '';
    let killTimer: NodeJS.Timeout | undefined;
    let exited = false;
    const startupTimer = setTimeout(() => {
      if (!exited && child.pid !== undefined) {
        run.stderr += '\n[parent] no ack within 60 s; killing the child\n';
        process.kill(child.pid, 'SIGKILL');
      }
    }, 60_000);
    const onLine = (line: string): void => {
      let msg: Line;
      try {
        msg = JSON.parse(line) as Line;
      } catch {
        run.stderr += `\n[parent] unparsable stdout line: ${line}\n`;
        return;
      }
      if (msg.t === 'ready') run.ready = msg;
      else {
        run.acks.push(msg);
        if (run.acks.length === 1) {
          clearTimeout(startupTimer);
          run.waitedMs = 50 + Math.floor(Math.random() * 351);
          killTimer = setTimeout(() => {
            if (!exited && child.pid !== undefined) {
              run.killed = true;
              process.kill(child.pid, 'SIGKILL'); // only the child we spawned
            }
          }, run.waitedMs);
        }
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      run.stderr += d;
    });
    child.on('error', reject);
    child.on('exit', () => {
      exited = true;
    });
    child.on('close', (code, signal) => {
      exited = true;
      clearTimeout(startupTimer);
      clearTimeout(killTimer);
      run.code = code;
      run.signal = signal;
      run.partial = buf; // an unterminated last line: not counted as acknowledged
      resolve(run);
    });
  });
}

async function collectWatch(store: MvccStore, from: number, to: number): Promise<{ events: WatchEvent[]; error: unknown }> {
  const events: WatchEvent[] = [];
  if (from > to) return { events, error: undefined };
  const w = store.watch('\u0001', { rangeEnd: '\0', startRevision: from });
  let error: unknown;
  const timer = setTimeout(() => w.cancel(), 20_000);
  try {
    for await (const batch of w) {
      events.push(...batch);
      if ((events.at(-1)?.kv.modRevision ?? 0) >= to) break;
    }
  } catch (err) {
    error = err;
  } finally {
    clearTimeout(timer);
    w.cancel();
  }
  return { events, error };
}

// the whole file takes about a minute; tell the runner (its default is 120 s)
t.setTimeout(600_000);

t.test('level store survives SIGKILL of a busy writer', async (t) => {
  t.setTimeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-crash-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'db');

  const allTxnAcks: TxnAck[] = [];
  let maxCtr: CtrAck | undefined;
  let lastRevision: number | undefined; // the revision the parent left the store at
  let totalAcks = 0;
  const unackedApplied = new Set<string>(); // ids of txns found applied but never acknowledged

  for (let round = 0; round < ROUNDS; round++) {
    const run = await runChild(path, `r${round}`);
    const label = `round ${round}`;
    if (!run.killed || run.signal !== 'SIGKILL') {
      t.fail(`${label}: child was not killed by us (code ${run.code}, signal ${run.signal}, ${run.acks.length} acks)`, { stderr: run.stderr });
      break;
    }
    if (!run.ready) {
      t.fail(`${label}: child never reported ready`, { stderr: run.stderr });
      break;
    }
    if (lastRevision !== undefined) t.equal(run.ready.rev, lastRevision, `${label}: the child reopened at the revision we left`);
    const txnAcks = run.acks.filter((a): a is TxnAck => a.t === 'txn');
    const ctrAcks = run.acks.filter((a): a is CtrAck => a.t === 'ctr');
    allTxnAcks.push(...txnAcks);
    totalAcks += run.acks.length;
    for (const c of ctrAcks) if (!maxCtr || c.value > maxCtr.value) maxCtr = c;
    const maxAcked = Math.max(0, ...run.acks.map((a) => a.rev));

    const store = await openStore({ backend: 'level', path, compactionWindowMs: 0, leaseCheckIntervalMs: 0, historyEvents: 100 });
    try {
      const rev = store.revision;
      t.ok(rev >= maxAcked, `${label}: revision ${rev} >= max acked ${maxAcked} (${run.acks.length} acks, killed ${run.waitedMs} ms after the first)`);

      // every acknowledged txn of every round so far: present, intact, at its revision
      const all = await store.range('\u0001', '\0');
      const byKey = new Map<string, KeyValue>(all.kvs.map((kv) => [kv.key, kv]));
      let lost = 0;
      const lostSamples: string[] = [];
      for (const a of allTxnAcks) {
        for (const k of a.keys) {
          const kv = byKey.get(k);
          const ok = kv && kv.modRevision === a.rev && kv.createRevision === a.rev && kv.version === 1 && hash(td.decode(kv.value)) === a.hash;
          if (!ok) {
            lost++;
            if (lostSamples.length < 5) lostSamples.push(`${k}@${a.rev}: ${kv ? `found mod ${kv.modRevision} v${kv.version}` : 'missing'}`);
          }
        }
      }
      t.equal(lost, 0, `${label}: all ${allTxnAcks.length} acknowledged txns present with their values and revisions`, { lostSamples });

      // atomicity: every txn in the store (acknowledged or not) is complete
      const groups = new Map<string, KeyValue[]>();
      for (const kv of all.kvs) {
        const m = /^[abc]\/(.+)$/.exec(kv.key);
        if (!m || !m[1]) continue;
        const g = groups.get(m[1]) ?? [];
        g.push(kv);
        groups.set(m[1], g);
      }
      const ackedIds = new Set(allTxnAcks.map((a) => a.keys[0]?.slice(2)));
      let torn = 0;
      const tornSamples: string[] = [];
      for (const [id, kvs] of groups) {
        const first = kvs[0];
        if (!first) continue;
        let want: string[] = [];
        try {
          want = (JSON.parse(td.decode(first.value)) as { keys: string[] }).keys;
        } catch {
          want = ['<unparsable value>'];
        }
        const have = kvs.map((kv) => kv.key).sort();
        const same = kvs.every((kv) => kv.modRevision === first.modRevision && Buffer.from(kv.value).equals(Buffer.from(first.value)));
        if (!same || JSON.stringify(have) !== JSON.stringify([...want].sort())) {
          torn++;
          if (tornSamples.length < 5) tornSamples.push(`${id}: have ${have.join(',')} want ${want.join(',')}`);
        }
        if (!ackedIds.has(id)) unackedApplied.add(id);
      }
      t.equal(torn, 0, `${label}: no partially applied txn among ${groups.size}`, { tornSamples });

      // the counter: never behind an acknowledged increment, and its history is right
      const ctr = byKey.get('counter');
      if (maxCtr) {
        const v = ctr ? Number(td.decode(ctr.value)) : 0;
        t.ok(ctr && v >= maxCtr.value && ctr.modRevision >= maxCtr.rev, `${label}: counter ${v}@${ctr?.modRevision} >= acked ${maxCtr.value}@${maxCtr.rev}`);
        t.equal(ctr?.version, v, `${label}: counter version = value (every increment kept)`);
      }
      let badPast = 0;
      for (const c of ctrAcks) {
        if (c.rev > rev) {
          badPast++;
          continue;
        }
        const kv = (await store.range('counter', undefined, { revision: c.rev })).kvs[0];
        if (!kv || kv.modRevision !== c.rev || Number(td.decode(kv.value)) !== c.value) badPast++;
      }
      t.equal(badPast, 0, `${label}: counter at each of ${ctrAcks.length} acked revisions reads back the acked value`);

      t.ok(all.kvs.every((kv) => kv.modRevision <= rev), `${label}: no key is newer than the revision`);

      // history after the crash: every revision of this round is there exactly once
      const from = run.ready.rev + 1;
      const { events, error } = await collectWatch(store, from, rev);
      t.equal(error, undefined, `${label}: history watch from ${from} ran cleanly`);
      const revs = [...new Set(events.map((e) => e.kv.modRevision))];
      const dense = revs.length === rev - from + 1 && revs.every((r, i) => r === from + i);
      t.ok(dense, `${label}: history ${from}..${rev} has every revision (${revs.length} distinct)`);
      const evAt = new Map<number, WatchEvent[]>();
      for (const e of events) evAt.set(e.kv.modRevision, [...(evAt.get(e.kv.modRevision) ?? []), e]);
      let badEv = 0;
      for (const a of txnAcks) {
        const ev = evAt.get(a.rev) ?? [];
        if (JSON.stringify(ev.map((e) => e.kv.key).sort()) !== JSON.stringify([...a.keys].sort())) badEv++;
      }
      t.equal(badEv, 0, `${label}: the events at each acked txn revision are exactly its keys`);

      // new writes continue at revision + 1
      const p = await store.put('probe', te.encode(String(round)));
      t.equal(p.revision, rev + 1, `${label}: next write gets revision ${rev + 1}`);
      const p2 = await store.txn({
        compare: [{ key: 'probe', target: 'modRevision', result: '=', value: rev + 1 }],
        success: [{ type: 'put', key: 'probe', value: te.encode(`${round}!`) }],
      });
      t.equal(p2.revision, rev + 2, `${label}: and the next ${rev + 2}`);
      lastRevision = store.revision;
    } finally {
      await store.close();
    }
    if (run.partial) t.comment(`${label}: child died mid-line (${run.partial.length} chars)`);
  }

  const revs = allTxnAcks.map((a) => a.rev);
  t.equal(new Set(revs).size, revs.length, 'no two acknowledged txns share a revision');
  t.ok(totalAcks > ROUNDS * 5, `the writers made progress (${totalAcks} acks over ${ROUNDS} rounds; ${unackedApplied.size} unacknowledged txns found applied)`);
});
