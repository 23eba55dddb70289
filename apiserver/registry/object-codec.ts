/**
 * Objects are stored as JSON without their resourceVersion: the store's modRevision is
 * the resourceVersion (ARCHITECTURE.md), set on every object read back.
 */
import type { KeyValue } from '../../store/types.js';
import type { KubeObject } from '../catalogue/resource-def.js';

/** apiVersion, kind and metadata lead, so rawObjectJson can find metadata without parsing. */
export function encodeObject(obj: KubeObject): Uint8Array {
  const { resourceVersion: _omit, ...metadata } = obj.metadata;
  const { apiVersion, kind, metadata: _m, ...rest } = obj;
  return Buffer.from(JSON.stringify({ apiVersion, kind, metadata, ...rest }));
}

const LEADING_METADATA = /^\{(?:"apiVersion":"[^"\\]*",)?(?:"kind":"[^"\\]*",)?"metadata":\{/;

/**
 * The stored object as JSON text with its resourceVersion spliced in, without parsing it:
 * a large list answered as JSON costs a copy of the stored bytes, not a parse and a
 * stringify per object. Objects not in encodeObject's layout are re-encoded.
 */
export function rawObjectJson(kv: KeyValue): string {
  const text = Buffer.from(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength).toString();
  const m = LEADING_METADATA.exec(text);
  if (!m) return JSON.stringify(decodeObject(kv));
  const at = m[0].length;
  const rv = `"resourceVersion":"${kv.modRevision}"`;
  return text.slice(0, at) + (text[at] === '}' ? rv : `${rv},`) + text.slice(at);
}

export function decodeObject(kv: KeyValue): KubeObject {
  const obj = JSON.parse(Buffer.from(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength).toString()) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** The object as it was just before it was deleted at `revision` (kube reports that RV). */
export function decodeDeleted(prev: KeyValue, revision: number): KubeObject {
  const obj = decodeObject(prev);
  obj.metadata.resourceVersion = String(revision);
  return obj;
}
