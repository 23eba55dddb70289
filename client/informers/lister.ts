/**
 * A Lister: the read-only face of an informer's cache that controllers use (client-go's
 * listers). Reads never reach the API server.
 *
 * The objects returned are the cache's own: structuredClone before changing one.
 */
import type { KubeObject } from '../types.js';
import { type Indexer, NAMESPACE_INDEX } from './indexer.js';

export interface Lister<T extends KubeObject = KubeObject> {
  /** every cached object, or those in one namespace */
  list(opts?: { namespace?: string; labelSelector?: Record<string, string> }): T[];
  /** by name (and namespace, for namespaced kinds) */
  get(name: string, namespace?: string): T | undefined;
  /** by cache key: "namespace/name" or "name" — what controllers dequeue */
  getByKey(key: string): T | undefined;
  byIndex(indexName: string, value: string): T[];
}

export function listerFor<T extends KubeObject>(cache: Indexer<T>): Lister<T> {
  return {
    list(opts = {}) {
      const objects = opts.namespace !== undefined ? cache.byIndex(NAMESPACE_INDEX, opts.namespace) : cache.list();
      const selector = opts.labelSelector;
      if (!selector) return objects;
      const wanted = Object.entries(selector);
      return objects.filter((obj) => wanted.every(([k, v]) => obj.metadata?.labels?.[k] === v));
    },
    get: (name, namespace) => cache.get(namespace ? `${namespace}/${name}` : name),
    getByKey: (key) => cache.get(key),
    byIndex: (indexName, value) => cache.byIndex(indexName, value),
  };
}
