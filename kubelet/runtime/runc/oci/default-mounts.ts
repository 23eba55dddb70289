/**
 * The container's mount list, in containerd's CRI order (oci.defaultMounts without /run,
 * then the read-only cgroup mount, then the pod files and the pod's volumes):
 *
 * 1. the kernel filesystems every container needs — /proc, a tmpfs /dev (runc fills it with
 *    the standard device nodes), /dev/pts, /dev/shm (64 MiB tmpfs), /dev/mqueue, /sys
 *    read-only — and /sys/fs/cgroup read-only (privileged: both writable);
 * 2. the pod's /etc/hosts, /etc/resolv.conf and /etc/hostname, bind-mounted from the
 *    sandbox's files (read-only when the root filesystem is), unless the pod mounts
 *    something there itself;
 * 3. the CRI mounts (volumes): rbind, ro/rw, propagation PRIVATE → rprivate,
 *    HOST_TO_CONTAINER → rslave, BIDIRECTIONAL → rshared.
 *
 * Groups 2 and 3 are sorted together, stably, by path depth, so a parent directory is
 * mounted before anything inside it (a volume at /data and another at /data/cache). A
 * default mount at the same destination as a CRI mount is dropped, and every default under
 * /dev is dropped when the pod mounts /dev itself — the pod's mount wins.
 */
import * as path from 'node:path';
import type { Mount } from '../../../cri/api.js';
import type { OciMount } from './spec-types.js';

/** Go's filepath.Clean for container paths: normalized, no trailing slash ('/data/./x/' → '/data/x'). */
export function cleanPath(p: string): string {
  const normalized = path.posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

export function defaultMounts(privileged: boolean): OciMount[] {
  const sysMode = privileged ? 'rw' : 'ro';
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', sysMode] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', sysMode] },
  ];
}

export interface PodFiles {
  hosts: string;
  resolvConf: string;
  hostname: string;
}

/** The sandbox's files as CRI mounts, skipping any destination the container mounts itself. */
export function podFileMounts(files: PodFiles, containerMounts: readonly Mount[], readonlyRootfs: boolean): Mount[] {
  const taken = new Set(containerMounts.map((m) => cleanPath(m.containerPath)));
  const wanted: Array<[string, string]> = [
    ['/etc/hostname', files.hostname],
    ['/etc/hosts', files.hosts],
    ['/etc/resolv.conf', files.resolvConf],
  ];
  return wanted
    .filter(([containerPath]) => !taken.has(containerPath))
    .map(([containerPath, hostPath]) => ({ containerPath, hostPath, readonly: readonlyRootfs }));
}

const PROPAGATION_OPTION: Record<NonNullable<Mount['propagation']>, 'rprivate' | 'rslave' | 'rshared'> = {
  PROPAGATION_PRIVATE: 'rprivate',
  PROPAGATION_HOST_TO_CONTAINER: 'rslave',
  PROPAGATION_BIDIRECTIONAL: 'rshared',
};

const depth = (containerPath: string): number => cleanPath(containerPath).split('/').filter(Boolean).length;

/** A CRI mount as an OCI bind mount. */
export function bindMount(m: Mount): OciMount {
  const propagation = PROPAGATION_OPTION[m.propagation ?? 'PROPAGATION_PRIVATE'];
  return {
    destination: cleanPath(m.containerPath),
    type: 'bind',
    source: m.hostPath,
    options: ['rbind', propagation, m.readonly ? 'ro' : 'rw'],
  };
}

/**
 * The rootfs propagation the bind mounts need: a slave or shared mount inside a private
 * root would not receive (or send) anything, so runc must make the root rslave/rshared.
 */
export function rootfsPropagationFor(mounts: readonly Mount[]): 'rshared' | 'rslave' | undefined {
  if (mounts.some((m) => m.propagation === 'PROPAGATION_BIDIRECTIONAL')) return 'rshared';
  if (mounts.some((m) => m.propagation === 'PROPAGATION_HOST_TO_CONTAINER')) return 'rslave';
  return undefined;
}

/** The full mount list: defaults (minus those the pod overrides), then the sorted CRI mounts. */
export function containerMounts(opts: {
  privileged: boolean;
  readonlyRootfs: boolean;
  podFiles: PodFiles;
  mounts: readonly Mount[];
}): { mounts: OciMount[]; rootfsPropagation?: 'rshared' | 'rslave' } {
  const criMounts = [...podFileMounts(opts.podFiles, opts.mounts, opts.readonlyRootfs), ...opts.mounts];
  // Array.prototype.sort is stable, so equal depths keep their given order.
  criMounts.sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
  const overridden = new Set(criMounts.map((m) => cleanPath(m.containerPath)));
  const defaults = defaultMounts(opts.privileged).filter(
    (m) => !overridden.has(m.destination) && !(overridden.has('/dev') && m.destination.startsWith('/dev/')),
  );
  const rootfsPropagation = rootfsPropagationFor(opts.mounts);
  return {
    mounts: [...defaults, ...criMounts.map(bindMount)],
    ...(rootfsPropagation ? { rootfsPropagation } : {}),
  };
}
