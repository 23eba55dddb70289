/**
 * Host port conflicts (kube's HostPortInfo.CheckConflict): two host ports clash when the
 * protocol and port are equal and the IPs are equal or either is 0.0.0.0 (all addresses).
 * Port 0 is "no host port" and never clashes. An empty IP means 0.0.0.0, an empty
 * protocol TCP (podHostPorts in node-info.ts already fills those in).
 */
import type { HostPort } from '../../framework/node-info.js';

const ANY_IP = '0.0.0.0';

export function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.hostPort <= 0 || a.hostPort !== b.hostPort) return false;
  if ((a.protocol || 'TCP') !== (b.protocol || 'TCP')) return false;
  const ipA = a.hostIP || ANY_IP;
  const ipB = b.hostIP || ANY_IP;
  return ipA === ipB || ipA === ANY_IP || ipB === ANY_IP;
}

/** does any wanted port clash with a port already used on the node */
export function fitsPorts(wanted: readonly HostPort[], used: readonly HostPort[]): boolean {
  for (const w of wanted) for (const u of used) if (portsConflict(w, u)) return false;
  return true;
}
