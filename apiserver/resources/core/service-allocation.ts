/**
 * Pure helpers for a Service's cluster-wide allocations: which Services need a cluster IP or
 * node ports, and two allocators (cluster IPs over the service CIDR, node ports over
 * 30000–32767). They hold no cluster state of their own beyond a bitmap: the registry
 * owns them, restores them from the stored Services at start, allocates on create/update
 * and releases on delete (kube's service REST storage does the same around its
 * strategy; the strategy in services.ts stays stateless).
 *
 * Both allocators share kube's split of the range into a small lower "static" band and an
 * upper "dynamic" band: a Service asking for nothing gets a value from the upper band
 * first, so values users pick by hand (usually low ones, like 10.96.0.10 for DNS) rarely
 * collide with automatic ones. Example over 10.96.0.0/24 (254 usable addresses, 16 static):
 *
 *   new IpAllocator('10.96.0.0/24')
 *   allocate()             → 10.96.0.17 (first of the dynamic band)
 *   allocate('10.96.0.10') → 10.96.0.10
 *   allocate('10.96.0.10') → { ok: false, detail: 'provided IP is already allocated' }
 *   allocate('10.97.0.1')  → { ok: false, detail: 'provided IP is not in the valid range. …' }
 *
 * Error details are kube's words; `clusterIPError` / `nodePortError` wrap them as kube's
 * registry reports them on the Service.
 */
import type { V1Service } from '@kubernetes/client-node';
import { isIPv4 } from 'node:net';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import type { KubeObject } from '../../catalogue/resource-def.js';

const spec = (obj: KubeObject) => ((obj as V1Service).spec ?? {}) as NonNullable<V1Service['spec']>;

/** A Service holds a cluster IP unless it is ExternalName or headless (clusterIP: None). */
export function needsClusterIP(svc: KubeObject): boolean {
  const s = spec(svc);
  return s.type !== 'ExternalName' && s.clusterIP !== 'None';
}

/** NodePort Services, and LoadBalancers unless allocateLoadBalancerNodePorts is false. */
export function needsNodePorts(svc: KubeObject): boolean {
  const s = spec(svc);
  if (s.type === 'NodePort') return true;
  return s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false;
}

/** LoadBalancers with externalTrafficPolicy Local also get a health-check node port. */
export function needsHealthCheckNodePort(svc: KubeObject): boolean {
  const s = spec(svc);
  return s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
}

/** The cluster IPs a stored Service holds (for restoring an allocator). */
export function clusterIPsOf(svc: KubeObject): string[] {
  if (!needsClusterIP(svc)) return [];
  const s = spec(svc);
  const ips = s.clusterIPs?.length ? s.clusterIPs : s.clusterIP ? [s.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== 'None');
}

/** The node ports a stored Service holds, including its health-check port. */
export function nodePortsOf(svc: KubeObject): number[] {
  const s = spec(svc);
  const ports = (s.ports ?? []).map((p) => p.nodePort).filter((p): p is number => typeof p === 'number' && p > 0);
  if (s.healthCheckNodePort) ports.push(s.healthCheckNodePort);
  return [...new Set(ports)];
}

export type AllocationResult<T> = { ok: true; value: T } | { ok: false; reason: 'allocated' | 'out-of-range' | 'full' | 'invalid'; detail: string };

/**
 * A bitmap over [0, size) with kube's static/dynamic split. Offsets only; the allocators
 * below translate to IPs and ports.
 */
class RangeBitmap {
  private readonly bits: Uint32Array;
  private count = 0;
  /** next-fit cursors, so consecutive allocations do not rescan from the start */
  private cursorDynamic: number;
  private cursorStatic = 0;

  constructor(
    readonly size: number,
    /** offsets below this are the static band */
    readonly staticBand: number,
  ) {
    this.bits = new Uint32Array(Math.ceil(size / 32));
    this.cursorDynamic = staticBand;
  }

  has(offset: number): boolean {
    return ((this.bits[offset >>> 5]! >>> (offset & 31)) & 1) === 1;
  }

  set(offset: number): boolean {
    if (this.has(offset)) return false;
    this.bits[offset >>> 5]! |= 1 << (offset & 31);
    this.count++;
    return true;
  }

  clear(offset: number): void {
    if (!this.has(offset)) return;
    this.bits[offset >>> 5]! &= ~(1 << (offset & 31));
    this.count--;
  }

  reset(): void {
    this.bits.fill(0);
    this.count = 0;
  }

