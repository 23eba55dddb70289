/**
 * PartialObjectMetadata and PartialObjectMetadataList (meta.k8s.io/v1 and v1beta1): an
 * object reduced to its metadata. Served when a client asks for
 * `application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1` (the garbage
 * collector's and kubectl's metadata informers), and as Table row objects.
 *
 *   { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: {…whole ObjectMeta…} }
 *
 * kube keeps the whole ObjectMeta (managedFields included) and names the kind in the
 * version the client asked for.
 */
import type { KubeObject, ObjectMeta } from '../catalogue/resource-def.js';

export const META_VERSIONS = ['v1', 'v1beta1'] as const;
export type MetaVersion = (typeof META_VERSIONS)[number];

export interface PartialObjectMetadata extends KubeObject {
  kind: 'PartialObjectMetadata';
  apiVersion: `meta.k8s.io/${MetaVersion}`;
  metadata: ObjectMeta;
}

export interface PartialObjectMetadataList {
  kind: 'PartialObjectMetadataList';
  apiVersion: `meta.k8s.io/${MetaVersion}`;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: PartialObjectMetadata[];
}

export function asPartialObjectMetadata(obj: KubeObject, version: MetaVersion = 'v1'): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} };
}

export function asPartialObjectMetadataList(
  objects: readonly KubeObject[],
  listMeta: PartialObjectMetadataList['metadata'] = {},
  version: MetaVersion = 'v1',
): PartialObjectMetadataList {
  const metadata: PartialObjectMetadataList['metadata'] = {};
  if (listMeta.resourceVersion) metadata.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue) metadata.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined) metadata.remainingItemCount = listMeta.remainingItemCount;
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata,
    items: objects.map((o) => asPartialObjectMetadata(o, version)),
  };
}
