/**
 * A pod's network, set up and torn down with the standard CNI plugins the way containerd's
 * CRI plugin drives them: ADD loopback, then bridge (+ host-local IPAM), then portmap when
 * the pod has host ports; DEL in the reverse order with the same configuration and the
 * saved ADD result. Everything is named after the runtime's tag (bridge, network name,
 * lease directory), so two clusters on one host keep to their own.
 *
 * The ADD records live on disk (cni-result-store.ts) so a DEL after a restart still hands
 * portmap what it needs, and `knownSandboxes` tells a restarted runtime which networks its
 * previous run left. `cleanupHost` removes what DEL never does: our bridge, our lease dir,
 * and portmap's shared chains once idle (runtime-recipe §5).
 *
 * Not restored: net.ipv4.ip_forward, which the bridge plugin turns on for `isGateway`. It
 * is host-wide and other networks on the host may need it.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { PortMapping } from '../../../cri/api.js';
import { CriError } from '../../../cri/errors.js';
import type { HostNames } from '../host-names.js';
import {
  bridgeConfig,
  LOOPBACK_INTERFACE,
  loopbackConfig,
  parsePodCIDR,
  podAddressFromResult,
  POD_INTERFACE,
  portmapConfig,
  toCniPortMappings,
  withPrevResult,
  type PodCidr,
} from './cni-config.js';
import { execCniPlugin, type CniCommand, type CniPluginConfig, type CniResult } from './cni-exec.js';
import { CniResultStore, type SandboxNetworkRecord } from './cni-result-store.js';
import { removeIdleHostPortChains } from './host-port-chains.js';
import { isNetnsMounted } from './netns.js';
import { networkSettings, type NetworkSettings } from './network-settings.js';
import { runTool, toolFailureText } from './run-tool.js';

export interface PodNetworkOptions {
  names: HostNames;
  /** the node's pod CIDR, e.g. '10.244.1.0/24'; the bridge takes the first address */
  podCIDR: string;
  /** overrides settings.cniPluginDir */
  pluginDir?: string;
  logger: Logger;
  settings?: Partial<NetworkSettings>;
}