  used(): number {
    return this.count;
  }

  /** a free offset, dynamic band first, then static; undefined when full */
  next(): number | undefined {
    const fromDynamic = this.scan(this.staticBand, this.size, this.cursorDynamic);
    if (fromDynamic !== undefined) {
      this.cursorDynamic = fromDynamic + 1;
      return fromDynamic;
    }
    const fromStatic = this.scan(0, this.staticBand, this.cursorStatic);
    if (fromStatic !== undefined) this.cursorStatic = fromStatic + 1;
    return fromStatic;
  }

  private scan(lo: number, hi: number, cursor: number): number | undefined {
    const span = hi - lo;
    if (span <= 0) return undefined;
    const start = cursor >= lo && cursor < hi ? cursor : lo;
    for (let i = 0; i < span; i++) {
      const offset = lo + ((start - lo + i) % span);
      if (!this.has(offset)) return offset;
    }
    return undefined;
  }
}

/** kube: min(max(16, size/16), 256) addresses at the bottom of the range are "static" */
const ipStaticBand = (size: number) => Math.min(Math.max(16, Math.floor(size / 16)), 256, size);
/** kube: min(max(16, size/32), 128) ports at the bottom of the range are "static" */
const portStaticBand = (size: number) => Math.min(Math.max(16, Math.floor(size / 32)), 128, size);

