/**
 * A container's volumeMounts as CRI mounts, kube's makeMounts: the volume's host path
 * (joined with subPath), read-only when the mount says so and always for configMap,
 * secret, downwardAPI and projected volumes (kube's plugins declare them read-only), and
 * the propagation mode. A subPath must be relative and free of `..` elements; after it is
 * created (0755, as kube does) its real path must still lie inside the volume, so a
 * symlink planted in a writable volume cannot expose the host.
 */
import type { V1Container, V1Pod, V1VolumeMount } from '@kubernetes/client-node';
import { mkdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Mount } from '../cri/api.js';
import { volumeHostPath, volumeKind } from './volume-paths.js';

const READ_ONLY_PLUGINS = new Set(['configmap', 'secret', 'downward-api', 'projected']);

export const propagationOf = (mode: string | undefined): NonNullable<Mount['propagation']> =>
  mode === 'Bidirectional' ? 'PROPAGATION_BIDIRECTIONAL' : mode === 'HostToContainer' ? 'PROPAGATION_HOST_TO_CONTAINER' : 'PROPAGATION_PRIVATE';

/** kube's checks on a subPath before it is used; returns the message or undefined */
export function invalidSubPath(subPath: string): string | undefined {
  if (isAbsolute(subPath)) return `error SubPath \`${subPath}\` must not be an absolute path`;
  if (subPath.split(/[\\/]/).includes('..')) return `unable to provision SubPath \`${subPath}\`: must not contain '..'`;
  return undefined;
}

export interface PlannedMount extends Mount {
  /** set when the mount uses a subPath: the volume's root, which the subPath must stay inside */
  volumeRoot?: string;
}

/** the mounts without touching the disk (subPaths joined, not yet created or resolved) */
export function planContainerMounts(podsRoot: string, pod: V1Pod, container: V1Container): PlannedMount[] {
  const uid = pod.metadata?.uid ?? '';
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (container.volumeMounts ?? []).map((m: V1VolumeMount) => {
    const volume = volumes.get(m.name);
    if (!volume) throw new Error(`cannot find volume "${m.name}" to mount into container "${container.name}"`);
    const kind = volumeKind(volume);
    const root = volumeHostPath(podsRoot, uid, volume);
    if ('unsupported' in kind || root === undefined) throw new Error(`cannot mount volume "${m.name}": ${'unsupported' in kind ? kind.unsupported : 'unknown'} volume type not supported by k8ts yet`);
    const readonly = Boolean(m.readOnly) || READ_ONLY_PLUGINS.has(kind.plugin);
    const base = { containerPath: m.mountPath, readonly, propagation: propagationOf(m.mountPropagation) };
    if (!m.subPath) return { ...base, hostPath: root };
    const problem = invalidSubPath(m.subPath);
    if (problem) throw new Error(problem);
    return { ...base, hostPath: join(root, m.subPath), volumeRoot: root };
  });
}

/**
 * Create a subPath that does not exist yet, one element at a time, checking before each
 * step that what exists so far really lies inside the volume (a symlink inside the volume
 * must not make us create directories elsewhere on the host), then resolve it.
 */
export function resolveSubPath(planned: PlannedMount): Mount {
  const { volumeRoot, ...mount } = planned;
  if (!volumeRoot) return mount;
  const realRoot = realpathSync(volumeRoot);
  const inside = (path: string) => path === realRoot || path.startsWith(realRoot + sep);
  const escape = () => new Error(`subpath "${mount.hostPath}" not within volume path "${volumeRoot}"`);
  const parts = relative(volumeRoot, mount.hostPath).split(sep).filter((p) => p && p !== '.');
  let current = realRoot;
  for (const part of parts) {
    const next = join(current, part);
    let real: string;
    try {
      real = realpathSync(next);
    } catch {
      mkdirSync(next, { mode: 0o755 });
      real = realpathSync(next);
    }
    if (!inside(real)) throw escape();
    current = real;
  }
  return { ...mount, hostPath: current };
}

export const containerMounts = (podsRoot: string, pod: V1Pod, container: V1Container): Mount[] =>
  planContainerMounts(podsRoot, pod, container).map(resolveSubPath);
