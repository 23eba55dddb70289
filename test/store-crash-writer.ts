/**
 * Child process of store-crash.test.ts: opens the level store at argv[2] and writes until
 * it is killed, with CONCURRENCY txns in flight. Prints one JSON line per acknowledged
 * (resolved) txn on stdout:
 *
 *   {"t":"ready","rev":N}                               once the store is open
 *   {"t":"txn","rev":R,"keys":["a/ID",...],"hash":H}   1-3 keys created atomically, same value
 *   {"t":"ctr","rev":R,"value":V}                      CAS increment of the key "counter"
 *
 * Multi-key txn keys are never overwritten; the counter is (only ever incremented by CAS).
 * Usage: node <loader flags> store-crash-writer.ts <path> <tag> [concurrency]
 */
import { createHash, randomBytes } from 'node:crypto';
import { openStore } from '../store/index.js';

const [path, tag, conc] = process.argv.slice(2);
if (!path || !tag) {
  process.stderr.write('usage: store-crash-writer <path> <tag> [concurrency]\n');
  process.exit(2);
}
const CONCURRENCY = Number(conc ?? 16);
const te = new TextEncoder();
const td = new TextDecoder();

const valueHash = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 16);

function ack(o: object): void {
  // stdout is a pipe: writes are synchronous on Linux, so an acked line is in the pipe
  // before the next txn starts
  process.stdout.write(JSON.stringify(o) + '\n');
}

const store = await openStore({ backend: 'level', path, compactionWindowMs: 0, leaseCheckIntervalMs: 0 });
ack({ t: 'ready', rev: store.revision });

let seq = 0;

async function multiKey(): Promise<void> {
  const id = `${tag}-${seq++}`;
  const prefixes = ['a/', 'b/', 'c/'];
  const n = 1 + Math.floor(Math.random() * 3);
  // a random subset of n prefixes, in order
  const chosen = prefixes.filter(() => Math.random() < 0.5).slice(0, n);
  const keyPrefixes = chosen.length > 0 ? chosen : prefixes.slice(0, n);
  const keys = keyPrefixes.map((p) => p + id);
  const value = JSON.stringify({ id, keys, pad: randomBytes(Math.floor(Math.random() * 200)).toString('hex') });
  const res = await store.txn({
    compare: keys.map((key) => ({ key, target: 'createRevision' as const, result: '=' as const, value: 0 })),
    success: keys.map((key) => ({ type: 'put' as const, key, value: te.encode(value) })),
  });
  if (!res.succeeded) throw new Error(`create of fresh keys ${keys.join(',')} failed its compare`);
  ack({ t: 'txn', rev: res.revision, keys, hash: valueHash(value) });
}

async function casCounter(): Promise<void> {
  const kv = (await store.range('counter')).kvs[0];
  const cur = kv ? Number(td.decode(kv.value)) : 0;
  const res = await store.txn({
    compare: [
      kv
        ? { key: 'counter', target: 'modRevision', result: '=', value: kv.modRevision }
        : { key: 'counter', target: 'createRevision', result: '=', value: 0 },
    ],
    success: [{ type: 'put', key: 'counter', value: te.encode(String(cur + 1)) }],
  });
  if (res.succeeded) ack({ t: 'ctr', rev: res.revision, value: cur + 1 });
}

async function worker(): Promise<void> {
  for (;;) {
    if (Math.random() < 0.3) await casCounter();
    else await multiKey();
  }
}

try {
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
} catch (err) {
  process.stderr.write(`writer failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
