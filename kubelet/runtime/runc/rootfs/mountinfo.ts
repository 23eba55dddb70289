/**
 * /proc/self/mountinfo, parsed (pure, table-tested). Why mountinfo and not /proc/mounts or
 * stat(): the mount point field is exact (an overlay mounted on a dir of the same fs has the
 * same st_dev as its parent, so comparing devices cannot tell), and it lists bind mounts of
 * files (the pinned netns files) too.
 *
 * A line: `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
 * Field 5 is the mount point, with space, tab, newline and backslash written as octal
 * escapes (\040, \011, \012, \134).
 */

export interface MountInfoEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

export const unescapeMountField = (field: string): string => field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

export function parseMountInfo(text: string): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (fields.length < 7 || separator < 0) continue;
    out.push({ mountPoint: unescapeMountField(fields[4]!), fsType: fields[separator + 1] ?? '', source: unescapeMountField(fields[separator + 2] ?? '') });
  }
  return out;
}

/** mount points equal to or below dir, deepest first (the order to unmount them in) */
export function mountPointsUnder(entries: MountInfoEntry[], dir: string): string[] {
  const base = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
  const under = entries.map((e) => e.mountPoint).filter((m) => m === base || m.startsWith(base === '/' ? '/' : `${base}/`));
  return [...new Set(under)].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : a > b ? -1 : 0));
}
