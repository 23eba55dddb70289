/**
 * The open-files limit to give containers. containerd's containers inherit containerd's own
 * limit (its systemd unit sets LimitNOFILE=infinity, i.e. fs.nr_open = 1048576), so k8ts
 * asks for 1048576 too — but never more than the hard limit k8ts itself runs under: raising
 * a hard limit needs CAP_SYS_RESOURCE, which a k8ts started from a restricted session may
 * lack, and runc then fails every container with "error setting rlimits … operation not
 * permitted". Capping at our own hard limit is what inheriting it would have given.
 */
import * as fs from 'node:fs/promises';

export const DEFAULT_NOFILE_LIMIT = 1048576;

/** The hard "Max open files" value of a /proc/<pid>/limits text; undefined when absent or unlimited. */
export function parseNofileHardLimit(limitsText: string): number | undefined {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'));
  const fields = line?.slice('Max open files'.length).trim().split(/\s+/) ?? [];
  const hard = fields[1];
  return hard !== undefined && /^\d+$/.test(hard) ? Number(hard) : undefined;
}

/** min(DEFAULT_NOFILE_LIMIT, this process's hard limit) — cached: the limit of a running process does not rise. */
let cached: Promise<number> | undefined;
export function containerNofileLimit(): Promise<number> {
  cached ??= fs
    .readFile('/proc/self/limits', 'utf8')
    .then((text) => Math.min(DEFAULT_NOFILE_LIMIT, parseNofileHardLimit(text) ?? DEFAULT_NOFILE_LIMIT))
    .catch(() => DEFAULT_NOFILE_LIMIT);
  return cached;
}
