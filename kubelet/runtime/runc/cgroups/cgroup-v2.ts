/**
 * cgroup v2 (unified): one tree; the container's dir holds every controller's files.
 *
 * Files read: cpu.stat usage_usec (µs → ns), memory.current, memory.stat (inactive_file,
 * anon), memory.events oom_kill, pids.current. Same working-set rule as v1.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupDriver, CgroupDriverOptions } from './cgroup-driver.js';
import { listSubdirsPostOrder, relativeCgroupPath, removeCgroupDir } from './cgroup-dirs.js';
import { parseFlatKeyed } from './cgroup-files.js';
import { cgroupPathBelow, oomKillCount, statsFromFiles, V2_MEMORY_STAT_KEYS } from './cgroup-stats.js';

export function cgroupV2Driver(root: string, opts: CgroupDriverOptions = {}): CgroupDriver {
  const read = (rel: string, file: string) => readFile(join(root, rel, file), 'utf8').catch(() => undefined);

  const oomKills = async (cgroupsPath: string): Promise<number> => {
    return oomKillCount(await read(relativeCgroupPath(cgroupsPath), 'memory.events'));
  };

  return {
    mode: 'v2',
    async stats(cgroupsPath) {
      const rel = relativeCgroupPath(cgroupsPath);
      if (!rel || !(await access(join(root, rel)).then(() => true, () => false))) return undefined;
      const [memoryUsage, memoryStat, cpuStat, pidsCurrent, ooms] = await Promise.all([
        read(rel, 'memory.current'),
        read(rel, 'memory.stat'),
        read(rel, 'cpu.stat'),
        read(rel, 'pids.current'),
        oomKills(cgroupsPath),
      ]);
      const cpuUsageNanos = (parseFlatKeyed(cpuStat ?? '').get('usage_usec') ?? 0) * 1000;
      return statsFromFiles({ cpuUsageNanos, memoryUsage, memoryStat, pidsCurrent, oomKills: ooms }, V2_MEMORY_STAT_KEYS);
    },
    oomKills,
    async remove(cgroupsPath) {
      const rel = relativeCgroupPath(cgroupsPath);
      if (!rel) return; // never the root
      await removeCgroupDir(join(root, rel), opts);
    },
    async listUnder(parentPath) {
      const rel = relativeCgroupPath(parentPath);
      return (await listSubdirsPostOrder(join(root, rel))).map((sub) => cgroupPathBelow(rel, sub));
    },
  };
}
