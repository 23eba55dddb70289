/**
 * The runc runtime's entry point: checks the host can run it (root, runc, conmon, the CNI
 * plugins), assembles the parts (cgroup driver, runc CLI, pod network, the node's image
 * service over the shared content store), removes whatever a previous run of this node
 * left on the host, and returns a Runtime (kubelet/cri/api.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { realClock, type Clock } from '../../../client/clock.js';
import type { Runtime } from '../../cri/api.js';
import { ContentStore } from '../../images/content-store.js';
import { createImageService } from '../../images/image-service.js';
import { snapshotStoreDir } from '../../images/image-names.js';
import { SnapshotStore } from '../../images/snapshots.js';
import { detectCgroupDriver } from './cgroups/cgroup-driver.js';
import { cleanUpRuntimeHost } from './host-cleanup.js';
import { hostNames } from './host-names.js';
import { readIpForward, restoreIpForward } from './ip-forward.js';
import { PodNetwork } from './network/pod-network.js';
import { assertPodCidrFree } from './pod-cidr-check.js';
import { containerNofileLimit } from './oci/nofile-limit.js';
import { seccompAvailable } from './oci/seccomp-runtime-default.js';
import { RuncCli } from './process/runc-cli.js';
import { RuncRuntime } from './runc-runtime.js';
import { DEFAULT_RUNC_RUNTIME_SETTINGS, type RuncRuntimeSettings } from './settings.js';

export interface RuncRuntimeOptions {
  /** names this runtime's host resources (with nodeName) */
  clusterId: string;
  nodeName: string;
  /** the node's own state (bundles, netns, runc state): DATA_DIR/nodes/NAME/runtime */
  stateDir: string;
  /** the image content store, shared by the nodes of a cluster: DATA_DIR/images */
  imageDir: string;
  /** the node's pod CIDR ('10.244.1.0/24') */
  podCIDR: string;
  runcPath?: string;
  conmonPath?: string;
  cniPluginDir?: string;
  settings?: Partial<RuncRuntimeSettings>;
  clock?: Clock;
  logger: Logger;
}

const run = promisify(execFile);

export async function createRuncRuntime(opts: RuncRuntimeOptions): Promise<Runtime> {
  const logger = opts.logger.child({ runtime: 'runc', node: opts.nodeName });
  if (process.getuid?.() !== 0) throw new Error('the runc runtime needs root (runc, overlay mounts and network namespaces do)');
  const runcPath = opts.runcPath ?? 'runc';
  const conmonPath = opts.conmonPath ?? 'conmon';
  const runcVersion = await run(runcPath, ['--version']).then(
    (r) => /runc version (\S+)/.exec(r.stdout)?.[1] ?? 'unknown',
    (err: Error) => {
      throw new Error(`runc is not usable (${runcPath}): ${err.message}`);
    },
  );
  await run(conmonPath, ['--version']).catch((err: Error) => {
    throw new Error(`conmon is not usable (${conmonPath}): ${err.message}`);
  });

  const names = hostNames(opts.stateDir, opts.clusterId, opts.nodeName);
  await assertPodCidrFree(opts.podCIDR, names.bridge);
  const cgroups = await detectCgroupDriver();
  const swapControllerAvailable = cgroups.mode === 'v1' && existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes');
  const runc = new RuncCli({ runcPath, root: names.runcRoot, swapLimitEqualsMemory: swapControllerAvailable });
  const network = new PodNetwork({ names, podCIDR: opts.podCIDR, ...(opts.cniPluginDir ? { pluginDir: opts.cniPluginDir } : {}), logger });
  const store = await ContentStore.open(opts.imageDir);
  const snapshots = await SnapshotStore.open(snapshotStoreDir(opts.imageDir));
  const images = createImageService({ store, snapshots, logger });
  const lastCapability = Number((await readFile('/proc/sys/kernel/cap_last_cap', 'utf8').catch(() => '40')).trim());

  const sweep = () => cleanUpRuntimeHost({ names, stateDir: opts.stateDir, runc, cgroups, network, logger });
  await sweep();
  // read after the sweep: a crashed run's bridge (now gone) may have turned it on
  const ipForwardBefore = await readIpForward();
  const cleanupHost = async () => {
    await sweep();
    await restoreIpForward(ipForwardBefore).catch((err: Error) => logger.warn({ err: err.message }, 'runc: could not restore net.ipv4.ip_forward'));
  };

  logger.info({ cgroups: cgroups.mode, tag: names.tag, podCIDR: opts.podCIDR }, `runc runtime ready (runc ${runcVersion})`);
  return new RuncRuntime({
    names,
    images,
    network,
    runc,
    cgroups,
    conmonPath,
    runcPath,
    seccompAvailable: await seccompAvailable(runcPath),
    nofileLimit: await containerNofileLimit(),
    swapControllerAvailable,
    lastCapability: Number.isFinite(lastCapability) ? lastCapability : 40,
    settings: { ...DEFAULT_RUNC_RUNTIME_SETTINGS, ...opts.settings },
    clock: opts.clock ?? realClock,
    logger,
    runcVersion,
    cleanupHost,
  });
}

export { RUNC_RUNTIME_NAME } from './runc-runtime.js';
