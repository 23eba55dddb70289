/**
 * /proc/self/mountinfo, parsed: the one parser for the kubelet's volumes and the runc
 * runtime's netns, rootfs and no-trace checks. Why mountinfo and not /proc/mounts or stat():
 * the mount point field is exact (an overlay or tmpfs mounted on a dir of the same fs has
 * the same st_dev as its parent, and a leftover netns file looks the same to stat as a
 * pinned one), and it lists bind mounts of files (the pinned netns files) too.
 *
 * A line (proc(5)): `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
 * — ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL FIELDS...] - FSTYPE SOURCE SUPEROPTIONS.
 * Space, tab, newline and backslash in paths are written as octal escapes (\040, \011,
 * \012, \134). Lines that do not have that shape are skipped.
 */
import { readFile } from 'node:fs/promises';

export interface MountInfoEntry {
  /** the root of the mount within its filesystem (for a netns bind mount: net:[inode]) */
  root: string;
  mountPoint: string;
  /** per-mount options (rw, nosuid …) */
  options: string;
  fsType: string;
  source: string;
  /** per-superblock options (size=…, mode=…) */
  superOptions: string;
}

export const unescapeMountField = (field: string): string => field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

export function parseMountInfo(text: string): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    // the optional fields end at a lone '-'; the six fixed fields come before it
    const separator = fields.indexOf('-', 6);
    if (separator < 0 || fields.length < separator + 3) continue;
    out.push({
      root: unescapeMountField(fields[3]!),
      mountPoint: unescapeMountField(fields[4]!),
      options: fields[5]!,
      fsType: fields[separator + 1]!,
      source: unescapeMountField(fields[separator + 2]!),
      superOptions: fields[separator + 3] ?? '',
    });
  }
  return out;
}

/** this process's mounts; rejects when /proc cannot be read */
export async function readMountInfo(): Promise<MountInfoEntry[]> {
  return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
}

/** is mountPoint dir itself or below it? ("/a/b" is not below "/a/bc"; a trailing slash on dir does not matter) */
export function isAtOrUnder(mountPoint: string, dir: string): boolean {
  const base = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
  return mountPoint === base || mountPoint.startsWith(base === '/' ? '/' : `${base}/`);
}

/** the mounts at dir or below it, in mountinfo order (stacked mounts on one point each count) */
export const mountsUnder = (entries: readonly MountInfoEntry[], dir: string): MountInfoEntry[] => entries.filter((e) => isAtOrUnder(e.mountPoint, dir));
