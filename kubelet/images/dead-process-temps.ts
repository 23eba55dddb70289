/**
 * Temp files and dirs of the image stores carry the pid of the process that wrote them
 * (`<pid>-<random>`), so a store opening after a crash can tell an abandoned partial blob
 * or snapshot from one another live process (a second node in the same data dir) is still
 * writing, and remove only the abandoned ones.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** whether a process exists (signal 0 checks without signalling; EPERM means it exists) */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the entries of dir written by processes that no longer exist. pidOf reads the
 * writer's pid from a name; undefined means the entry is not a temp and stays, a name
 * without a readable pid (NaN) is a temp nobody can own and goes.
 */
export async function removeDeadProcessTemps(dir: string, pidOf: (name: string) => number | undefined): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    const pid = pidOf(name);
    if (pid === undefined) continue;
    if (!Number.isInteger(pid) || !isProcessAlive(pid)) await fs.rm(path.join(dir, name), { recursive: true, force: true });
  }
}
