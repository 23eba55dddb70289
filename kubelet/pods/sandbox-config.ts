/**
 * The PodSandboxConfig for a pod, as the kubelet builds it: identity in metadata (the
 * attempt grows each time the sandbox is recreated), hostname, the pod's log directory,
 * the kubelet's labels (so the sandbox can be found again by pod uid after a restart),
 * the pod's annotations (the simulated runtime reads its behaviour there), a port
 * mapping for every container port that asks for a hostPort, the Linux part (namespaces,
 * runAsUser/Group, supplemental groups, sysctls: security-context.ts) and the DNS config
 * (pod-dns.ts; absent when the runtime should use the host's resolvers).
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { PodSandboxConfig, PortMapping } from '../cri/api.js';
import { sandboxLabels, type PodIdentity } from '../cri/labels.js';
import { podLogDirectory } from '../logs/log-paths.js';
import { podDnsConfig, type ClusterDnsSettings } from './pod-dns.js';
import { sandboxSecurityContext, sandboxSysctls } from './security-context.js';

export const podIdentity = (pod: V1Pod): PodIdentity => ({
  namespace: pod.metadata?.namespace ?? 'default',
  name: pod.metadata?.name ?? '',
  uid: pod.metadata?.uid ?? '',
});

export function buildSandboxConfig(pod: V1Pod, logRoot: string, attempt: number, dns: ClusterDnsSettings = {}): PodSandboxConfig {
  const id = podIdentity(pod);
  const portMappings: PortMapping[] = [];
  for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const port of container.ports ?? []) {
      if (!port.hostPort) continue;
      portMappings.push({
        protocol: (port.protocol as PortMapping['protocol'] | undefined) ?? 'TCP',
        containerPort: port.containerPort,
        hostPort: port.hostPort,
        hostIp: port.hostIP ?? '',
      });
    }
  }
  const dnsConfig = podDnsConfig(pod, dns);
  return {
    metadata: { name: id.name, uid: id.uid, namespace: id.namespace, attempt },
    hostname: pod.spec?.hostname ?? id.name,
    logDirectory: podLogDirectory(logRoot, id),
    portMappings,
    labels: sandboxLabels(id, pod.metadata?.labels ?? {}),
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    ...(dnsConfig ? { dnsConfig } : {}),
    linux: { cgroupParent: '', securityContext: sandboxSecurityContext(pod), sysctls: sandboxSysctls(pod) },
  };
}
