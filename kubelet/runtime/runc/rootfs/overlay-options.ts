/**
 * The overlay mount option string (pure, table-tested).
 *
 * `lowerdir` lists the TOP layer first. The kernel takes mount options as one page
 * (4096 bytes incl. the NUL) with the classic mount(2) that mount(8) uses here, so a
 * 40-layer image with long absolute snapshot paths does not fit. Our choice (containerd's
 * too): when the absolute form is too long, mount from the directory the paths have in
 * common (mount's cwd) and give the paths relative to it — the kernel resolves them
 * against the mounting process's cwd. Snapshots live side by side under one dir, so the
 * relative form is short ("12/fs:11/fs:…"). If even that does not fit we fail clearly.
 *
 * ',' and ':' separate options and layers; '\' escapes. Our paths never contain them, so
 * such a path is rejected rather than escaped.
 */
import { dirname, relative, sep } from 'node:path';

/** bytes the kernel accepts for the option string (a page, minus the terminating NUL) */
export const MAX_MOUNT_OPTIONS_BYTES = 4095;

export interface OverlayLayout {
  /** top first */
  lowerDirs: string[];
  upperDir?: string;
  workDir?: string;
  readonly?: boolean;
}

export interface OverlayMountPlan {
  /** `-o` argument for mount(8) */
  options: string;
  /** cwd to run mount in when the paths are relative; undefined = absolute paths */
  cwd?: string;
}

export function overlayOptions(layout: OverlayLayout, maxBytes = MAX_MOUNT_OPTIONS_BYTES): OverlayMountPlan {
  if (layout.lowerDirs.length === 0) throw new Error('overlay: at least one lower dir is needed');
  if ((layout.upperDir === undefined) !== (layout.workDir === undefined)) throw new Error('overlay: upperdir and workdir go together');
  const all = [...layout.lowerDirs, ...(layout.upperDir ? [layout.upperDir, layout.workDir!] : [])];
  for (const p of all) {
    if (!p.startsWith('/')) throw new Error(`overlay: path ${p} must be absolute`);
    if (/[,:\\]/.test(p)) throw new Error(`overlay: path ${p} contains ',', ':' or '\\'`);
  }
  const build = (map: (p: string) => string) => {
    const parts = [`lowerdir=${layout.lowerDirs.map(map).join(':')}`];
    if (layout.upperDir) parts.push(`upperdir=${map(layout.upperDir)}`, `workdir=${map(layout.workDir!)}`);
    if (layout.readonly) parts.unshift('ro');
    return parts.join(',');
  };
  const absolute = build((p) => p);
  if (Buffer.byteLength(absolute) <= maxBytes) return { options: absolute };
  const cwd = commonDir(all);
  const short = build((p) => relative(cwd, p) || '.');
  if (Buffer.byteLength(short) <= maxBytes) return { options: short, cwd };
  throw new Error(`overlay: mount options are ${Buffer.byteLength(short)} bytes even with paths relative to ${cwd}; the kernel takes at most ${maxBytes}`);
}

/** the deepest directory containing every path */
export function commonDir(paths: string[]): string {
  let common = dirname(paths[0]!);
  for (const p of paths) {
    while (common !== sep && p !== common && !p.startsWith(common === sep ? sep : `${common}${sep}`)) common = dirname(common);
  }
  return common;
}
