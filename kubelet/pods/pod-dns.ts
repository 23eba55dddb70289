/**
 * The sandbox's DNSConfig from the pod's dnsPolicy and dnsConfig (kube's
 * network/dns GetPodDNS):
 *   None                      → only pod.spec.dnsConfig
 *   ClusterFirst (no hostNetwork), ClusterFirstWithHostNet
 *                             → cluster DNS: its servers, searches <ns>.svc.<domain>,
 *                               svc.<domain>, <domain> then the host's, options ndots:5
 *   Default, ClusterFirst on hostNetwork
 *                             → the host's resolv.conf
 * then pod.spec.dnsConfig appended (servers and searches de-duplicated, options merged by
 * name, the pod's winning). Without a cluster DNS server, ClusterFirst falls back to the
 * host's, as the kubelet does when --cluster-dns is empty.
 * "The host's" with no host config given means: no DNSConfig at all, and the runtime writes
 * the host's resolvers itself — so a pod with nothing special gets `undefined`.
 */
import type { V1Pod, V1PodDNSConfigOption } from '@kubernetes/client-node';
import type { DNSConfig } from '../cri/api.js';

export interface ClusterDnsSettings {
  /** cluster DNS server IPs (kubelet --cluster-dns); empty: none yet */
  clusterDNS?: string[];
  /** kubelet --cluster-domain */
  clusterDomain?: string;
  /** the host's resolv.conf, parsed, when the caller has it */
  hostDNS?: DNSConfig;
}

const unique = (values: string[]): string[] => [...new Set(values)];

function mergeOptions(existing: string[], extra: V1PodDNSConfigOption[]): string[] {
  const byName = new Map<string, string>();
  for (const option of existing) byName.set(option.split(':')[0]!, option);
  for (const option of extra) byName.set(option.name ?? '', option.value !== undefined ? `${option.name}:${option.value}` : (option.name ?? ''));
  return [...byName.values()];
}

export function podDnsConfig(pod: V1Pod, settings: ClusterDnsSettings = {}): DNSConfig | undefined {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const podConfig = pod.spec?.dnsConfig;
  const clusterDNS = settings.clusterDNS ?? [];
  let kind: 'none' | 'cluster' | 'host';
  if (policy === 'None') kind = 'none';
  else if (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.spec?.hostNetwork)) kind = 'cluster';
  else kind = 'host';
  if (kind === 'cluster' && clusterDNS.length === 0) kind = 'host';

  let base: DNSConfig | undefined;
  if (kind === 'none') base = { servers: [], searches: [], options: [] };
  else if (kind === 'cluster') {
    const domain = settings.clusterDomain ?? 'cluster.local';
    const namespace = pod.metadata?.namespace ?? 'default';
    base = {
      servers: [...clusterDNS],
      searches: unique([`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...(settings.hostDNS?.searches ?? [])]),
      options: ['ndots:5'],
    };
  } else base = settings.hostDNS ? { servers: [...settings.hostDNS.servers], searches: [...settings.hostDNS.searches], options: [...settings.hostDNS.options] } : undefined;

  if (!podConfig) return base;
  const start = base ?? { servers: [], searches: [], options: [] };
  return {
    servers: unique([...start.servers, ...(podConfig.nameservers ?? [])]),
    searches: unique([...start.searches, ...(podConfig.searches ?? [])]),
    options: mergeOptions(start.options, podConfig.options ?? []),
  };
}
