/**
 * The classic in-tree disk conflicts (kube's isVolumeConflict): the same block device
 * mounted by two pods on one node, unless both mount it read-only where the volume type
 * allows sharing read-only.
 *   gcePersistentDisk     same pdName, not both read-only
 *   awsElasticBlockStore  same volumeID (EBS never attaches twice)
 *   iscsi                 same IQN, not both read-only
 *   rbd                   a shared monitor, same pool and image, not both read-only
 */
import type { V1Pod, V1Volume } from '@kubernetes/client-node';

/** does the volume use one of the types above (so it needs checking at all) */
export function needsDiskConflictCheck(v: V1Volume): boolean {
  return Boolean(v.gcePersistentDisk || v.awsElasticBlockStore || v.rbd || v.iscsi);
}

const overlap = (a: readonly string[], b: readonly string[]): boolean => {
  const set = new Set(a);
  return b.some((x) => set.has(x));
};

export function volumesConflict(v: V1Volume, e: V1Volume): boolean {
  if (v.gcePersistentDisk && e.gcePersistentDisk) {
    if (v.gcePersistentDisk.pdName === e.gcePersistentDisk.pdName && !(v.gcePersistentDisk.readOnly && e.gcePersistentDisk.readOnly)) return true;
  }
  if (v.awsElasticBlockStore && e.awsElasticBlockStore) {
    if (v.awsElasticBlockStore.volumeID === e.awsElasticBlockStore.volumeID) return true;
  }
  if (v.iscsi && e.iscsi) {
    if (v.iscsi.iqn === e.iscsi.iqn && !(v.iscsi.readOnly && e.iscsi.readOnly)) return true;
  }
  if (v.rbd && e.rbd) {
    const same = overlap(v.rbd.monitors ?? [], e.rbd.monitors ?? []) && (v.rbd.pool ?? 'rbd') === (e.rbd.pool ?? 'rbd') && v.rbd.image === e.rbd.image;
    if (same && !(v.rbd.readOnly && e.rbd.readOnly)) return true;
  }
  return false;
}

/** does any of the pod's checkable volumes clash with a volume of one of these pods */
export function hasDiskConflict(pod: V1Pod, existing: Iterable<V1Pod>): boolean {
  const volumes = (pod.spec?.volumes ?? []).filter(needsDiskConflictCheck);
  if (volumes.length === 0) return false;
  for (const other of existing) {
    for (const e of other.spec?.volumes ?? []) {
      if (volumes.some((v) => volumesConflict(v, e))) return true;
    }
  }
  return false;
}
