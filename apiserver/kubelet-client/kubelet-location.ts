/**
 * Where a node's kubelet serves its API, from the Node object (kube's
 * NodeConnectionInfoGetter): an address from status.addresses and the port the kubelet
 * reported in status.daemonEndpoints.kubeletEndpoint.Port.
 *
 * Address preference: InternalIP, then ExternalIP, then the DNS/hostname entries.
 * kube-apiserver's default list puts Hostname first, but k8ts node names (k8ts-node-1)
 * do not resolve, while the IPs a kubelet reports are the ones it listens on.
 * kube falls back to port 10250 when none is reported; a k8ts kubelet listens on a port
 * of its own choosing, so a missing port is an error that says so.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { KubeObject } from '../catalogue/resource-def.js';
import { apiErrors } from '../errors/api-error.js';

const ADDRESS_PREFERENCE = ['InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS', 'Hostname'];

export interface KubeletLocation {
  nodeName: string;
  host: string;
  port: number;
}

export function kubeletLocation(nodeObject: KubeObject): KubeletLocation {
  const node = nodeObject as unknown as V1Node;
  const nodeName = node.metadata?.name ?? '';
  const addresses = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const type of ADDRESS_PREFERENCE) {
    host = addresses.find((a) => a.type === type && a.address)?.address;
    if (host) break;
  }
  if (!host) throw apiErrors.unavailable(`node "${nodeName}" has no address in status.addresses: cannot reach its kubelet`);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!port || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw apiErrors.unavailable(`node "${nodeName}" reports no kubelet port (status.daemonEndpoints.kubeletEndpoint.Port): cannot reach its kubelet`);
  }
  return { nodeName, host, port };
}
