/**
 * How the revision log is laid out in the ordered key-value store.
 *
 *   k/<key>\0<rev:16 hex>       one entry per version of a key: a put's value and
 *                               metadata, or a one-byte tombstone for a delete
 *   h/<rev:16 hex>              one entry per group-commit batch, named by the batch's
 *                               last revision: (revision, key) of each of its events in
 *                               order. One entry per batch, not per event, halves the
 *                               entries LevelDB writes per transaction.
 *   l/<lease id:16 hex>         granted leases: their TTL in seconds
 *   m/compacted                 the compaction point
 *
 * Worked example: put a=1 (rev 2) alone, then put a=2 (rev 3) and delete b (rev 4) in
 * one batch writes
 *   k/a\0…02 = [put create=2 ver=1 "1"]   h/…02 = [(2, "a")]
 *   k/a\0…03 = [put create=2 ver=2 "2"]   h/…04 = [(3, "a"), (4, "b")]
 *   k/b\0…04 = [tombstone]
 * Reading `a` at rev 3 seeks to the last k/a\0 entry <= …03. Watching from rev 3 seeks
 * h/ to the first batch whose name is >= …03 and looks each key's version up in k/. Because \0 sorts before every
 * other character, all versions of "a" sit together before any key starting with "a".
 */
import type { KeyValue } from './types.js';

export const KEY_PREFIX = 'k/';
export const KEY_PREFIX_END = 'k0'; // '/' + 1
export const HISTORY_PREFIX = 'h/';
export const LEASE_PREFIX = 'l/';
export const LEASE_PREFIX_END = 'l0';
export const COMPACTED_KEY = 'm/compacted';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export const versionKey = (key: string, revision: number) => `${KEY_PREFIX}${key}\0${hex(revision, 16)}`;
export const versionKeyFloor = (key: string) => `${KEY_PREFIX}${key}\0`;
export const historyKey = (lastRevision: number) => `${HISTORY_PREFIX}${hex(lastRevision, 16)}`;
export const leaseKey = (id: number) => `${LEASE_PREFIX}${hex(id, 16)}`;

export function parseVersionKey(stored: string): { key: string; revision: number } {
  const sep = stored.lastIndexOf('\0');
  return { key: stored.slice(KEY_PREFIX.length, sep), revision: parseInt(stored.slice(sep + 1), 16) };
}

export const parseHistoryKey = (stored: string) => parseInt(stored.slice(HISTORY_PREFIX.length), 16);

export interface HistoryEntry {
  revision: number;
  key: string;
}

/** [revision float64][key length uint32][key utf8] per event. */
export function encodeHistory(entries: readonly HistoryEntry[]): Uint8Array {
  const keys = entries.map((e) => Buffer.from(e.key));
  const out = Buffer.allocUnsafe(keys.reduce((n, k) => n + 12 + k.length, 0));
  let at = 0;
  entries.forEach((e, i) => {
    const key = keys[i]!;
    at = out.writeDoubleBE(e.revision, at);
    at = out.writeUInt32BE(key.length, at);
    at += key.copy(out, at);
  });
  return out;
}

export function decodeHistory(bytes: Uint8Array): HistoryEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: HistoryEntry[] = [];
  for (let at = 0; at < buf.length; ) {
    const revision = buf.readDoubleBE(at);
    const length = buf.readUInt32BE(at + 8);
    out.push({ revision, key: buf.toString('utf8', at + 12, at + 12 + length) });
    at += 12 + length;
  }
  return out;
}

export const parseLeaseKey = (stored: string) => parseInt(stored.slice(LEASE_PREFIX.length), 16);

const HEADER = 25; // flag, createRevision, version, lease (three float64s: exact to 2^53)
const TOMBSTONE = new Uint8Array([0]);

export function encodeVersion(kv: KeyValue): Uint8Array {
  const out = new Uint8Array(HEADER + kv.value.length);
  const view = new DataView(out.buffer);
  out[0] = 1;
  view.setFloat64(1, kv.createRevision);
  view.setFloat64(9, kv.version);
  view.setFloat64(17, kv.lease);
  out.set(kv.value, HEADER);
  return out;
}

export const encodeTombstone = () => TOMBSTONE;

/** The stored version as a KeyValue, or undefined for a tombstone. */
export function decodeVersion(key: string, modRevision: number, bytes: Uint8Array): KeyValue | undefined {
  if (bytes[0] !== 1) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    key,
    modRevision,
    createRevision: view.getFloat64(1),
    version: view.getFloat64(9),
    lease: view.getFloat64(17),
    value: bytes.subarray(HEADER),
  };
}

export function encodeNumber(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, n);
  return out;
}

export const decodeNumber = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat64(0);
