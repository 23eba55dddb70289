/**
 * Where container logs live, the real kubelet's layout under the node's data dir:
 *
 *   <root>/pods/<namespace>_<pod>_<uid>/             PodSandboxConfig.logDirectory
 *   <root>/pods/<namespace>_<pod>_<uid>/<container>/<restartCount>.log   ContainerConfig.logPath
 *   …/<restartCount>.log.<YYYYMMDD-HHMMSS>                            rotated parts
 *
 * One file per container instance, so `kubectl logs --previous` reads restartCount-1.
 */
import { join } from 'node:path';
import type { PodIdentity } from '../cri/labels.js';

export const podLogDirectory = (root: string, pod: PodIdentity): string => join(root, 'pods', `${pod.namespace}_${pod.name}_${pod.uid}`);

/** relative to podLogDirectory, as CRI wants ContainerConfig.logPath */
export const containerLogPath = (container: string, restartCount: number): string => join(container, `${restartCount}.log`);
