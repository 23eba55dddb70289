/**
 * What the pod workers need from the volume manager: set up every volume of a pod on the
 * host before its containers start, hand each container its mounts, and tear everything
 * down (unmounting tmpfs emptyDirs) when the pod is removed. Volumes live under
 * <kubelet data dir>/pods/<uid>/volumes/<plugin>/<name>, as kube lays them out.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { Mount } from '../cri/api.js';

export interface PodVolumes {
  /**
   * Make every volume of the pod present and current (configMap/secret/downwardAPI/projected
   * contents are refreshed on each call; a bound token before it expires). Throws an Error
   * whose message is what kube's FailedMount event says ('MountVolume.SetUp failed for
   * volume "x" : configmap "y" not found'), and the pod's containers do not start.
   */
  setUp(pod: V1Pod): Promise<void>;
  /** the CRI mounts for one container's volumeMounts (after setUp) */
  mountsFor(pod: V1Pod, container: V1Container): Mount[];
  /** unmount and delete everything of this pod; idempotent */
  tearDown(podUid: string): Promise<void>;
  /** stop refresh timers */
  close(): Promise<void>;
}

/**
 * setUp's failure: one kube FailedMount message per volume that failed, so the pod worker
 * can record one event per volume as kube does.
 */
export class VolumeSetUpError extends Error {
  override name = 'VolumeSetUpError';
  constructor(readonly messages: string[]) {
    super(messages.join('; '));
  }
}
