/**
 * Owners known not to exist (kube's absentOwnerCache, an LRU of 500): when a ReplicaSet
 * with a hundred pods is deleted, the first pod's check GETs the ReplicaSet and finds it
 * gone; the other ninety-nine read the answer here instead of asking the API server again.
 * A uid is never reused, so an entry can never turn stale; the bound only caps memory.
 */
import type { ObjectIdentity } from './object-identity.js';

export const DEFAULT_ABSENT_OWNER_CACHE_SIZE = 500;

const keyOf = (id: ObjectIdentity) => JSON.stringify([id.uid, id.apiVersion, id.kind, id.namespace, id.name]);

export class AbsentOwnerCache {
  // a Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity = DEFAULT_ABSENT_OWNER_CACHE_SIZE) {}

  add(id: ObjectIdentity): void {
    const key = keyOf(id);
    this.entries.delete(key);
    this.entries.set(key, true);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  has(id: ObjectIdentity): boolean {
    const key = keyOf(id);
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }
}
