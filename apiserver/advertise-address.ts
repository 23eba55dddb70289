/**
 * The address the API server publishes for itself (kube's advertise address): the bind
 * address when it is a real one; for an unspecified or loopback bind address, the host's
 * address instead (kube's ResolveBindAddress → ChooseHostInterface: the interface of the
 * default route, else the first global unicast IPv4 of an interface that is up). A
 * loopback address could not go into the `kubernetes` Endpoints anyway: kube's validation
 * refuses it, and a pod could not reach the host's loopback.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const isLoopbackOrUnspecified = (ip: string) => ip === '0.0.0.0' || ip === '::' || ip === '::1' || ip === 'localhost' || ip.startsWith('127.');

const isGlobalIPv4 = (a: NetworkInterfaceInfo) => a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.') && !a.address.startsWith('127.');

/** the interfaces named in /proc/net/route with destination 0.0.0.0 (the default routes), in order */
function defaultRouteInterfaces(routeTable: string | undefined): string[] {
  if (!routeTable) return [];
  return routeTable
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length > 2 && cols[1] === '00000000')
    .map((cols) => cols[0]!);
}

function readRouteTable(): string | undefined {
  try {
    return readFileSync('/proc/net/route', 'utf8');
  } catch {
    return undefined;
  }
}

/** the host's address: on the default route's interface if there is one; undefined when the host has none */
export function chooseHostAddress(interfaces: Interfaces = networkInterfaces(), routeTable: string | undefined = readRouteTable()): string | undefined {
  for (const name of defaultRouteInterfaces(routeTable)) {
    const found = (interfaces[name] ?? []).find(isGlobalIPv4);
    if (found) return found.address;
  }
  for (const addrs of Object.values(interfaces)) {
    const found = (addrs ?? []).find(isGlobalIPv4);
    if (found) return found.address;
  }
  return undefined;
}

/** ResolveBindAddress: a real bind address is kept; loopback/unspecified become the host's address */
export function resolveAdvertiseAddress(bindAddress: string, interfaces?: Interfaces, routeTable?: string): string | undefined {
  if (!isLoopbackOrUnspecified(bindAddress)) return bindAddress;
  return chooseHostAddress(interfaces, routeTable);
}
