/**
 * IPv4 CIDR arithmetic for --pod-cidr and --service-cidr. Small and dependency-free:
 * addresses are unsigned 32-bit integers, so overlap and size checks are plain math.
 */

export interface Ipv4Cidr {
  /** network address as an unsigned 32-bit integer (host bits zero) */
  network: number;
  prefix: number;
  /** canonical text, e.g. "10.244.0.0/16" */
  text: string;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The mask's host part, e.g. /24 -> 255; as a plain number so /0 works (2^32 - 1). */
const hostSpan = (prefix: number) => 2 ** (32 - prefix) - 1;

export type CidrParse = { ok: true; cidr: Ipv4Cidr } | { ok: false; reason: 'syntax' | 'host-bits'; suggestion?: string };

/** Parse "a.b.c.d/p". Host bits must be zero: "10.244.1.0/16" is a typo, not a network. */
export function parseIpv4Cidr(text: string): CidrParse {
  const match = /^([0-9.]+)\/(0|[1-9][0-9]?)$/.exec(text);
  if (!match) return { ok: false, reason: 'syntax' };
  const address = parseIpv4(match[1] ?? '');
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) return { ok: false, reason: 'syntax' };
  const network = address - (address % (hostSpan(prefix) + 1));
  const canonical = `${formatIpv4(network)}/${prefix}`;
  if (network !== address) return { ok: false, reason: 'host-bits', suggestion: canonical };
  return { ok: true, cidr: { network, prefix, text: canonical } };
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network <= b.network + hostSpan(b.prefix) && b.network <= a.network + hostSpan(a.prefix);
}

/** How many /size subnets fit in the CIDR (0 when size is shorter than the prefix). */
export function subnetCount(cidr: Ipv4Cidr, size: number): number {
  return size < cidr.prefix ? 0 : 2 ** (size - cidr.prefix);
}
