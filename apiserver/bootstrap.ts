/**
 * What exists in every cluster before anyone asks, as kube-apiserver creates it at
 * start: the namespaces default, kube-system, kube-public and kube-node-lease, then each
 * kind's ResourceDef.bootstrapObjects (system priority classes, default roles…). Created
 * through the registry (so with uid, timestamps and defaults); existing ones are kept.
 */
import type { Catalogue } from './catalogue/catalogue.js';
import type { KubeObject, RequestContext, ResourceDef } from './catalogue/resource-def.js';
import { ApiError } from './errors/api-error.js';
import type { GenericRegistry } from './registry/generic-registry.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

export async function bootstrapCluster(registry: GenericRegistry, catalogue: Catalogue, ctx: RequestContext): Promise<void> {
  const createIfMissing = async (def: ResourceDef, obj: KubeObject) => {
    const namespace = def.namespaced ? (obj.metadata.namespace ?? 'default') : '';
    try {
      await registry.create(def, namespace, structuredClone(obj), { ...ctx, namespace });
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  };
  // concurrently: the store commits concurrent writes in one synced batch, so a first
  // start costs a few fsyncs, not one per object
  const namespaces = catalogue.resource('', 'v1', 'namespaces');
  if (namespaces) await Promise.all(SYSTEM_NAMESPACES.map((name) => createIfMissing(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
  // what kinds make at start (system priority classes, default cluster roles…)
  await Promise.all(catalogue.all().flatMap((def) => (def.bootstrapObjects?.() ?? []).map((obj) => createIfMissing(def, obj))));
}

/** The first usable address of an IPv4 CIDR (10.96.0.0/12 → 10.96.0.1): the kubernetes Service's. */
export function firstServiceIP(cidr: string): string {
  const [ip, bits] = cidr.split('/');
  const n = ip!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  const first = ((n & mask) >>> 0) + 1;
  return [24, 16, 8, 0].map((s) => (first >>> s) & 255).join('.');
}

/**
 * The API server's own Service and Endpoints in `default`, as kube-apiserver keeps them:
 * `kubernetes`, cluster IP = the first address of the service CIDR, port 443 → the API
 * server's port. Called once the server listens (its port is known only then).
 */
export async function ensureKubernetesService(registry: GenericRegistry, catalogue: Catalogue, ctx: RequestContext, endpoint: { address: string; port: number }): Promise<void> {
  const services = catalogue.resource('', 'v1', 'services');
  const endpoints = catalogue.resource('', 'v1', 'endpoints');
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const create = async (def: typeof services, body: Record<string, unknown>) => {
    if (!def) return;
    const exists = await registry.get(def, 'default', 'kubernetes').then(
      () => true,
      (err: unknown) => (err instanceof ApiError && err.reason === 'NotFound' ? false : Promise.reject(err)),
    );
    // the port may differ from the last run: keep the Service's targetPort and the
    // Endpoints pointing at this server
    if (exists && def === endpoints) await registry.mutate(def, 'default', 'kubernetes', ctx, (cur) => ({ ...cur, subsets: body.subsets }));
    if (exists && def === services) {
      await registry.mutate(def, 'default', 'kubernetes', ctx, (cur) => {
        const spec = (cur.spec ?? {}) as { ports?: Array<Record<string, unknown>> };
        spec.ports = (spec.ports ?? []).map((p) => (p.name === 'https' ? { ...p, targetPort: endpoint.port } : p));
        return { ...cur, spec };
      });
    }
    if (!exists) await registry.create(def, 'default', body as never, { ...ctx, namespace: 'default' });
  };
  await create(services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels },
    spec: {
      type: 'ClusterIP',
      clusterIP: firstServiceIP(ctx.cluster.serviceCIDR),
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: endpoint.port }],
      sessionAffinity: 'None',
    },
  });
  // Endpoints may not hold loopback addresses (kube validates that, and a pod could not
  // reach the host's loopback anyway): a server on 127.0.0.1 publishes only the Service
  // until pod networking gives it an address pods can reach.
  const ip = endpoint.address;
  if (ip === '0.0.0.0' || ip === '::' || ip.startsWith('127.') || ip === '::1' || ip === 'localhost') return;
  await create(endpoints, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port: endpoint.port, protocol: 'TCP' }] }],
  });
}
