/**
 * cgroup v1: one hierarchy per controller under the root (memory/, cpuacct/, pids/, …; on
 * some hosts cpu and cpuacct are symlinks to a shared cpu,cpuacct/), plus name=systemd and,
 * in the hybrid layout this machine has, a cgroup2 mount at unified/. runc creates the
 * container's dir in every one of them, so removal walks all of them.
 *
 * Files read (runtime-recipe §4): cpuacct.usage (ns), memory.usage_in_bytes, memory.stat
 * (total_inactive_file, total_rss: the hierarchical totals), memory.oom_control (oom_kill,
 * kernel ≥ 4.13), pids.current.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupDriver, CgroupDriverOptions } from './cgroup-driver.js';
import { listSubdirsPostOrder, mergePostOrder, relativeCgroupPath, removeCgroupDir } from './cgroup-dirs.js';
import { parseSingleValue } from './cgroup-files.js';
import { cgroupPathBelow, oomKillCount, statsFromFiles, V1_MEMORY_STAT_KEYS } from './cgroup-stats.js';

export function cgroupV1Driver(root: string, opts: CgroupDriverOptions = {}): CgroupDriver {
  const read = (controller: string, rel: string, file: string) => readFile(join(root, controller, rel, file), 'utf8').catch(() => undefined);

  const oomKills = async (cgroupsPath: string): Promise<number> => {
    return oomKillCount(await read('memory', relativeCgroupPath(cgroupsPath), 'memory.oom_control'));
  };

  /** every hierarchy dir, once (cpu and cpuacct may be the same dir) */
  const hierarchies = async (): Promise<string[]> => {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const seen = new Map<string, string>();
    for (const entry of entries) {
      const dir = join(root, entry.name);
      if (!entry.isDirectory() && !(entry.isSymbolicLink() && (await stat(dir).then((s) => s.isDirectory()).catch(() => false)))) continue;
      const real = await realpath(dir).catch(() => dir);
      if (!seen.has(real)) seen.set(real, dir);
    }
    return [...seen.values()].sort();
  };

  return {
    mode: 'v1',
    async stats(cgroupsPath) {
      const rel = relativeCgroupPath(cgroupsPath);
      const [memoryUsage, memoryStat, cpu, pidsCurrent, ooms] = await Promise.all([
        read('memory', rel, 'memory.usage_in_bytes'),
        read('memory', rel, 'memory.stat'),
        read('cpuacct', rel, 'cpuacct.usage'),
        read('pids', rel, 'pids.current'),
        oomKills(cgroupsPath),
      ]);
      if (memoryUsage === undefined && cpu === undefined) return undefined;
      return statsFromFiles({ cpuUsageNanos: parseSingleValue(cpu ?? '') ?? 0, memoryUsage, memoryStat, pidsCurrent, oomKills: ooms }, V1_MEMORY_STAT_KEYS);
    },
    oomKills,
    async remove(cgroupsPath) {
      const rel = relativeCgroupPath(cgroupsPath);
      if (!rel) return; // never the hierarchy roots
      for (const hierarchy of await hierarchies()) await removeCgroupDir(join(hierarchy, rel), opts);
    },
    async listUnder(parentPath) {
      const rel = relativeCgroupPath(parentPath);
      const lists = await Promise.all((await hierarchies()).map((h) => listSubdirsPostOrder(join(h, rel))));
      return mergePostOrder(lists).map((sub) => cgroupPathBelow(rel, sub));
    },
  };
}
