/**
 * Overlay mounts for container root filesystems: the image's layer snapshots as read-only
 * lower dirs, a per-container upper (writes) and work dir, mounted at the bundle's rootfs.
 *
 * Uses mount(8)/umount(8) (util-linux) with argument arrays. For a read-only container
 * rootfs keep the upper dir and let runc's `root.readonly` remount it: runc must still be
 * able to create mount points (/proc, volume targets) inside the rootfs while it sets up.
 * `readonly` here mounts the overlay itself `ro` (for inspecting an image, say).
 */
import { readFile, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CriError } from '../../../cri/errors.js';
import { runCommand } from '../process/run-command.js';
import { mountPointsUnder, parseMountInfo } from './mountinfo.js';
import { overlayOptions } from './overlay-options.js';

export interface MountOverlayOptions {
  /** top layer first */
  lowerDirs: string[];
  upperDir?: string;
  workDir?: string;
  target: string;
  readonly?: boolean;
}

export async function mountOverlay(opts: MountOverlayOptions): Promise<void> {
  let plan;
  try {
    plan = overlayOptions(opts);
  } catch (err) {
    throw new CriError('InvalidArgument', (err as Error).message);
  }
  const result = await runCommand('mount', ['-t', 'overlay', 'overlay', '-o', plan.options, opts.target], { cwd: plan.cwd, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new CriError('Internal', `mount overlay on ${opts.target}: ${result.stderr.toString().trim() || `exit status ${result.exitCode}`}`);
}

/** unmount; not mounted = fine; busy → lazy unmount (detached now, freed when the last user goes) */
export async function unmount(target: string): Promise<void> {
  if (!(await isMountPoint(target))) return;
  const result = await runCommand('umount', [target], { timeoutMs: 30_000 });
  if (result.exitCode === 0 || !(await isMountPoint(target))) return;
  const message = result.stderr.toString().trim();
  if (/busy/i.test(message)) {
    const lazy = await runCommand('umount', ['-l', target], { timeoutMs: 30_000 });
    if (lazy.exitCode === 0) return;
    throw new CriError('Internal', `umount -l ${target}: ${lazy.stderr.toString().trim()}`);
  }
  throw new CriError('Internal', `umount ${target}: ${message || `exit status ${result.exitCode}`}`);
}

export async function isMountPoint(target: string): Promise<boolean> {
  const path = await canonical(target);
  return (await readMountInfo()).some((e) => e.mountPoint === path);
}

/** mount points at or below dir, deepest first (unmount in this order) */
export async function mountsUnder(dir: string): Promise<string[]> {
  return mountPointsUnder(await readMountInfo(), await canonical(dir));
}

const readMountInfo = async () => parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));

/** mountinfo shows resolved paths; a path that no longer exists is compared as given */
const canonical = (path: string): Promise<string> => realpath(path).catch(() => resolve(path));
