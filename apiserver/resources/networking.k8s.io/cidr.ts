/**
 * CIDR blocks for NetworkPolicy ipBlocks: parsing to a network number and prefix length,
 * and kube's "strict subset" test for an ipBlock's exceptions.
 */
import { isIP } from 'node:net';

export const CIDR_DETAIL = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

export interface CIDR {
  family: 4 | 6;
  /** the network address (host bits cleared) */
  network: bigint;
  prefix: number;
}

function ipToBigInt(ip: string, family: 4 | 6): bigint {
  if (family === 4) return ip.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  // expand "::" and an embedded IPv4 tail into eight 16-bit groups
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipToBigInt(v4[1]!, 4);
    text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function parseCIDR(text: string): CIDR | undefined {
  const [ip = '', bits, ...rest] = text.split('/');
  if (rest.length || bits === undefined || !/^\d{1,3}$/.test(bits)) return undefined;
  const family = isIP(ip);
  if (family !== 4 && family !== 6) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = Number(bits);
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  return { family, network: (ipToBigInt(ip, family) >> hostBits) << hostBits, prefix };
}

/** `inner` lies inside `outer` and is smaller than it */
export function cidrContains(outer: CIDR, inner: CIDR): boolean {
  if (outer.family !== inner.family || inner.prefix <= outer.prefix) return false;
  const hostBits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}
