/**
 * Which cgroup layout the host has, and the driver for it.
 *
 * A v2 (unified) host has cgroup.controllers at the root. A v1 host — including the hybrid
 * layout (v1 controllers plus a cgroup2 mount at unified/ with no controllers of note) this
 * machine kind has — does not; runc then uses the v1 hierarchies, so do we. The root is a
 * parameter so tests run both drivers against fake trees in a temp dir.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupDriver, CgroupDriverOptions } from './cgroup-driver.js';
import { cgroupV1Driver } from './cgroup-v1.js';
import { cgroupV2Driver } from './cgroup-v2.js';

export type { CgroupDriver, CgroupStats } from './cgroup-driver.js';

export async function detectCgroupMode(root = '/sys/fs/cgroup'): Promise<'v1' | 'v2'> {
  return (await access(join(root, 'cgroup.controllers')).then(() => true, () => false)) ? 'v2' : 'v1';
}

export async function detectCgroupDriver(root = '/sys/fs/cgroup', opts: CgroupDriverOptions = {}): Promise<CgroupDriver> {
  return (await detectCgroupMode(root)) === 'v2' ? cgroupV2Driver(root, opts) : cgroupV1Driver(root, opts);
}
