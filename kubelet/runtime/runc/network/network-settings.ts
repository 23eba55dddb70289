/**
 * Timing and path defaults of pod networking, in one place so tests and the runtime can
 * override them without touching the code that uses them.
 */

export interface NetworkSettings {
  /** where the CNI plugin binaries live (Debian's containernetworking-plugins) */
  cniPluginDir: string;
  /**
   * one CNI plugin call that takes longer than this is killed. containerd gives the whole
   * network setup the sandbox's context; a single bridge ADD with iptables work took up to
   * 0.7 s here (runtime-recipe §5), so 30 s only catches a hung plugin.
   */
  cniPluginTimeoutMs: number;
  /** unshare, umount, ip, iptables: each call is killed after this long */
  hostToolTimeoutMs: number;
}

export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = {
  cniPluginDir: '/usr/lib/cni',
  cniPluginTimeoutMs: 30_000,
  hostToolTimeoutMs: 10_000,
};

export const networkSettings = (overrides: Partial<NetworkSettings> = {}): NetworkSettings => ({ ...DEFAULT_NETWORK_SETTINGS, ...overrides });
