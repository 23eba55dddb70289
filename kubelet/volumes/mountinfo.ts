/**
 * Which mounts exist under a directory, from /proc/self/mountinfo: tearDown must unmount
 * everything under a pod's dir (tmpfs emptyDirs, anything a container's Bidirectional
 * propagation left there) before deleting it — a recursive delete would otherwise walk
 * into a mounted filesystem. Parsing is pure; the mount point field escapes space, tab,
 * newline and backslash as octal (\040).
 */
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
  /** per-mount options (rw, nosuid …) */
  options: string;
  /** per-superblock options (size=…, mode=…) */
  superOptions: string;
}

const unescape = (field: string): string => field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 3) continue;
    out.push({ mountPoint: unescape(fields[4]!), options: fields[5]!, fsType: fields[dash + 1]!, source: unescape(fields[dash + 2]!), superOptions: fields[dash + 3] ?? '' });
  }
  return out;
}

/** mounts at or below dir, deepest first (the order to unmount them in) */
export function mountsUnder(entries: MountEntry[], dir: string): MountEntry[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return entries.filter((e) => e.mountPoint === dir || e.mountPoint.startsWith(prefix)).sort((a, b) => b.mountPoint.length - a.mountPoint.length);
}

export async function readMountInfo(): Promise<MountEntry[]> {
  return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8').catch(() => ''));
}

const execFileAsync = promisify(execFile);

export async function mountTmpfs(dir: string, options: string): Promise<void> {
  await execFileAsync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

export async function unmount(dir: string): Promise<void> {
  await execFileAsync('umount', [dir]);
}
