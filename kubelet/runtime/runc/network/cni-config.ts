/**
 * The CNI network configurations of a pod on this runtime, as pure data: what containerd
 * would read from a conflist (loopback, then bridge + host-local, then portmap), built
 * here from the node's pod CIDR and the runtime's host names instead of a file in
 * /etc/cni/net.d — so two clusters on one host never share a network by accident.
 *
 * Choices, and why:
 * - bridge `isGateway: true`: the bridge holds the CIDR's first address and is each pod's
 *   default route, so the host reaches pods directly (probes, kubectl port-forward).
 * - `ipMasq: false`: pod↔pod and host↔pod need no NAT, and masquerade rules cost about
 *   70 ms of iptables-nft calls per ADD (runtime-recipe §5).
 * - `hairpinMode: true`: a pod reaching itself through its own hostPort works.
 * - portmap only when the pod has host ports: it costs about 160 ms per ADD.
 */
import type { PortMapping } from '../../../cri/api.js';
import type { CniPluginConfig, CniResult } from './cni-exec.js';

export const CNI_VERSION = '1.0.0';
/** containerd's name for its built-in loopback network */
export const LOOPBACK_NETWORK_NAME = 'cni-loopback';
export const POD_INTERFACE = 'eth0';
export const LOOPBACK_INTERFACE = 'lo';

export interface PodCidr {
  /** normalised: 10.244.1.0/24 */
  subnet: string;
  prefixLength: number;
  /** the first address: the bridge's */
  gateway: string;
}

const ipv4ToInt = (ip: string): number | undefined => {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
};

const intToIpv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** an IPv4 pod CIDR with room for a gateway and at least two pods (prefix 8..29) */
export function parsePodCIDR(cidr: string): PodCidr {
  const fail = (why: string): never => {
    throw new Error(`invalid pod CIDR "${cidr}": ${why}`);
  };
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr.trim());
  if (!m) return fail('want an IPv4 network such as 10.244.1.0/24');
  const base = ipv4ToInt(m[1]!);
  if (base === undefined) return fail(`"${m[1]}" is not an IPv4 address`);
  const prefixLength = Number(m[2]);
  if (prefixLength < 8 || prefixLength > 29) return fail('the prefix length must be between 8 and 29');
  const mask = (0xffffffff << (32 - prefixLength)) >>> 0;
  if ((base & ~mask) >>> 0 !== 0) return fail(`host bits are set (the network is ${intToIpv4((base & mask) >>> 0)}/${prefixLength})`);
  return { subnet: `${intToIpv4(base)}/${prefixLength}`, prefixLength, gateway: intToIpv4(base + 1) };
}

/** true when `ip` (no prefix) lies inside the CIDR */
export function cidrContains(cidr: PodCidr, ip: string): boolean {
  const n = ipv4ToInt(ip);
  const base = ipv4ToInt(cidr.subnet.split('/')[0]!);
  if (n === undefined || base === undefined) return false;
  const mask = (0xffffffff << (32 - cidr.prefixLength)) >>> 0;
  return (n & mask) >>> 0 === base;
}

export const loopbackConfig = (): CniPluginConfig => ({ cniVersion: CNI_VERSION, name: LOOPBACK_NETWORK_NAME, type: 'loopback' });

export interface BridgeConfigInput {
  network: string;
  bridge: string;
  cidr: PodCidr;
  /** host-local's lease directory (it adds a sub-directory named after the network) */
  ipamDataDir: string;
}

export const bridgeConfig = (b: BridgeConfigInput): CniPluginConfig => ({
  cniVersion: CNI_VERSION,
  name: b.network,
  type: 'bridge',
  bridge: b.bridge,
  isGateway: true,
  ipMasq: false,
  hairpinMode: true,
  ipam: {
    type: 'host-local',
    ranges: [[{ subnet: b.cidr.subnet, gateway: b.cidr.gateway }]],
    routes: [{ dst: '0.0.0.0/0' }],
    dataDir: b.ipamDataDir,
  },
});

/** portmap's runtimeConfig entry (the `portMappings` capability's format) */
export interface CniPortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostIP?: string;
}

/** CRI port mappings → portmap's; like containerd, mappings without a host port are not forwarded */
export const toCniPortMappings = (mappings: readonly PortMapping[]): CniPortMapping[] =>
  mappings
    .filter((p) => p.hostPort > 0)
    .map((p) => ({
      hostPort: p.hostPort,
      containerPort: p.containerPort,
      protocol: p.protocol.toLowerCase() as CniPortMapping['protocol'],
      ...(p.hostIp ? { hostIP: p.hostIp } : {}),
    }));

/** portmap as a chained plugin: the capability's runtimeConfig plus the bridge's result */
export const portmapConfig = (network: string, portMappings: readonly CniPortMapping[], prevResult?: CniResult): CniPluginConfig => ({
  cniVersion: CNI_VERSION,
  name: network,
  type: 'portmap',
  capabilities: { portMappings: true },
  runtimeConfig: { portMappings },
  ...(prevResult ? { prevResult } : {}),
});

/** a chained plugin's DEL/CHECK carries the previous result too (CNI spec 1.0) */
export const withPrevResult = (config: CniPluginConfig, prevResult: CniResult | undefined): CniPluginConfig =>
  prevResult ? { ...config, prevResult } : config;

/**
 * The pod's address from the bridge's ADD result: the IPv4 entry on the pod's interface
 * (an entry whose interface index points at `ifName` inside the sandbox), else the first
 * IPv4 entry.
 */
export function podAddressFromResult(result: CniResult | undefined, ifName = POD_INTERFACE): { ip: string; gateway: string } | undefined {
  const ips = (result?.ips ?? []).filter((c) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c.address));
  const onPodInterface = ips.find((c) => {
    const itf = c.interface === undefined ? undefined : result?.interfaces?.[c.interface];
    return itf?.name === ifName && itf.sandbox !== undefined;
  });
  const chosen = onPodInterface ?? ips[0];
  if (!chosen) return undefined;
  return { ip: chosen.address.split('/')[0]!, gateway: chosen.gateway ?? '' };
}
