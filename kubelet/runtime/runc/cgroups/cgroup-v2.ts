/**
 * cgroup v2 (unified): one tree; the container's dir holds every controller's files.
 *
 * Files read: cpu.stat usage_usec (µs → ns), memory.current, memory.stat (inactive_file,
 * anon), memory.events oom_kill, pids.current. Same working-set rule as v1.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupDriver, CgroupDriverOptions, CgroupStats } from './cgroup-driver.js';
import { listSubdirsPostOrder, relativeCgroupPath, removeCgroupDir } from './cgroup-dirs.js';
import { parseFlatKeyed, parseSingleValue, workingSet } from './cgroup-files.js';

export function cgroupV2Driver(root: string, opts: CgroupDriverOptions = {}): CgroupDriver {
  const read = (rel: string, file: string) => readFile(join(root, rel, file), 'utf8').catch(() => undefined);

  const oomKills = async (cgroupsPath: string): Promise<number> => {
    const text = await read(relativeCgroupPath(cgroupsPath), 'memory.events');
    return text ? (parseFlatKeyed(text).get('oom_kill') ?? 0) : 0;
  };

  return {
    mode: 'v2',
    async stats(cgroupsPath) {
      const rel = relativeCgroupPath(cgroupsPath);
      if (!rel || !(await access(join(root, rel)).then(() => true, () => false))) return undefined;
      const [current, memoryStat, cpuStat, pids, ooms] = await Promise.all([
        read(rel, 'memory.current'),
        read(rel, 'memory.stat'),
        read(rel, 'cpu.stat'),
        read(rel, 'pids.current'),
        oomKills(cgroupsPath),
      ]);
      const memory = parseFlatKeyed(memoryStat ?? '');
      const usageBytes = parseSingleValue(current ?? '') ?? 0;
      const result: CgroupStats = {
        cpuUsageNanos: (parseFlatKeyed(cpuStat ?? '').get('usage_usec') ?? 0) * 1000,
        memoryUsageBytes: usageBytes,
        workingSetBytes: workingSet(usageBytes, memory.get('inactive_file') ?? 0),
        rssBytes: memory.get('anon') ?? 0,
        oomKills: ooms,
        pids: parseSingleValue(pids ?? '') ?? 0,
      };
      return result;
    },
    oomKills,
    async remove(cgroupsPath) {
      const rel = relativeCgroupPath(cgroupsPath);
      if (!rel) return; // never the root
      await removeCgroupDir(join(root, rel), opts);
    },
    async listUnder(parentPath) {
      const rel = relativeCgroupPath(parentPath);
      return (await listSubdirsPostOrder(join(root, rel))).map((sub) => `/${rel ? `${rel}/` : ''}${sub}`);
    },
  };
}
