/**
 * /proc/self/mountinfo, parsed. The kernel's own list is the only reliable answer to "is a
 * network namespace still pinned at this path?" (a leftover empty file looks the same to
 * stat) and to "which of our mounts are left?" for the no-trace check.
 *
 * Line format (proc(5)): `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS`;
 * space, tab, newline and backslash in paths are written as octal escapes (`\040`).
 */
import { readFile } from 'node:fs/promises';

export interface MountInfoEntry {
  mountPoint: string;
  root: string;
  fsType: string;
  source: string;
}

const unescapeOctal = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

export function parseMountInfo(text: string): MountInfoEntry[] {
  const entries: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (fields.length < 10 || dash < 0) continue;
    entries.push({
      root: unescapeOctal(fields[3]!),
      mountPoint: unescapeOctal(fields[4]!),
      fsType: fields[dash + 1] ?? '',
      source: unescapeOctal(fields[dash + 2] ?? ''),
    });
  }
  return entries;
}

export async function readMountInfo(): Promise<MountInfoEntry[]> {
  return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
}

/** mounts at `dir` or below it (dir itself included) */
export const mountsUnder = (entries: readonly MountInfoEntry[], dir: string): MountInfoEntry[] => {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return entries.filter((e) => e.mountPoint === dir || e.mountPoint.startsWith(prefix));
};
