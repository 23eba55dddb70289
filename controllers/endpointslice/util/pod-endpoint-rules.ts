/**
 * The rules both the Endpoints and the EndpointSlice controllers apply to a pod (kube's
 * k8s.io/endpointslice util and podutil.FindPort): whether a pod is published at all,
 * whether its hostname is, and which port number a Service port means for this pod.
 * Pure functions over plain API objects.
 */
import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';

/** the Ready condition is True (podutil.IsPodReady) */
export const isPodReady = (pod: V1Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Succeeded or Failed: a finished pod serves nothing */
export const isPodTerminal = (pod: V1Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/**
 * ShouldPodBeInEndpoints: not terminal, has an IP, and — unless terminating pods are
 * wanted (publishNotReadyAddresses for Endpoints; always for EndpointSlices, which mark
 * them terminating) — not being deleted.
 */
export function shouldPodBeInEndpoints(pod: V1Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs?.length ?? 0)) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the pod asked for a hostname under this Service's subdomain */
export const shouldSetHostname = (pod: V1Pod, service: V1Service): boolean =>
  Boolean(pod.spec?.hostname) && pod.spec?.subdomain === service.metadata?.name && pod.metadata?.namespace === service.metadata?.namespace;

/** a ClusterIP is allocated (not headless, not ExternalName) */
export const isServiceIPSet = (service: V1Service): boolean => Boolean(service.spec?.clusterIP) && service.spec?.clusterIP !== 'None';

/**
 * FindPort: a numeric targetPort is the port; a named one is looked up in the pod's
 * container ports (then its sidecars: init containers with restartPolicy Always) with the
 * same name and protocol. Undefined when the pod has no such port (kube skips the port).
 */
export function findPort(pod: V1Pod, servicePort: V1ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  const protocol = servicePort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** the pod's IPs (status.podIPs, else status.podIP) */
export const podIPs = (pod: V1Pod): string[] => {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => Boolean(ip));
  return ips.length > 0 ? ips : pod.status?.podIP ? [pod.status.podIP] : [];
};

export const isIPv6 = (ip: string): boolean => ip.includes(':');
