/**
 * Walks a path under a root directory the way the kernel would if root were "/" (what
 * openat2's RESOLVE_IN_ROOT does, which Node cannot call): every symlink met on the way is
 * read and its target resolved again inside root, and ".." never climbs above root. So a
 * layer holding "x -> /tmp" and then "x/pwned" writes <root>/tmp/pwned, never /tmp/pwned.
 *
 * Only the directories leading to an entry are resolved; the entry's own name is never
 * followed (the caller lstat()s it and replaces whatever is there). This is safe as long as
 * nothing else writes into root during extraction — true for a fresh per-layer snapshot
 * directory that no container can see yet.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

// Linux's limit on symlinks followed in one lookup (MAXSYMLINKS).
const MAX_SYMLINKS = 40;

export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

/**
 * The real absolute path of the directory named by parts under root (root itself must be
 * a real path). With create, missing directories are made (mode 0755, like tar's implied
 * parents) and reported to onCreate; without it a missing one throws ENOENT.
 */
export async function resolveDirInRoot(
  root: string,
  parts: readonly string[],
  opts: { create: boolean; onCreate?: (absDir: string) => void },
): Promise<string> {
  let current: string[] = [];
  const pending = [...parts];
  let followed = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current.pop();
      continue;
    }
    const abs = path.join(root, ...current, part);
    let st;
    try {
      st = await fs.lstat(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !opts.create) throw err;
      await fs.mkdir(abs, { mode: 0o755 });
      opts.onCreate?.(abs);
      current.push(part);
      continue;
    }
    if (st.isSymbolicLink()) {
      if (++followed > MAX_SYMLINKS) throw new UnsafePathError(`too many levels of symbolic links under ${root}`);
      const target = await fs.readlink(abs);
      if (target.startsWith('/')) current = [];
      pending.unshift(...target.split('/'));
      continue;
    }
    if (!st.isDirectory()) throw new UnsafePathError(`${path.join(...current, part)} is not a directory`);
    current.push(part);
  }
  return path.join(root, ...current);
}
