/**
 * The informer's cache (client-go's thread-safe store + Indexer in one, since JavaScript
 * runs one thing at a time): objects by key (see object-key.ts), plus secondary indexes
 * from an index value to the keys of the objects that carry it.
 *
 *   const cache = new Indexer<V1Pod>();
 *   cache.addIndexers({ byNode: (pod) => [pod.spec?.nodeName] });
 *   cache.set(pod);                      // key "default/web", indexed under byNode "n1"
 *   cache.byIndex('byNode', 'n1');       // → [pod]
 *   cache.byIndex('namespace', 'default'); // the built-in index
 *
 * Every index is kept as name → value → Set<key>; set/delete update only the entries of
 * the one object, so indexes cost O(values of that object) per change.
 *
 * OBJECTS IN THE CACHE ARE SHARED, NOT COPIED: every caller of get/list/byIndex sees the
 * same object. Never change one — structuredClone it first, then change the copy. (They
 * are not frozen: deep-freezing every object on every event costs too much.)
 */
import type { KubeObject } from '../types.js';
import { objectKey } from './object-key.js';

/** the values an object is indexed under; null/undefined/'' entries are skipped */
export type IndexFunc<T> = (obj: T) => ReadonlyArray<string | null | undefined>;
export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';

export class Indexer<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers({ [NAMESPACE_INDEX]: (obj) => [obj.metadata?.namespace], ...indexers });
  }

  /** add indexes; objects already cached are indexed at once */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) addToIndex(index, indexValues(fn, obj, name), key);
    }
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** the objects indexed under `value` in index `indexName` */
  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((key) => this.items.get(key) as T);
  }

  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no indexer named "${indexName}" (have: ${[...this.indices.keys()].join(', ')})`);
    return [...(index.get(value) ?? [])];
  }

  /** add or replace the object under its key; returns the object it replaced */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    // Compute the new index values before touching anything: an index function that
    // throws leaves the cache as it was.
    const values = [...this.indexers].map(([name, fn]) => [name, indexValues(fn, obj, name)] as const);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, v] of values) addToIndex(this.indices.get(name)!, v, key);
    return old;
  }

  /** remove by key; returns the object removed */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** drop everything and hold exactly `objects` */
  replace(objects: Iterable<T>): void {
    const list = [...objects];
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const obj of list) this.set(obj);
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of indexValues(fn, obj, name)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}

function indexValues<T>(fn: IndexFunc<T>, obj: T, name: string): Set<string> {
  let values: ReadonlyArray<string | null | undefined>;
  try {
    values = fn(obj);
  } catch (err) {
    // An index function that throws on an odd object must not corrupt the cache.
    throw new Error(`indexer "${name}" failed: ${(err as Error).message}`, { cause: err });
  }
  const out = new Set<string>();
  for (const v of values) if (v !== undefined && v !== null && v !== '') out.add(v);
  return out;
}

function addToIndex(index: Map<string, Set<string>>, values: Set<string>, key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (!keys) index.set(value, (keys = new Set()));
    keys.add(key);
  }
}
