/**
 * What exists in every cluster before anyone asks, as kube-apiserver creates it at
 * start: the namespaces default, kube-system, kube-public and kube-node-lease, then each
 * kind's ResourceDef.bootstrapObjects (system priority classes, default roles…). Created
 * through the registry (so with uid, timestamps and defaults); existing ones are kept.
 * Once the server listens, its own `kubernetes` Service and endpoints, kept right by a
 * small loop (ensureKubernetesService).
 */
import type { Catalogue } from './catalogue/catalogue.js';
import type { KubeObject, RequestContext, ResourceDef } from './catalogue/resource-def.js';
import { resolveAdvertiseAddress } from './advertise-address.js';
import { ApiError } from './errors/api-error.js';
import { endpointsCurrent, endpointSliceCurrent, KUBERNETES, kubernetesEndpoints, kubernetesEndpointSlice, SKIP_MIRROR_LABEL } from './kubernetes-endpoints.js';
import { startReconcileLoop, stopReconcileLoop } from './reconcile-loop.js';
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

/** kube-apiserver's EndpointInterval: how often it re-checks its own Service and endpoints */
export const KUBERNETES_SERVICE_INTERVAL_MS = 10_000;

/**
 * The API server's own Service, Endpoints and EndpointSlice in `default`, as kube-apiserver
 * keeps them: `kubernetes`, cluster IP = the first address of the service CIDR, port 443 →
 * the API server's port; the endpoints point at the advertise address (advertise-address.ts:
 * for a server bound to loopback, the host's address, as kube does). Called once the
 * server listens (its port is known only then); the first pass runs now, then a loop
 * re-creates or corrects them every `intervalMs` (0: no loop) until stopKubernetesService.
 */
export async function ensureKubernetesService(
  registry: GenericRegistry,
  catalogue: Catalogue,
  ctx: RequestContext,
  endpoint: { address: string; port: number },
  opts: { intervalMs?: number } = {},
): Promise<void> {
  await reconcileKubernetesService(registry, catalogue, ctx, endpoint);
  const intervalMs = opts.intervalMs ?? KUBERNETES_SERVICE_INTERVAL_MS;
  if (intervalMs > 0) startReconcileLoop(registry, () => reconcileKubernetesService(registry, catalogue, { ...ctx, now: new Date() }, endpoint), intervalMs);
}

/** stop the loop ensureKubernetesService started for this registry (on shutdown) */
export const stopKubernetesService = (registry: GenericRegistry): void => stopReconcileLoop(registry);

const getOrUndefined = (registry: GenericRegistry, def: ResourceDef, name: string): Promise<KubeObject | undefined> =>
  registry.get(def, 'default', name).catch((err: unknown) => (err instanceof ApiError && err.reason === 'NotFound' ? undefined : Promise.reject(err)));

const createTolerant = async (registry: GenericRegistry, def: ResourceDef, body: KubeObject, ctx: RequestContext) => {
  try {
    await registry.create(def, 'default', structuredClone(body), { ...ctx, namespace: 'default' });
  } catch (err) {
    // created meanwhile (another API server, or a client): the next pass compares it
    if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
  }
};

/** One pass: create what is missing, correct what differs, write nothing when all is right. */
export async function reconcileKubernetesService(registry: GenericRegistry, catalogue: Catalogue, ctx: RequestContext, endpoint: { address: string; port: number }): Promise<void> {
  const services = catalogue.resource('', 'v1', 'services');
  const endpointsDef = catalogue.resource('', 'v1', 'endpoints');
  const slicesDef = catalogue.resource('discovery.k8s.io', 'v1', 'endpointslices');
  if (services) {
    const current = await getOrUndefined(registry, services, KUBERNETES);
    if (!current) {
      await createTolerant(
        registry,
        services,
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: KUBERNETES, labels: { component: 'apiserver', provider: 'kubernetes' } },
          spec: {
            type: 'ClusterIP',
            clusterIP: firstServiceIP(ctx.cluster.serviceCIDR),
            ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: endpoint.port }],
            sessionAffinity: 'None',
          },
        },
        ctx,
      );
    } else {
      // the port may differ from the last run: keep the Service's targetPort pointing at this server
      const ports = ((current.spec ?? {}) as { ports?: Array<Record<string, unknown>> }).ports ?? [];
      if (ports.some((p) => p.name === 'https' && p.targetPort !== endpoint.port)) {
        await registry.mutate(services, 'default', KUBERNETES, ctx, (cur) => {
          const spec = (cur.spec ?? {}) as { ports?: Array<Record<string, unknown>> };
          spec.ports = (spec.ports ?? []).map((p) => (p.name === 'https' ? { ...p, targetPort: endpoint.port } : p));
          return { ...cur, spec };
        });
      }
    }
  }
  // kube's validation refuses special addresses in endpoints: without a usable host
  // address the server publishes only its Service
  const address = resolveAdvertiseAddress(endpoint.address);
  if (!address || isSpecialAddress(address)) return;
  const published = { address, port: endpoint.port };
  if (endpointsDef) {
    const want = kubernetesEndpoints(published);
    const current = await getOrUndefined(registry, endpointsDef, KUBERNETES);
    if (!current) await createTolerant(registry, endpointsDef, want, ctx);
    else if (!endpointsCurrent(current, want)) {
      await registry.mutate(endpointsDef, 'default', KUBERNETES, ctx, (cur) => ({
        ...cur,
        metadata: { ...cur.metadata, labels: { ...(cur.metadata.labels ?? {}), [SKIP_MIRROR_LABEL]: 'true' } },
        subsets: want.subsets,
      }));
    }
  }
  if (slicesDef) {
    const want = kubernetesEndpointSlice(published);
    const current = await getOrUndefined(registry, slicesDef, KUBERNETES);
    if (!current) await createTolerant(registry, slicesDef, want, ctx);
    else if (current.addressType !== want.addressType) {
      // the address type is immutable: replace the slice
      await registry.delete(slicesDef, 'default', KUBERNETES, ctx).catch((err: unknown) => (err instanceof ApiError && err.reason === 'NotFound' ? undefined : Promise.reject(err)));
      await createTolerant(registry, slicesDef, want, ctx);
    } else if (!endpointSliceCurrent(current, want)) {
      await registry.mutate(slicesDef, 'default', KUBERNETES, ctx, (cur) => ({
        ...cur,
        metadata: { ...cur.metadata, labels: want.metadata.labels },
        endpoints: want.endpoints,
        ports: want.ports,
      }));
    }
  }
}

const isSpecialAddress = (ip: string) => ip === '0.0.0.0' || ip === '::' || ip.startsWith('127.') || ip === '::1' || ip === 'localhost' || ip.startsWith('169.254.');
