/**
 * Pinned network namespaces: a pod's network lives in a namespace bind-mounted onto a file
 * under the runtime's state dir, so it exists before any container and outlives container
 * restarts without a pause process (runtime-recipe §4 "Pods"). Containers join it through
 * `linux.namespaces[network].path`; CNI plugins enter it through CNI_NETNS.
 *
 * `unshare --net=FILE true` creates the namespace and bind-mounts it onto FILE, then exits;
 * the mount alone keeps the namespace alive. Removing it is `umount` + unlink; the kernel
 * frees the namespace (and deletes the pod's end of its veth, and so the host end too) once
 * the last mount and the last process inside are gone.
 *
 * Both operations are idempotent: create of a path that already holds a namespace fails,
 * but a leftover unmounted file from a crash is reused; remove of an absent path is fine.
 */
import { mkdir, open, realpath, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CriError } from '../../../cri/errors.js';
import { readMountInfo } from './mountinfo.js';
import { DEFAULT_NETWORK_SETTINGS } from './network-settings.js';
import { runTool, toolFailureText } from './run-tool.js';

export interface NetnsOptions {
  /** each unshare/umount call is killed after this long */
  timeoutMs?: number;
  /**
   * also pin a new IPC namespace here, in the same unshare call (the pod's containers share
   * it, as they share the pause container's IPC namespace in kube); removed with removeNetns
   */
  ipcPath?: string;
  /** also pin a new UTS namespace here, with its hostname set (the pod's containers share it) */
  uts?: { path: string; hostname: string };
}

/** the path as the kernel writes it in mountinfo (symlinks in the parent resolved) */
async function canonicalPath(path: string): Promise<string> {
  try {
    return join(await realpath(dirname(path)), basename(path));
  } catch {
    return path;
  }
}

/** true when a namespace (nsfs) is mounted at `path` */
export async function isNetnsMounted(path: string): Promise<boolean> {
  const target = await canonicalPath(path);
  return (await readMountInfo()).some((m) => m.mountPoint === target && m.fsType === 'nsfs');
}

async function isMountPoint(path: string): Promise<boolean> {
  const target = await canonicalPath(path);
  return (await readMountInfo()).some((m) => m.mountPoint === target);
}

export async function createNetns(path: string, opts: NetnsOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_NETWORK_SETTINGS.hostToolTimeoutMs;
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  if (await isMountPoint(path)) throw new CriError('AlreadyExists', `network namespace ${path} already exists`);
  // the bind mount needs an existing file as its target
  await (await open(path, 'a', 0o444)).close();
  if (opts.ipcPath) await (await open(opts.ipcPath, 'a', 0o444)).close();
  if (opts.uts) await (await open(opts.uts.path, 'a', 0o444)).close();
  // inside the new namespaces, `hostname NAME` names the pinned UTS namespace (or `true` does nothing)
  const command = opts.uts ? ['hostname', opts.uts.hostname] : ['true'];
  const r = await runTool('unshare', [`--net=${path}`, ...(opts.ipcPath ? [`--ipc=${opts.ipcPath}`] : []), ...(opts.uts ? [`--uts=${opts.uts.path}`] : []), ...command], { timeoutMs });
  if (r.exitCode !== 0) {
    // a timed-out unshare may still have mounted: take it down with the file
    await removeNetns(path, opts).catch(() => {});
    if (opts.ipcPath) await removeNetns(opts.ipcPath, opts).catch(() => {});
    if (opts.uts) await removeNetns(opts.uts.path, opts).catch(() => {});
    throw new CriError('Unknown', `failed to create network namespace ${path}: ${toolFailureText('unshare', r)}`);
  }
}

/** umount (lazily when busy) and unlink; absent or already unmounted is fine */
export async function removeNetns(path: string, opts: NetnsOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_NETWORK_SETTINGS.hostToolTimeoutMs;
  // a path mounted twice (a create raced with another) needs one umount per mount
  for (let attempt = 0; attempt < 8 && (await isMountPoint(path)); attempt++) {
    const r = await runTool('umount', [path], { timeoutMs });
    if (r.exitCode === 0) continue;
    const text = toolFailureText('umount', r);
    if (/not mounted|no mount point/i.test(text)) break;
    if (/busy/i.test(text)) {
      const lazy = await runTool('umount', ['-l', path], { timeoutMs });
      if (lazy.exitCode === 0) continue;
      throw new CriError('Unknown', `failed to remove network namespace ${path}: ${toolFailureText('umount', lazy)}`);
    }
    throw new CriError('Unknown', `failed to remove network namespace ${path}: ${text}`);
  }
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CriError('Unknown', `failed to remove network namespace ${path}: ${(err as Error).message}`);
    }
  }
}

/** a pinned IPC namespace alone (host-network pods still share one IPC namespace per pod) */
export async function createPinnedIpc(path: string, opts: Omit<NetnsOptions, 'ipcPath'> = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_NETWORK_SETTINGS.hostToolTimeoutMs;
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  await (await open(path, 'a', 0o444)).close();
  const r = await runTool('unshare', [`--ipc=${path}`, 'true'], { timeoutMs });
  if (r.exitCode !== 0) {
    await removeNetns(path, opts).catch(() => {});
    throw new CriError('Unknown', `failed to create IPC namespace ${path}: ${toolFailureText('unshare', r)}`);
  }
}
