/**
 * Objects are stored as JSON without their resourceVersion: the store's modRevision is
 * the resourceVersion (ARCHITECTURE.md), set on every object read back.
 */
import type { KeyValue } from '../../store/types.js';
import type { KubeObject } from '../catalogue/resource-def.js';

export function encodeObject(obj: KubeObject): Uint8Array {
  const { resourceVersion: _omit, ...metadata } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata }));
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
