/**
 * kube's AtomicWriter: the files of a configMap, secret, downwardAPI or projected volume
 * change all at once, so that a reader never sees half of an update. Worked example, a
 * configMap with keys `a` and `conf/b`:
 *
 *   <volume>/..2026_01_01_00_00_00.x1Y2z3/a          the files, in a timestamped dir
 *   <volume>/..2026_01_01_00_00_00.x1Y2z3/conf/b
 *   <volume>/..data -> ..2026_01_01_00_00_00.x1Y2z3   swapped by renaming ..data_tmp over it
 *   <volume>/a      -> ..data/a                       one symlink per top-level name
 *   <volume>/conf   -> ..data/conf
 *
 * An update writes a new timestamped dir, swaps `..data` (rename(2) is atomic), adds
 * symlinks for new top-level names, removes the old dir and the symlinks of names that
 * went away. Nothing is written when the content and modes are already what is asked.
 * Paths are checked first (relative, no `..` element, not starting with `..`), as kube's
 * validatePayload does, so a key can never write outside the volume.
 */
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';

export interface FileProjection {
  content: Buffer;
  /** permission bits (0644 …) */
  mode: number;
}

/** relative path → content and mode */
export type Payload = Map<string, FileProjection>;

export const DATA_DIR_NAME = '..data';
const DATA_DIR_TMP_NAME = '..data_tmp';
const MAX_PATH_LENGTH = 4096;
const MAX_FILE_NAME_LENGTH = 255;

/** kube's validatePath: returns the error message, or undefined when the path is fine */
export function invalidPayloadPath(path: string): string | undefined {
  if (path.length > MAX_PATH_LENGTH) return `invalid path: must be less than or equal to ${MAX_PATH_LENGTH} characters`;
  if (isAbsolute(path)) return 'invalid path: must be relative path';
  const parts = path.split('/');
  if (parts.some((p) => p.length > MAX_FILE_NAME_LENGTH)) return `invalid path: filenames must be less than or equal to ${MAX_FILE_NAME_LENGTH} characters`;
  if (parts.includes('..')) return "invalid path: must not contain '..'";
  if (path.startsWith('..')) return "invalid path: must not start with '..'";
  return undefined;
}

/** the payload with cleaned paths; throws on the first invalid one */
export function validatePayload(payload: Payload): Payload {
  const clean: Payload = new Map();
  for (const [path, file] of payload) {
    const problem = invalidPayloadPath(path);
    if (problem) throw new Error(`${problem}: ${JSON.stringify(path)}`);
    clean.set(normalize(path).replace(/\/+$/, ''), file);
  }
  return clean;
}

/** the names directly in the volume dir that the payload needs (first path elements) */
export const topLevelNames = (paths: Iterable<string>): Set<string> => new Set([...paths].map((p) => p.split('/')[0]!));

/** kube names the dir after the UTC time: ..2006_01_02_15_04_05. plus a random suffix */
export function timestampedDirPrefix(nowMs: number): string {
  const d = new Date(nowMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `..${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}.`;
}

/**
 * kube's SetVolumeOwnership for a read-only volume under a pod fsGroup: files get the
 * group and at least group read (0440 added), dirs the group, setgid and group r-x.
 */
export const fsGroupFileMode = (mode: number, fsGroup: number | undefined): number => (fsGroup === undefined ? mode : mode | 0o440);

/** write the payload into targetDir (created if missing); returns true when anything changed */
export async function writeAtomically(targetDir: string, payload: Payload, nowMs: number, fsGroup?: number): Promise<boolean> {
  const files: Payload = new Map([...validatePayload(payload)].map(([path, f]) => [path, { content: f.content, mode: fsGroupFileMode(f.mode, fsGroup) }]));
  await mkdir(targetDir, { recursive: true });
  const oldTsName = await readlink(join(targetDir, DATA_DIR_NAME)).catch(() => undefined);
  const oldTsDir = oldTsName ? join(targetDir, oldTsName) : undefined;
  const oldPaths = oldTsDir ? await listFiles(oldTsDir) : new Set<string>();

  const needsWrite = !oldTsDir || !(await sameContent(oldTsDir, oldPaths, files, fsGroup));
  if (needsWrite) {
    const tsDir = await mkdtemp(join(targetDir, timestampedDirPrefix(nowMs)));
    const dirMode = fsGroup === undefined ? 0o755 : 0o2755;
    const own = (path: string) => (fsGroup === undefined ? undefined : chown(path, process.getuid?.() ?? 0, fsGroup));
    await chmod(tsDir, dirMode);
    await own(tsDir);
    for (const [path, file] of files) {
      const full = join(tsDir, path);
      const parents = path.split('/').slice(0, -1);
      for (let i = 1; i <= parents.length; i++) {
        const d = join(tsDir, ...parents.slice(0, i));
        if (await stat(d).catch(() => undefined)) continue;
        await mkdir(d);
        await chmod(d, dirMode);
        await own(d);
      }
      await writeFile(full, file.content, { mode: file.mode });
      await own(full);
      // writeFile's mode is filtered by the umask: set it exactly
      await chmod(full, file.mode);
    }
    const tmpLink = join(targetDir, DATA_DIR_TMP_NAME);
    await rm(tmpLink, { force: true });
    await symlink(tsDir.slice(targetDir.length + 1), tmpLink);
    await rename(tmpLink, join(targetDir, DATA_DIR_NAME));
  }

  const wanted = topLevelNames(files.keys());
  for (const name of wanted) {
    const link = join(targetDir, name);
    const existing = await lstat(link).catch(() => undefined);
    if (existing?.isSymbolicLink()) continue;
    if (existing) await rm(link, { recursive: true, force: true });
    await symlink(join(DATA_DIR_NAME, name), link);
  }

  if (needsWrite && oldTsDir) await rm(oldTsDir, { recursive: true, force: true });
  for (const name of topLevelNames(oldPaths)) {
    if (!wanted.has(name)) await unlink(join(targetDir, name)).catch(() => undefined);
  }
  return needsWrite;
}

async function listFiles(dir: string, prefix = ''): Promise<Set<string>> {
  const out = new Set<string>();
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const p of await listFiles(dir, rel)) out.add(p);
    else out.add(rel);
  }
  return out;
}

async function sameContent(tsDir: string, oldPaths: Set<string>, files: Payload, fsGroup: number | undefined): Promise<boolean> {
  if (oldPaths.size !== files.size) return false;
  for (const [path, file] of files) {
    if (!oldPaths.has(path)) return false;
    const full = join(tsDir, path);
    const info = await stat(full).catch(() => undefined);
    if (!info || (info.mode & 0o7777) !== file.mode) return false;
    if (fsGroup !== undefined && info.gid !== fsGroup) return false;
    const current = await readFile(full).catch(() => undefined);
    if (!current || !current.equals(file.content)) return false;
  }
  return true;
}