function parseIpv4(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * Cluster IPs over an IPv4 CIDR. The network and broadcast addresses are never handed out
 * (for /31 and /32 every address is usable, as in kube). `reserved` addresses are marked
 * used from the start and survive restore().
 */
export class IpAllocator {
  readonly cidr: string;
  private readonly first: number;
  private readonly bitmap: RangeBitmap;
  private readonly reserved: number[] = [];

  constructor(cidr: string, reserved: readonly string[] = []) {
    const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr);
    const network = m ? parseIpv4(m[1]!) : undefined;
    const prefix = m ? Number(m[2]) : NaN;
    if (network === undefined || !(prefix >= 0 && prefix <= 32)) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)}`);
    const total = 2 ** (32 - prefix);
    const base = network - (network % total);
    this.cidr = `${formatIpv4(base)}/${prefix}`;
    // skip network and broadcast addresses when the range is big enough to have them
    this.first = total > 2 ? base + 1 : base;
    const size = total > 2 ? total - 2 : total;
    this.bitmap = new RangeBitmap(size, ipStaticBand(size));
    for (const ip of reserved) {
      const offset = this.offsetOf(ip);
      if (offset === undefined) throw new Error(`reserved IP ${ip} is not in ${this.cidr}`);
      this.reserved.push(offset);
      this.bitmap.set(offset);
    }
  }

  /** usable addresses in the range */
  get size(): number {
    return this.bitmap.size;
  }

  used(): number {
    return this.bitmap.used();
  }

  free(): number {
    return this.bitmap.size - this.bitmap.used();
  }

  contains(ip: string): boolean {
    return this.offsetOf(ip) !== undefined;
  }

  has(ip: string): boolean {
    const offset = this.offsetOf(ip);
    return offset !== undefined && this.bitmap.has(offset);
  }

  /** Allocate the given address, or any free one. */
  allocate(specific?: string): AllocationResult<string> {
    if (specific !== undefined) {
      if (!isIPv4(specific)) return { ok: false, reason: 'invalid', detail: 'must be a valid IP address' };
      const offset = this.offsetOf(specific);
      if (offset === undefined)
        return { ok: false, reason: 'out-of-range', detail: `provided IP is not in the valid range. The range of valid IPs is ${this.cidr}` };
      if (!this.bitmap.set(offset)) return { ok: false, reason: 'allocated', detail: 'provided IP is already allocated' };
      return { ok: true, value: specific };
    }
    const offset = this.bitmap.next();
    if (offset === undefined) return { ok: false, reason: 'full', detail: 'range is full' };
    this.bitmap.set(offset);
    return { ok: true, value: formatIpv4(this.first + offset) };
  }

  /** Free an address; unknown or out-of-range addresses are ignored (release is idempotent). */
  release(ip: string): void {
    const offset = this.offsetOf(ip);
    if (offset !== undefined && !this.reserved.includes(offset)) this.bitmap.clear(offset);
  }

  /**
   * Rebuild the bitmap from the addresses existing Services hold (kube's repair loop does
   * this from a full list). Addresses outside the range are returned, not marked.
   */
  restore(ips: Iterable<string>): string[] {
    this.bitmap.reset();
    for (const offset of this.reserved) this.bitmap.set(offset);
    const outside: string[] = [];
    for (const ip of ips) {
      const offset = this.offsetOf(ip);
      if (offset === undefined) outside.push(ip);
      else this.bitmap.set(offset);
    }
    return outside;
  }

  private offsetOf(ip: string): number | undefined {
    const n = parseIpv4(ip);
    if (n === undefined) return undefined;
    const offset = n - this.first;
    return offset >= 0 && offset < this.bitmap.size ? offset : undefined;
  }
}

export const DEFAULT_NODE_PORT_RANGE = { base: 30000, size: 2768 } as const;

/** Node ports over [base, base+size), kube's default 30000–32767. */
export class PortAllocator {
  private readonly bitmap: RangeBitmap;

  constructor(
    readonly base: number = DEFAULT_NODE_PORT_RANGE.base,
    size: number = DEFAULT_NODE_PORT_RANGE.size,
  ) {
    if (!(Number.isInteger(base) && Number.isInteger(size) && base > 0 && size > 0 && base + size - 1 <= 65535))
      throw new Error(`invalid port range ${base}+${size}`);
    this.bitmap = new RangeBitmap(size, portStaticBand(size));
  }

  get size(): number {
    return this.bitmap.size;
  }

  /** as kube prints it: "30000-32767" */
  get range(): string {
    return `${this.base}-${this.base + this.bitmap.size - 1}`;
  }

  used(): number {
    return this.bitmap.used();
  }

  free(): number {
    return this.bitmap.size - this.bitmap.used();
  }

  has(port: number): boolean {
    const offset = this.offsetOf(port);
    return offset !== undefined && this.bitmap.has(offset);
  }

  allocate(specific?: number): AllocationResult<number> {
    if (specific !== undefined) {
      const offset = this.offsetOf(specific);
      if (offset === undefined)
        return { ok: false, reason: 'out-of-range', detail: `provided port is not in the valid range. The range of valid ports is ${this.range}` };
      if (!this.bitmap.set(offset)) return { ok: false, reason: 'allocated', detail: 'provided port is already allocated' };
      return { ok: true, value: specific };
    }
    const offset = this.bitmap.next();
    if (offset === undefined) return { ok: false, reason: 'full', detail: 'range is full' };
    this.bitmap.set(offset);
    return { ok: true, value: this.base + offset };
  }

  release(port: number): void {
    const offset = this.offsetOf(port);
    if (offset !== undefined) this.bitmap.clear(offset);
  }

  /** Rebuild from the ports existing Services hold; ports outside the range are returned. */
  restore(ports: Iterable<number>): number[] {
    this.bitmap.reset();
    const outside: number[] = [];
    for (const port of ports) {
      const offset = this.offsetOf(port);
      if (offset === undefined) outside.push(port);
      else this.bitmap.set(offset);
    }
    return outside;
  }

  private offsetOf(port: number): number | undefined {
    if (!Number.isInteger(port)) return undefined;
    const offset = port - this.base;
    return offset >= 0 && offset < this.bitmap.size ? offset : undefined;
  }
}

/**
 * How kube's service registry reports a failed cluster IP allocation. A full range is not
 * the user's fault: kube answers 500 InternalError "failed to allocate a serviceIP: range
 * is full", so that case returns { internal } for the registry to raise.
 */
export function clusterIPError(requested: string | undefined, failure: Extract<AllocationResult<string>, { ok: false }>): FieldError | { internal: string } {
  if (failure.reason === 'full') return { internal: `failed to allocate a serviceIP: ${failure.detail}` };
  return {
    type: 'FieldValueInvalid',
    field: 'spec.clusterIPs',
    message: `Invalid value: []string{${JSON.stringify(requested ?? '')}}: failed to allocate IP ${requested ?? ''}: ${failure.detail}`,
  };
}

/** kube: spec.ports[i].nodePort: Invalid value: 30080: provided port is already allocated */
export function nodePortError(portIndex: number, requested: number | undefined, failure: Extract<AllocationResult<number>, { ok: false }>): FieldError | { internal: string } {
  if (failure.reason === 'full') return { internal: `failed to allocate a nodePort: ${failure.detail}` };
  return fieldErrors.invalid(`spec.ports[${portIndex}].nodePort`, requested ?? 0, failure.detail);
}
