/**
 * Removes every host resource one runc runtime (one tag, one state dir) may have left:
 * at start (what a crashed or killed previous run left — the kubelet recreates its pods
 * afterwards, as after a node reboot) and at close (after the orderly per-pod teardown, to
 * catch anything a failed step missed). Order matters: processes before their mounts and
 * cgroups, mounts before any directory is deleted (rm -rf across a live mount would reach
 * into what is mounted), netns before the bridge.
 *
 * It touches only what carries this runtime's names: its runc root, mounts under its
 * state dir, its CNI results, its bridge, its cgroup parent.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CgroupDriver } from './cgroups/cgroup-driver.js';
import type { HostNames } from './host-names.js';
import { removeNetns } from './network/netns.js';
import type { PodNetwork } from './network/pod-network.js';
import type { RuncCli } from './process/runc-cli.js';
import { mountsUnder, unmount } from './rootfs/overlay.js';

export interface HostCleanupDeps {
  names: HostNames;
  stateDir: string;
  runc: RuncCli;
  cgroups: CgroupDriver;
  network: PodNetwork;
  logger: Logger;
}

export interface CleanupReport {
  containers: number;
  mounts: number;
  sandboxes: number;
  cgroups: number;
}

export async function cleanUpRuntimeHost(deps: HostCleanupDeps): Promise<CleanupReport> {
  const { names, logger } = deps;
  const report: CleanupReport = { containers: 0, mounts: 0, sandboxes: 0, cgroups: 0 };
  const step = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, `runc cleanup: ${what} failed`);
    }
  };

  await step('containers', async () => {
    for (const c of await deps.runc.list()) {
      if (c.status === 'running' || c.status === 'created' || c.status === 'paused') await deps.runc.kill(c.id, 'KILL', true);
      await deps.runc.delete(c.id, true);
      report.containers++;
    }
  });

  await step('network', async () => {
    for (const id of await deps.network.knownSandboxes()) {
      await deps.network.tearDown(id, join(names.netnsDir, id));
      report.sandboxes++;
    }
  });

  await step('mounts', async () => {
    // deepest first, so a mount inside another comes off before its parent
    const mounts = (await mountsUnder(deps.stateDir)).sort((a, b) => b.length - a.length);
    for (const target of mounts) {
      if (target.startsWith(names.netnsDir + '/')) await removeNetns(target);
      else await unmount(target);
      report.mounts++;
    }
  });

  await step('cgroups', async () => {
    for (const path of await deps.cgroups.listUnder(names.cgroupParent)) {
      await deps.cgroups.remove(path);
      report.cgroups++;
    }
    await deps.cgroups.remove(names.cgroupParent);
  });

  await step('bridge', () => deps.network.cleanupHost());

  await step('state files', async () => {
    if ((await mountsUnder(deps.stateDir)).length > 0) throw new Error(`mounts are still under ${deps.stateDir}; keeping its files`);
    for (const dir of [names.containersDir, names.sandboxesDir, names.netnsDir, names.exitsDir, names.socketsDir, names.runcRoot]) {
      await rm(dir, { recursive: true, force: true });
    }
    // an empty state dir is removed too, so a finished cluster leaves no trace in it
    if ((await readdir(deps.stateDir).catch(() => ['?'])).length === 0) await rm(deps.stateDir, { recursive: true, force: true });
  });

  if (report.containers + report.mounts + report.sandboxes + report.cgroups > 0) {
    logger.info(report, 'runc: removed leftover host resources of this node');
  }
  return report;
}
