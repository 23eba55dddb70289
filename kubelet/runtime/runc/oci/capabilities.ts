/**
 * The container's capability sets, by containerd's CRI rules (pkg/cri/opts WithCapabilities):
 * - start from containerd's default set (the 14 Docker has always granted);
 * - 'ALL' in add first grants every capability the kernel knows, 'ALL' in drop then empties
 *   the set, and only after that the individual adds and drops apply — so add [ALL] with
 *   drop [CHOWN] is everything but CHOWN, and drop [ALL] with add [NET_BIND_SERVICE] is just
 *   that one;
 * - names come without the CAP_ prefix in pod specs ('NET_ADMIN'); a CAP_ prefix is accepted
 *   too; case does not matter;
 * - privileged containers get every capability 0..cap_last_cap, ignoring add/drop.
 * Bounding, effective and permitted are the same set; inheritable and ambient stay empty
 * (containerd's WithoutAmbientCaps: what non-root + capabilities should mean is not
 * settled in Kubernetes, kubernetes/kubernetes#56374).
 *
 * Capabilities an older runc does not know are skipped by runc with a warning, so offering
 * numbers up to the host's cap_last_cap is safe.
 */

/** Linux capability names by number (linux/capability.h), without the CAP_ prefix. */
export const CAPABILITY_NAMES: readonly string[] = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
];

/** containerd's (and Docker's) default set for unprivileged containers. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability 0..lastCapability; numbers this table does not name yet are skipped. */
export function allCapabilities(lastCapability: number): string[] {
  return CAPABILITY_NAMES.slice(0, Math.max(0, lastCapability + 1)).map((name) => `CAP_${name}`);
}

const normalize = (name: string): string => {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
};

const isAll = (name: string): boolean => name.trim().toUpperCase() === 'ALL';

export interface CapabilityRequest {
  privileged: boolean;
  add: readonly string[];
  drop: readonly string[];
  lastCapability: number;
}

/** The capability set (CAP_* names, in capability-number order where known). */
export function containerCapabilities(req: CapabilityRequest): string[] {
  const all = allCapabilities(req.lastCapability);
  if (req.privileged) return all;
  let set = new Set<string>(DEFAULT_CAPABILITIES);
  if (req.add.some(isAll)) set = new Set(all);
  if (req.drop.some(isAll)) set = new Set();
  for (const name of req.add) if (!isAll(name)) set.add(normalize(name));
  for (const name of req.drop) if (!isAll(name)) set.delete(normalize(name));
  return sortByNumber([...set]);
}

function sortByNumber(names: string[]): string[] {
  const rank = (name: string): number => {
    const at = CAPABILITY_NAMES.indexOf(name.slice(4));
    return at === -1 ? Number.MAX_SAFE_INTEGER : at;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
