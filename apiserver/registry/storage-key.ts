/**
 * Where objects live in the store. Like kube-apiserver on etcd, one key per object:
 *   /registry/<group or "core">/<plural>/<namespace>/<name>   (namespaced)
 *   /registry/<group or "core">/<plural>/<name>               (cluster-scoped)
 * so a namespace, or a whole resource, is one prefix range.
 */
import { prefixEnd } from '../../store/types.js';
import type { ResourceDef } from '../catalogue/resource-def.js';

export interface StorageLocation {
  group: string;
  plural: string;
  namespaced: boolean;
}

/** A kind may keep its objects in another resource's storage (events.k8s.io Events share core's). */
export const storageOf = (def: ResourceDef): StorageLocation => def.storage ?? def;

const base = (loc: StorageLocation) => `/registry/${loc.group || 'core'}/${loc.plural}/`;

export function objectKey(loc: StorageLocation, namespace: string, name: string): string {
  return loc.namespaced ? `${base(loc)}${namespace}/${name}` : `${base(loc)}${name}`;
}

/** The range holding every object of the resource, or of one namespace when given. */
export function collectionRange(loc: StorageLocation, namespace: string): { key: string; rangeEnd: string } {
  const key = loc.namespaced && namespace ? `${base(loc)}${namespace}/` : base(loc);
  return { key, rangeEnd: prefixEnd(key) };
}