/** where the ADD records go: beside the lease dir, in the runtime's state dir */
export const cniResultsDir = (names: HostNames): string => join(dirname(names.ipamDir), 'cni-results');

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class PodNetwork {
  readonly cidr: PodCidr;
  private readonly names: HostNames;
  private readonly logger: Logger;
  private readonly settings: NetworkSettings;
  private readonly results: CniResultStore;

  constructor(opts: PodNetworkOptions) {
    this.cidr = parsePodCIDR(opts.podCIDR);
    this.names = opts.names;
    this.logger = opts.logger;
    this.settings = networkSettings({ ...opts.settings, ...(opts.pluginDir ? { cniPluginDir: opts.pluginDir } : {}) });
    this.results = new CniResultStore(cniResultsDir(opts.names));
  }

  private get bridge(): CniPluginConfig {
    return bridgeConfig({ network: this.names.cniNetwork, bridge: this.names.bridge, cidr: this.cidr, ipamDataDir: this.names.ipamDir });
  }

  private run(command: CniCommand, sandboxId: string, netnsPath: string, ifName: string, config: CniPluginConfig): Promise<CniResult | undefined> {
    return execCniPlugin({
      command,
      containerId: sandboxId,
      netnsPath,
      ifName,
      config,
      pluginDir: this.settings.cniPluginDir,
      timeoutMs: this.settings.cniPluginTimeoutMs,
    });
  }

  async setUp(sandboxId: string, netnsPath: string, portMappings: PortMapping[]): Promise<{ ip: string; gateway: string }> {
    const record: SandboxNetworkRecord = { sandboxId, netnsPath, portMappings: toCniPortMappings(portMappings) };
    try {
      // recorded first: if we die half-way, a DEL (now or after a restart) still knows the port mappings
      await this.results.save(record);
      await this.run('ADD', sandboxId, netnsPath, LOOPBACK_INTERFACE, loopbackConfig());
      const bridgeResult = await this.run('ADD', sandboxId, netnsPath, POD_INTERFACE, this.bridge);
      record.bridgeResult = bridgeResult;
      await this.results.save(record);
      const address = podAddressFromResult(bridgeResult);
      if (!address) throw new Error(`plugin type="bridge" name="${this.names.cniNetwork}" returned no IPv4 address`);
      if (record.portMappings.length > 0) {
        await this.run('ADD', sandboxId, netnsPath, POD_INTERFACE, portmapConfig(this.names.cniNetwork, record.portMappings, bridgeResult));
      }
      this.logger.debug({ sandboxId, ip: address.ip }, 'pod network set up');
      return address;
    } catch (err) {
      // like containerd: a failed setup is torn down at once, so nothing half-made stays
      await this.tearDown(sandboxId, netnsPath).catch((e: unknown) => this.logger.warn({ sandboxId, err: errorText(e) }, 'teardown after a failed network setup failed'));
      throw new CriError('Unknown', `failed to setup network for sandbox "${sandboxId}": ${errorText(err)}`);
    }
  }

  async tearDown(sandboxId: string, netnsPath: string): Promise<void> {
    const record = await this.results.load(sandboxId);
    const path = netnsPath || record?.netnsPath || '';
    // a gone (or never mounted) namespace is passed as '': the plugins then only release
    // host-side state (the lease, portmap's rules) instead of failing to enter it
    const netns = path && (await isNetnsMounted(path)) ? path : '';
    const prev = record?.bridgeResult;
    const steps: [string, () => Promise<unknown>][] = [];
    if (record && record.portMappings.length > 0) {
      steps.push(['portmap', () => this.run('DEL', sandboxId, netns, POD_INTERFACE, portmapConfig(this.names.cniNetwork, record.portMappings, prev))]);
    }
    steps.push(['bridge', () => this.run('DEL', sandboxId, netns, POD_INTERFACE, withPrevResult(this.bridge, prev))]);
    steps.push(['loopback', () => this.run('DEL', sandboxId, netns, LOOPBACK_INTERFACE, loopbackConfig())]);
    // every step runs even after a failure: a stuck portmap DEL must not leak the lease
    const failures: string[] = [];
    for (const [, step] of steps) {
      try {
        await step();
      } catch (err) {
        failures.push(errorText(err));
      }
    }
    if (failures.length > 0) {
      // the record stays, so the kubelet's retry (or cleanupHost) can DEL again
      throw new CriError('Unknown', `failed to destroy network for sandbox "${sandboxId}": ${failures.join('; ')}`);
    }
    await this.results.remove(sandboxId);
  }

  async knownSandboxes(): Promise<string[]> {
    return this.results.list();
  }

  async cleanupHost(): Promise<void> {
    const timeoutMs = this.settings.hostToolTimeoutMs;
    // anything still recorded (a crash, a failed DEL) is torn down first
    for (const sandboxId of await this.results.list()) {
      const record = await this.results.load(sandboxId);
      await this.tearDown(sandboxId, record?.netnsPath ?? '').catch((err: unknown) =>
        this.logger.warn({ sandboxId, err: errorText(err) }, 'leftover pod network could not be torn down'),
      );
    }
    const del = await runTool('ip', ['link', 'del', this.names.bridge], { timeoutMs });
    if (del.exitCode !== 0 && !/cannot find device|does not exist/i.test(toolFailureText('ip', del))) {
      this.logger.warn({ bridge: this.names.bridge, err: toolFailureText('ip', del) }, 'removing the pod bridge failed');
    }
    await rm(this.names.ipamDir, { recursive: true, force: true });
    await removeIfEmpty(this.results.dir);
    await removeIdleHostPortChains(this.logger, timeoutMs);
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length === 0) await rmdir(dir);
  } catch {
    // absent, or refilled meanwhile: either way nothing to do
  }
}
