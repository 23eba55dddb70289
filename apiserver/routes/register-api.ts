/** Everything under /api and /apis, wired in one place. */
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { registerDiscoveryRoutes } from '../discovery/discovery-routes.js';
import { registerOpenApiRoutes } from '../openapi/openapi-routes.js';
import { registerBodyParser } from './request-body.js';
import { registerResourceRoutes, type ResourceRouteOptions } from './resource-routes.js';

export type ApiOptions = Omit<ResourceRouteOptions, 'store'>;

export function registerApi(app: FastifyInstance, opts: ResourceRouteOptions): void {
  // Routes upgrade requests through Fastify, so authentication hooks run for them too.
  void app.register(websocket);
  registerDiscoveryRoutes(app, opts.catalogue);
  registerOpenApiRoutes(app, opts.catalogue);
  // A child context, registered after the websocket plugin so that its routes see it.
  void app.register(async (api) => {
    registerBodyParser(api);
    registerResourceRoutes(api, opts);
  });
}
