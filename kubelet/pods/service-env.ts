/**
 * The service environment variables the kubelet puts into every container (kube's
 * envvars.FromServices): for a service `my-svc` with ClusterIP 10.0.0.5 and port 80/TCP
 *   MY_SVC_SERVICE_HOST=10.0.0.5   MY_SVC_SERVICE_PORT=80   MY_SVC_SERVICE_PORT_<NAME>=80 (named ports)
 *   MY_SVC_PORT=tcp://10.0.0.5:80  (first port)             MY_SVC_PORT_80_TCP=tcp://10.0.0.5:80
 *   MY_SVC_PORT_80_TCP_PROTO=tcp   MY_SVC_PORT_80_TCP_PORT=80  MY_SVC_PORT_80_TCP_ADDR=10.0.0.5
 * Which services count (kube's getServiceEnvVarMap): the `kubernetes` service of the default
 * namespace always; the pod's own namespace's services when enableServiceLinks is not false.
 * Headless services (ClusterIP None) and services without an IP give nothing.
 */
import type { V1Service } from '@kubernetes/client-node';

/** kube's master services: always visible to every pod */
const MASTER_SERVICES = new Set(['kubernetes']);

const envPrefix = (name: string): string => name.toUpperCase().replace(/-/g, '_');

export function serviceEnvVars(services: V1Service[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const service of services) {
    const ip = service.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const prefix = envPrefix(service.metadata?.name ?? '');
    const ports = service.spec?.ports ?? [];
    env.set(`${prefix}_SERVICE_HOST`, ip);
    if (ports[0]) env.set(`${prefix}_SERVICE_PORT`, String(ports[0].port));
    for (const port of ports) if (port.name) env.set(`${prefix}_SERVICE_PORT_${envPrefix(port.name)}`, String(port.port));
    // docker-link style variables
    const host = ip.includes(':') ? `[${ip}]` : ip;
    ports.forEach((port, i) => {
      const protocol = (port.protocol ?? 'TCP').toLowerCase();
      const url = `${protocol}://${host}:${port.port}`;
      const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
      if (i === 0) env.set(`${prefix}_PORT`, url);
      env.set(portPrefix, url);
      env.set(`${portPrefix}_PROTO`, protocol);
      env.set(`${portPrefix}_PORT`, String(port.port));
      env.set(`${portPrefix}_ADDR`, ip);
    });
  }
  return env;
}

/** the services whose variables a pod in `namespace` gets (the pod's own win over default's of the same name) */
export function servicesForPod(enableServiceLinks: boolean, namespaceServices: V1Service[], defaultServices: V1Service[]): V1Service[] {
  const byName = new Map<string, V1Service>();
  if (enableServiceLinks) for (const s of namespaceServices) byName.set(s.metadata?.name ?? '', s);
  for (const s of defaultServices) {
    const name = s.metadata?.name ?? '';
    if (MASTER_SERVICES.has(name) && !byName.has(name)) byName.set(name, s);
  }
  return [...byName.values()];
}
