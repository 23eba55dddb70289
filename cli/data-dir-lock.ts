/**
 * One k8ts per data dir: a pid file DIR/k8ts.lock created with O_EXCL ('wx').
 *
 * Why not proper-lockfile: it decides staleness by mtime, so after a `kill -9` the dir
 * stays locked for its whole stale window (~10 s by default) and it needs a timer
 * refreshing the mtime. A pid file is judged instantly: if the pid in it is alive the
 * dir is held, otherwise the lock is stale (a crashed k8ts) and is taken over.
 *
 * The pid's start time (from /proc/PID/stat) is stored too, so a crashed k8ts whose pid
 * was later reused by an unrelated process does not keep the dir locked forever.
 * The same process opening the same dir twice is refused: its own pid is alive.
 */
import { existsSync, readFileSync } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartupError } from './errors.js';

export const LOCK_FILE = 'k8ts.lock';

/** The data dir is held by a live k8ts; `message` is the one line the CLI prints. */
export class DataDirInUseError extends StartupError {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`data dir ${dataDir} is in use by another k8ts (pid ${pid})`);
  }
}

export interface DataDirLock {
  readonly path: string;
  /** remove the lock file if it is still ours; safe to call more than once */
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  startTime?: string;
}

/** Field 22 of /proc/PID/stat: the process start time in clock ticks since boot. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: count fields after the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user, so it is alive
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (existsSync('/proc/self') && !existsSync(`/proc/${holder.pid}`)) return false;
  const now = processStartTime(holder.pid);
  return holder.startTime === undefined || now === undefined || now === holder.startTime;
}

function parseHolder(text: string): Holder | undefined {
  const [pidLine, startLine] = text.split('\n');
  if (!/^[1-9][0-9]*$/.test(pidLine ?? '')) return undefined;
  const startTime = /^start ([0-9]+)$/.exec(startLine ?? '')?.[1];
  return { pid: Number(pidLine), ...(startTime !== undefined && { startTime }) };
}

const myContent = () => `${process.pid}\n` + (processStartTime(process.pid) !== undefined ? `start ${processStartTime(process.pid)}\n` : '');

async function readHolder(path: string): Promise<Holder | 'missing' | 'unreadable'> {
  // A rival may have created the file with 'wx' and not written its pid yet: retry briefly.
  for (let attempt = 0; attempt < 10; attempt++) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw err;
    }
    const holder = parseHolder(text);
    if (holder) return holder;
    await sleep(10);
  }
  return 'unreadable';
}

export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  const content = myContent();
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const file = await open(path, 'wx', 0o644);
      try {
        await file.writeFile(content);
      } finally {
        await file.close();
      }
      return makeLock(path, content);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readHolder(path);
    if (holder === 'missing') continue; // released meanwhile: try again
    if (holder !== 'unreadable' && isAlive(holder)) throw new DataDirInUseError(dataDir, holder.pid);
    await removeStale(path, holder);
  }
  throw new StartupError(`could not take the lock ${path}: it keeps changing (several k8ts starting at once?)`);
}

/**
 * Remove a stale lock without removing a fresh one a rival just created: move it aside
 * (atomic; only one mover wins), check that what we moved is the stale one, and if it is
 * not, put it back (link fails rather than overwrite a newer lock).
 */
async function removeStale(path: string, stale: Holder | 'unreadable'): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = parseHolder(await readFile(aside, 'utf8').catch(() => ''));
  const same = stale === 'unreadable' ? moved === undefined : moved?.pid === stale.pid && moved.startTime === stale.startTime;
  if (!same) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function makeLock(path: string, content: string): DataDirLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      // only remove it if it is still ours (never delete a lock someone took over)
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now === content) await unlink(path).catch(() => undefined);
    },
  };
}
