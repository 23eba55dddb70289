/**
 * Pod IPs out of the node's podCIDR, the way CNI's host-local IPAM hands them out: the
 * network address, the .1 gateway and the broadcast address are never given, and the
 * search for a free address starts after the last one given, so a released IP is not
 * reused at once (a new pod does not inherit connections meant for the old one).
 *
 *   10.244.1.0/30 → network .0, gateway .1, usable .2, broadcast .3 → one pod IP
 *
 * Addresses are kept as 32-bit numbers in a Set: allocate and release are O(1) while the
 * range has room; a nearly full range costs a scan, as host-local's does.
 */
import { CriError } from '../../cri/errors.js';

export class PodIpAllocator {
  private readonly first: number;
  private readonly last: number;
  private readonly inUse = new Set<number>();
  /** the last address handed out */
  private cursor: number;

  constructor(readonly podCIDR: string) {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(podCIDR.trim());
    const octets = match ? match.slice(1, 5).map(Number) : [];
    const prefix = match ? Number(match[5]) : NaN;
    if (!match || octets.some((o) => o > 255) || prefix > 32) {
      throw new Error(`invalid podCIDR ${JSON.stringify(podCIDR)}: want an IPv4 CIDR such as 10.244.1.0/24`);
    }
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const network = address - (address % size);
    this.first = network + 2;
    this.last = network + size - 2;
    this.cursor = this.last;
  }

  /** how many pod IPs the range holds */
  get capacity(): number {
    return Math.max(0, this.last - this.first + 1);
  }

  get allocated(): number {
    return this.inUse.size;
  }

  allocate(): string {
    const capacity = this.capacity;
    if (this.inUse.size < capacity) {
      for (let i = 1; i <= capacity; i++) {
        const candidate = this.first + ((this.cursor - this.first + i) % capacity);
        if (!this.inUse.has(candidate)) {
          this.inUse.add(candidate);
          this.cursor = candidate;
          return formatIPv4(candidate);
        }
      }
    }
    throw new CriError('Unavailable', `failed to allocate an IP for the pod: no IP addresses available in range set: ${formatIPv4(this.first)}-${formatIPv4(this.last)}`);
  }

  /** give an address back; unknown addresses are ignored (release is idempotent) */
  release(ip: string): void {
    const value = parseIPv4(ip);
    if (value !== undefined) this.inUse.delete(value);
  }
}

const formatIPv4 = (value: number): string => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  return parts.reduce((acc, part) => acc * 256 + Number(part), 0);
}
