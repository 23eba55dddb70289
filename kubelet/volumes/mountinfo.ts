/**
 * Which mounts exist under a directory, from /proc/self/mountinfo: tearDown must unmount
 * everything under a pod's dir (tmpfs emptyDirs, anything a container's Bidirectional
 * propagation left there) before deleting it — a recursive delete would otherwise walk
 * into a mounted filesystem. Parsing is the kubelet's one mountinfo parser (../mountinfo.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mountsUnder as mountsAtOrUnder, readMountInfo as readAll, type MountInfoEntry } from '../mountinfo.js';

export { parseMountInfo } from '../mountinfo.js';
export type MountEntry = MountInfoEntry;

/** mounts at or below dir, deepest first (the order to unmount them in) */
export function mountsUnder(entries: MountEntry[], dir: string): MountEntry[] {
  return mountsAtOrUnder(entries, dir).sort((a, b) => b.mountPoint.length - a.mountPoint.length);
}

/** no mountinfo (no /proc) reads as no mounts: tearDown then simply deletes the dir */
export async function readMountInfo(): Promise<MountEntry[]> {
  return readAll().catch(() => []);
}

const execFileAsync = promisify(execFile);

export async function mountTmpfs(dir: string, options: string): Promise<void> {
  await execFileAsync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

export async function unmount(dir: string): Promise<void> {
  await execFileAsync('umount', [dir]);
}
