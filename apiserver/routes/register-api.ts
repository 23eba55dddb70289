/** Everything under /api and /apis, wired in one place. */
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { registerDiscoveryRoutes } from '../discovery/discovery-routes.js';
import { registerOpenApiRoutes } from '../openapi/openapi-routes.js';
import { bootstrapCluster, ensureKubernetesService, stopKubernetesService } from '../bootstrap.js';
import { GenericRegistry } from '../registry/generic-registry.js';
import { registerMetricsRoutes } from '../resources/metrics.k8s.io/index.js';
import { authorize } from '../auth/authorizer.js';
import { registerConnectRoutes } from './connect-routes.js';
import { registerBodyParser } from './request-body.js';
import { registerResourceRoutes, type ResourceRouteOptions } from './resource-routes.js';

export type ApiOptions = Omit<ResourceRouteOptions, 'store'>;

/** What cli/ needs after listening: publish the server's own address (the kubernetes Service). */
export interface ApiHandle {
  publishEndpoint(endpoint: { address: string; port: number }): Promise<void>;
}

const handles = new WeakMap<FastifyInstance, ApiHandle>();
export const apiHandle = (app: FastifyInstance): ApiHandle | undefined => handles.get(app);

export function registerApi(app: FastifyInstance, opts: ResourceRouteOptions): void {
  const registry = new GenericRegistry(opts.store, opts.cluster, opts.catalogue);
  const now = opts.now ?? (() => new Date());
  const system = { name: 'system:apiserver', groups: ['system:masters'] };
  const ctx = () => ({ namespace: '', user: system, now: now(), dryRun: false, cluster: opts.cluster });
  app.addHook('onReady', async () => bootstrapCluster(registry, opts.catalogue, ctx()));
  handles.set(app, { publishEndpoint: (endpoint) => ensureKubernetesService(registry, opts.catalogue, ctx(), endpoint) });
  // the loop that keeps the `kubernetes` Service's endpoints right ends with the server
  app.addHook('onClose', async () => stopKubernetesService(registry));
  // Routes upgrade requests through Fastify, so authentication hooks run for them too.
  void app.register(websocket);
  registerDiscoveryRoutes(app, opts.catalogue);
  registerOpenApiRoutes(app, opts.catalogue);
  // A child context, registered after the websocket plugin so that its routes see it.
  void app.register(async (api) => {
    registerBodyParser(api);
    // exec, attach, portforward, nodes/proxy: taken to the kubelet before any route handler
    registerConnectRoutes(api, { catalogue: opts.catalogue, registry, services: opts.services ?? { authorize }, cluster: opts.cluster, ...(opts.now ? { now: opts.now } : {}) });
    registerResourceRoutes(api, opts, registry);
    // metrics.k8s.io: computed from the kubelets on request, not stored
    registerMetricsRoutes(api, { catalogue: opts.catalogue, registry, now, ...(opts.services ? { services: opts.services } : {}) });
  });
}
