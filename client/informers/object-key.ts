/**
 * The cache key of an object, as client-go's MetaNamespaceKeyFunc: "namespace/name" for
 * namespaced objects, "name" for cluster-scoped ones. Controllers enqueue these keys and
 * read the object back from a lister by the same key.
 */
import type { KubeObject } from '../types.js';

export function objectKey(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error(`object has no metadata.name (kind ${obj.kind ?? 'unknown'}); it cannot be cached`);
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** the inverse of objectKey: "ns/name" → { namespace, name }, "name" → { name } */
export function splitObjectKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { name: key };
  if (slash === 0 || slash === key.length - 1 || key.indexOf('/', slash + 1) >= 0) {
    throw new Error(`"${key}" is not a cache key (want "namespace/name" or "name")`);
  }
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
