/**
 * How the revision log is laid out in the ordered key-value store.
 *
 *   k/<key>\0<rev:16 hex>       one entry per version of a key: a put's value and
 *                               metadata, or a one-byte tombstone for a delete
 *   h/<rev:16 hex><sub:4 hex>   one entry per event, in revision order: the key it touched
 *   l/<lease id:16 hex>         granted leases: their TTL in seconds
 *   m/compacted                 the compaction point
 *
 * Worked example: put a=1 (rev 2), put a=2 (rev 3), delete a (rev 4) writes
 *   k/a\0…02 = [put create=2 ver=1 "1"]   h/…020000 = "a"
 *   k/a\0…03 = [put create=2 ver=2 "2"]   h/…030000 = "a"
 *   k/a\0…04 = [tombstone]                h/…040000 = "a"
 * Reading `a` at rev 3 seeks to the last k/a\0 entry <= …03. Watching from rev 3 walks
 * h/ from …030000 and looks each key's version up in k/. Because \0 sorts before every
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
export const historyKey = (revision: number, sub: number) => `${HISTORY_PREFIX}${hex(revision, 16)}${hex(sub, 4)}`;
export const historyFloor = (revision: number) => `${HISTORY_PREFIX}${hex(revision, 16)}`;
export const leaseKey = (id: number) => `${LEASE_PREFIX}${hex(id, 16)}`;

export function parseVersionKey(stored: string): { key: string; revision: number } {
  const sep = stored.lastIndexOf('\0');
  return { key: stored.slice(KEY_PREFIX.length, sep), revision: parseInt(stored.slice(sep + 1), 16) };
}

export function parseHistoryKey(stored: string): { revision: number; sub: number } {
  const body = stored.slice(HISTORY_PREFIX.length);
  return { revision: parseInt(body.slice(0, 16), 16), sub: parseInt(body.slice(16), 16) };
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
