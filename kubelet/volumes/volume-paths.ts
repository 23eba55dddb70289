/**
 * Where a pod's volumes live on the host, in kube's layout so that anyone who knows the
 * kubelet finds them: <pods root>/<pod uid>/volumes/kubernetes.io~<plugin>/<volume name>.
 * Pure path arithmetic; hostPath volumes have no directory of their own (the host path is
 * mounted as is).
 */
import type { V1Volume } from '@kubernetes/client-node';
import { join } from 'node:path';

/** the plugins k8ts implements, by kube's directory name */
export type VolumePluginName = 'empty-dir' | 'configmap' | 'secret' | 'downward-api' | 'projected' | 'host-path';

/** the volume source fields k8ts does not implement (kube's other in-tree and CSI plugins) */
const UNSUPPORTED_SOURCES = [
  'persistentVolumeClaim',
  'csi',
  'ephemeral',
  'image',
  'nfs',
  'iscsi',
  'rbd',
  'cephfs',
  'fc',
  'flexVolume',
  'gitRepo',
  'glusterfs',
  'awsElasticBlockStore',
  'gcePersistentDisk',
  'azureDisk',
  'azureFile',
  'cinder',
  'flocker',
  'portworxVolume',
  'quobyte',
  'scaleIO',
  'storageos',
  'vsphereVolume',
  'photonPersistentDisk',
] as const;

export type VolumeKind = { plugin: VolumePluginName } | { unsupported: string };

/** which plugin serves a volume; a volume with no source at all is an emptyDir, as kube defaults it */
export function volumeKind(volume: V1Volume): VolumeKind {
  if (volume.hostPath) return { plugin: 'host-path' };
  if (volume.configMap) return { plugin: 'configmap' };
  if (volume.secret) return { plugin: 'secret' };
  if (volume.downwardAPI) return { plugin: 'downward-api' };
  if (volume.projected) return { plugin: 'projected' };
  if (volume.emptyDir) return { plugin: 'empty-dir' };
  const record = volume as unknown as Record<string, unknown>;
  const other = UNSUPPORTED_SOURCES.find((field) => record[field] !== undefined && record[field] !== null);
  if (other) return { unsupported: other };
  return { plugin: 'empty-dir' };
}

export const podDirectory = (podsRoot: string, podUid: string): string => join(podsRoot, podUid);

export const podVolumesDirectory = (podsRoot: string, podUid: string): string => join(podDirectory(podsRoot, podUid), 'volumes');

/** <pods root>/<uid>/volumes/kubernetes.io~<plugin>/<name> */
export const volumeDirectory = (podsRoot: string, podUid: string, plugin: Exclude<VolumePluginName, 'host-path'>, volumeName: string): string =>
  join(podVolumesDirectory(podsRoot, podUid), `kubernetes.io~${plugin}`, volumeName);

/** the host path a volume is mounted from */
export function volumeHostPath(podsRoot: string, podUid: string, volume: V1Volume): string | undefined {
  const kind = volumeKind(volume);
  if ('unsupported' in kind) return undefined;
  if (kind.plugin === 'host-path') return volume.hostPath!.path;
  return volumeDirectory(podsRoot, podUid, kind.plugin, volume.name);
}
