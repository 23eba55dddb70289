/**
 * What a relist means to handlers (client-go's DeltaFIFO Replace, simplified to the
 * notifications handlers get): compare the cache with the fresh list.
 *
 *   cache {a@1, b@2, c@3}, list {a@1, b@5, d@6}
 *     → b: update(b@2 → b@5)   changed while we were not watching
 *     → d: add(d@6)            created in between
 *     → c: delete(c@3)         deleted in between (the last state we knew)
 *     → a: nothing             same resourceVersion: nothing happened
 *
 * Objects missing a resourceVersion are compared as changed (an update), to be safe.
 */
import type { KubeObject } from '../types.js';
import { objectKey } from './object-key.js';

export type Delta<T> = { type: 'add'; obj: T } | { type: 'update'; old: T; obj: T } | { type: 'delete'; obj: T };

export interface CacheView<T> {
  get(key: string): T | undefined;
  listKeys(): string[];
}

export function replaceDeltas<T extends KubeObject>(cache: CacheView<T>, items: readonly T[]): Delta<T>[] {
  const deltas: Delta<T>[] = [];
  const seen = new Set<string>();
  for (const obj of items) {
    const key = objectKey(obj);
    seen.add(key);
    const old = cache.get(key);
    if (!old) deltas.push({ type: 'add', obj });
    else if (!sameVersion(old, obj)) deltas.push({ type: 'update', old, obj });
  }
  for (const key of cache.listKeys()) {
    if (!seen.has(key)) deltas.push({ type: 'delete', obj: cache.get(key) as T });
  }
  return deltas;
}

function sameVersion(a: KubeObject, b: KubeObject): boolean {
  const rv = a.metadata?.resourceVersion;
  return rv !== undefined && rv !== '' && rv === b.metadata?.resourceVersion;
}
