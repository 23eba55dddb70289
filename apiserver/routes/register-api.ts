/** Everything under /api and /apis, wired in one place. */
import type { FastifyInstance } from 'fastify';
import { registerBodyParser } from './request-body.js';
import { registerResourceRoutes, type ResourceRouteOptions } from './resource-routes.js';

export type ApiOptions = Omit<ResourceRouteOptions, 'store'>;

export function registerApi(app: FastifyInstance, opts: ResourceRouteOptions): void {
  registerBodyParser(app);
  registerResourceRoutes(app, opts);
}
