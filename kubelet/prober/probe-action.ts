/**
 * A V1Probe's handler as the runtime's ProbeAction: the API's optional fields filled with
 * kube's defaults (path '/', scheme HTTP, host = the pod IP) and named ports resolved
 * against the container's ports, so the runtime gets exactly what to run or dial.
 *
 * grpc probes become a TCP connect to their port: the runtime has no gRPC health client,
 * and "the port accepts connections" is the closest check it can make. A gRPC server
 * that listens but reports NOT_SERVING still passes — a known gap.
 *
 * An empty host means "the pod IP", which the runtime knows even before the pod's status
 * carrying it has been written.
 */
import type { IntOrString, V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import type { ProbeAction } from '../cri/api.js';

export function probeActionOf(probe: V1Probe, pod: V1Pod, container: V1Container): ProbeAction {
  const podIP = pod.status?.podIP ?? '';
  if (probe.exec) return { exec: { command: probe.exec.command ?? [] } };
  if (probe.httpGet) {
    const get = probe.httpGet;
    const scheme = (get.scheme ?? 'HTTP').toUpperCase();
    if (scheme !== 'HTTP' && scheme !== 'HTTPS') throw new Error(`unsupported httpGet scheme "${get.scheme}" (HTTP or HTTPS)`);
    return {
      httpGet: {
        host: get.host || podIP,
        port: resolvePort(get.port, container),
        path: get.path || '/',
        scheme,
        httpHeaders: (get.httpHeaders ?? []).map((h) => ({ name: h.name, value: h.value })),
      },
    };
  }
  if (probe.tcpSocket) return { tcpSocket: { host: probe.tcpSocket.host || podIP, port: resolvePort(probe.tcpSocket.port, container) } };
  if (probe.grpc) return { tcpSocket: { host: podIP, port: resolvePort(probe.grpc.port, container) } };
  throw new Error('probe has no handler (exec, httpGet, tcpSocket or grpc)');
}

/** a number, a number written as a string, or the name of one of the container's ports */
export function resolvePort(port: IntOrString | undefined, container: V1Container): number {
  if (typeof port === 'number') return checkPort(port);
  if (port === undefined || port === '') throw new Error('probe port is missing');
  if (/^\d+$/.test(port)) return checkPort(Number(port));
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`port "${port}" is not a named port of container "${container.name}"`);
  return checkPort(named.containerPort);
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`probe port ${port} is out of range (1-65535)`);
  return port;
}
