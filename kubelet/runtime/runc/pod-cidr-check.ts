/**
 * Two clusters on one host must not hand out the same pod addresses: both bridges would
 * claim the subnet's route and traffic would reach the wrong pods. Before a node's runtime
 * starts, look at the host's routes: a route for an overlapping subnet on any device other
 * than this runtime's own bridge means the pod CIDR is taken, and the runtime refuses to
 * start with a message that says which device holds it and what to do.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Route {
  dst: string;
  dev?: string;
}

/** whether two IPv4 CIDRs overlap */
export function cidrsOverlap(a: string, b: string): boolean {
  const parse = (cidr: string): [number, number] | undefined => {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr);
    if (!m) return undefined;
    const prefix = m[5] === undefined ? 32 : Number(m[5]);
    const addr = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    return [addr, prefix];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return false;
  const prefix = Math.min(pa[1], pb[1]);
  if (prefix === 0) return true;
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  return (pa[0] & mask) === (pb[0] & mask);
}

/** the device (other than `ownBridge`) whose route overlaps `podCIDR`, or undefined; default routes are ignored */
export function conflictingRoute(routes: readonly Route[], podCIDR: string, ownBridge: string): Route | undefined {
  return routes.find((r) => r.dst !== 'default' && r.dev !== ownBridge && r.dev !== 'lo' && cidrsOverlap(r.dst, podCIDR) && Number(r.dst.split('/')[1] ?? 32) > 0);
}

export async function assertPodCidrFree(podCIDR: string, ownBridge: string): Promise<void> {
  let routes: Route[];
  try {
    routes = JSON.parse((await run('ip', ['-j', '-4', 'route', 'show'])).stdout) as Route[];
  } catch {
    return; // no ip(8) or no JSON support: the CNI plugins will complain themselves
  }
  const conflict = conflictingRoute(routes, podCIDR, ownBridge);
  if (conflict) {
    throw new Error(`pod CIDR ${podCIDR} overlaps ${conflict.dst}, already routed on this host via ${conflict.dev ?? 'another device'}; start this cluster with another --pod-cidr`);
  }
}
