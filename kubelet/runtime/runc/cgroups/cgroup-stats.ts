/**
 * One cgroup's stats from the raw texts of its files (pure): v1 and v2 read different files
 * and memory.stat keys (total_inactive_file/total_rss vs inactive_file/anon, cpuacct.usage
 * vs cpu.stat), but from there the numbers are computed the same way, with the kubelet's
 * working-set rule, so both drivers agree on what a container uses.
 */
import type { CgroupStats } from './cgroup-driver.js';
import { parseFlatKeyed, parseSingleValue, workingSet } from './cgroup-files.js';

/** the files a driver read (undefined: missing), with the CPU time already in ns */
export interface CgroupFileTexts {
  cpuUsageNanos: number;
  /** memory.usage_in_bytes (v1) or memory.current (v2) */
  memoryUsage: string | undefined;
  memoryStat: string | undefined;
  pidsCurrent: string | undefined;
  oomKills: number;
}

/** the memory.stat keys of one cgroup version */
export interface MemoryStatKeys {
  inactiveFile: string;
  rss: string;
}

export const V1_MEMORY_STAT_KEYS: MemoryStatKeys = { inactiveFile: 'total_inactive_file', rss: 'total_rss' };
export const V2_MEMORY_STAT_KEYS: MemoryStatKeys = { inactiveFile: 'inactive_file', rss: 'anon' };

export function statsFromFiles(files: CgroupFileTexts, keys: MemoryStatKeys): CgroupStats {
  const memory = parseFlatKeyed(files.memoryStat ?? '');
  const usageBytes = parseSingleValue(files.memoryUsage ?? '') ?? 0;
  return {
    cpuUsageNanos: files.cpuUsageNanos,
    memoryUsageBytes: usageBytes,
    workingSetBytes: workingSet(usageBytes, memory.get(keys.inactiveFile) ?? 0),
    rssBytes: memory.get(keys.rss) ?? 0,
    oomKills: files.oomKills,
    pids: parseSingleValue(files.pidsCurrent ?? '') ?? 0,
  };
}

/** the oom_kill count of memory.oom_control (v1) or memory.events (v2); 0 when the file is missing */
export const oomKillCount = (text: string | undefined): number => (text ? (parseFlatKeyed(text).get('oom_kill') ?? 0) : 0);

/** a cgroup path below a parent, from the parent's relative path and the sub-path under it */
export const cgroupPathBelow = (parentRel: string, sub: string): string => `/${parentRel ? `${parentRel}/` : ''}${sub}`;
