/** Services, pods and nodes for the Endpoints and EndpointSlice controllers' tests. */
import type { V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { testPod } from '../../common/testing/objects.js';

export const NOW = Date.parse('2026-01-01T00:00:00Z');
export const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');

export interface ServiceOpts {
  selector?: Record<string, string> | null;
  ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }>;
  clusterIP?: string;
  publishNotReadyAddresses?: boolean;
  labels?: Record<string, string>;
  type?: string;
}

export function service(name: string, o: ServiceOpts = {}): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: at(0) as unknown as Date, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      ...(o.selector !== null ? { selector: o.selector ?? { app: name } } : {}),
      clusterIP: o.clusterIP ?? '10.96.0.10',
      ipFamilies: ['IPv4'],
      type: o.type ?? 'ClusterIP',
      ports: (o.ports ?? [{ name: 'http', port: 80, targetPort: 'http' }]).map((p) => ({ protocol: 'TCP', ...p })) as never,
      ...(o.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
    },
  };
}

export interface PodOpts {
  labels?: Record<string, string>;
  ip?: string | null;
  ready?: boolean;
  readySince?: number;
  node?: string;
  port?: number;
  portName?: string;
  terminating?: boolean;
  phase?: string;
  hostname?: string;
  subdomain?: string;
}

export function pod(name: string, o: PodOpts = {}): V1Pod {
  // tests that compare addresses pass `ip`; the default only has to be an address
  const ip = o.ip === null ? undefined : (o.ip ?? `10.244.0.${(name.charCodeAt(name.length - 1) % 250) + 1}`);
  return testPod<V1Pod>(name, {
    labels: o.labels ?? { app: 'web' },
    metadata: o.terminating ? { deletionTimestamp: at(50) } : {},
    spec: {
      nodeName: o.node ?? 'node-1',
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      containers: [{ name: 'app', image: 'nginx', ports: [{ name: o.portName ?? 'http', containerPort: o.port ?? 8080, protocol: 'TCP' }] }],
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: at(o.readySince ?? 10) }],
    },
  });
}

export function node(name: string, zone?: string): V1Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: `uid-${name}`, ...(zone ? { labels: { 'topology.kubernetes.io/zone': zone } } : {}) } };
}
