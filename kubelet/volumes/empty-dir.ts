/**
 * emptyDir volumes: a 0777 directory under the pod's dir (kube makes it world-writable so
 * any container user can write), or with medium Memory a tmpfs mounted there. The tmpfs
 * size is kube's calculateEmptyDirMemorySize: the node's allocatable memory, lowered to
 * the pod's memory limit (when every container has one) and to the volume's sizeLimit,
 * so a Memory emptyDir can never hold more than the pod may use.
 */
import type { V1Pod, V1Volume } from '@kubernetes/client-node';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { parseQuantity } from '../../client/quantity.js';
import { mountsUnder, mountTmpfs, readMountInfo } from './mountinfo.js';

/** the pod's memory limit in bytes, only when every container has one (kube's ResourceConfigForPod) */
export function podMemoryLimitBytes(pod: V1Pod): number | undefined {
  const containers = pod.spec?.containers ?? [];
  let sum = 0;
  for (const c of containers) {
    const limit = parseQuantity(c.resources?.limits?.['memory'] as string | undefined);
    if (limit === undefined || limit <= 0) return undefined;
    sum += limit;
  }
  let initMax = 0;
  for (const c of pod.spec?.initContainers ?? []) {
    const limit = parseQuantity(c.resources?.limits?.['memory'] as string | undefined);
    if (limit === undefined || limit <= 0) return undefined;
    initMax = c.restartPolicy === 'Always' ? initMax : Math.max(initMax, limit);
    if (c.restartPolicy === 'Always') sum += limit;
  }
  return containers.length === 0 ? undefined : Math.ceil(Math.max(sum, initMax));
}

export function emptyDirMemorySizeBytes(nodeAllocatableBytes: number, pod: V1Pod, sizeLimit: string | undefined): number {
  let size = nodeAllocatableBytes;
  const podLimit = podMemoryLimitBytes(pod);
  if (podLimit !== undefined && podLimit > 0 && podLimit <= size) size = podLimit;
  const volumeLimit = parseQuantity(sizeLimit);
  if (volumeLimit !== undefined && volumeLimit > 0 && volumeLimit <= size) size = Math.ceil(volumeLimit);
  return Math.floor(size);
}

/** mount options for the tmpfs */
export const tmpfsOptions = (sizeBytes: number): string => `size=${sizeBytes},mode=0777`;

export async function setUpEmptyDir(dir: string, volume: V1Volume, pod: V1Pod, nodeAllocatableMemory: () => Promise<number>): Promise<void> {
  const created = (await mkdir(dir, { recursive: true })) !== undefined;
  if (volume.emptyDir?.medium === 'Memory') {
    const mounted = mountsUnder(await readMountInfo(), dir).some((m) => m.mountPoint === dir && m.fsType === 'tmpfs');
    if (mounted) return;
    await mountTmpfs(dir, tmpfsOptions(emptyDirMemorySizeBytes(await nodeAllocatableMemory(), pod, volume.emptyDir.sizeLimit as string | undefined)));
  } else if (!created) return;
  // once, at creation: later changes from inside the containers are theirs to keep
  const fsGroup = pod.spec?.securityContext?.fsGroup;
  if (fsGroup !== undefined) {
    // kube's SetVolumeOwnership for a writable volume: the group owns it, setgid so new files inherit it
    await chown(dir, process.getuid?.() ?? 0, fsGroup);
    await chmod(dir, 0o2777);
  } else await chmod(dir, 0o777);
}
