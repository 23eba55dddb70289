/**
 * What the runc runtime remembers about each sandbox and container, kept in memory and
 * mirrored to a JSON file beside the host resources it describes, so a restarted runtime
 * can find (and clean up) everything its previous run made, even after a crash.
 *
 * A record is written before the host resource it names exists (a sandbox record before its
 * netns, a container record before its mount), so a crash in between leaves a record that
 * points at nothing — which cleanup tolerates — never a resource nobody knows about.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerConfig, PodSandboxConfig } from '../../cri/api.js';

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  runtimeHandler: string;
  createdAtNs: number;
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  /** the pinned netns; absent for host-network pods */
  netnsPath?: string;
  /** the pinned IPC namespace the pod's containers share; absent for host-IPC pods */
  ipcPath?: string;
  /** the pinned UTS namespace (hostname = the pod's) the containers share; absent for host-network pods */
  utsPath?: string;
  ip?: string;
  /** the directory holding hosts, resolv.conf, hostname */
  dir: string;
  /** cgroup parent of the pod's containers (runc cgroupsPath prefix) */
  cgroupParent: string;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  /** the image id (config digest) */
  imageRef: string;
  createdAtNs: number;
  startedAtNs: number;
  finishedAtNs: number;
  exitCode: number;
  reason: string;
  state: 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED';
  /** absolute CRI log path */
  logPath: string;
  /** bundle: config.json, rootfs (overlay mount point), upper, work, persist (conmon) */
  bundle: string;
  cgroupsPath: string;
  /** the container's init pid on the host (0 before created) */
  pid: number;
}

const RECORD_FILE = 'record.json';

export async function saveRecord(dir: string, record: SandboxRecord | ContainerRecord): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${RECORD_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(record));
  await rename(tmp, join(dir, RECORD_FILE));
}

/** every record found one level below `parent` (unreadable or half-written ones are skipped) */
export async function loadRecords<T>(parent: string): Promise<Array<{ dir: string; record: T | undefined }>> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const found: Array<{ dir: string; record: T | undefined }> = [];
  for (const name of names) {
    const dir = join(parent, name);
    try {
      found.push({ dir, record: JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8')) as T });
    } catch {
      found.push({ dir, record: undefined });
    }
  }
  return found;
}
