/**
 * Parsers for the cgroup file formats we read (pure, table-tested):
 *
 *   single value      memory.usage_in_bytes "123\n", pids.current "4\n", memory.max "max\n"
 *   flat keyed        memory.stat "cache 0\nrss 4096\n…", cpu.stat "usage_usec 12\n…",
 *                     memory.events "oom 1\noom_kill 1\n", memory.oom_control "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"
 */

/** a single number; undefined for "max", empty or garbage */
export function parseSingleValue(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** "key value" lines → map; lines that do not parse are skipped */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 2 || !parts[0]) continue;
    const value = Number(parts[1]);
    if (Number.isFinite(value)) out.set(parts[0], value);
  }
  return out;
}

/** the kubelet's (cAdvisor's) working-set rule: usage − inactive_file, never below 0 */
export const workingSet = (usage: number, inactiveFile: number): number => Math.max(0, usage - inactiveFile);
