/**
 * Authentication then authorization, as one Fastify onRequest hook on the root app, so
 * it runs for every request (routes, 404s, later upgrades) before any handler:
 *
 *   parse the request's attributes -> authenticate (401 on failure) -> request.user
 *   -> authorize (403 on denial) -> handlers
 *
 * Handlers read the caller as `request.user` (kube's user.Info).
 */
import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../errors/api-error.js';
import { createAuthenticator, type AuthenticationOptions } from './authenticate.js';
import { authorize, forbiddenError } from './authorizer.js';
import { parseRequestInfo } from './request-attributes.js';
import type { UserInfo } from './user.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** who is calling; set by the authentication hook before any handler runs */
    user: UserInfo;
  }
}

/** `options` undefined: no authentication (see createAuthenticator). */
export function installAuthHooks(app: FastifyInstance, options: AuthenticationOptions | undefined): void {
  const authenticate = createAuthenticator(options);
  // null until the hook sets it (Fastify wants no shared object as a request decoration's default)
  app.decorateRequest('user', null as unknown as UserInfo);
  app.addHook('onRequest', async (request, reply) => {
    const info = parseRequestInfo(request.method, request.raw.url ?? request.url);
    const authenticated = authenticate(request.raw, info.path);
    if (!authenticated.ok) {
      request.log.debug({ url: request.url, reason: authenticated.reason }, 'unauthorized');
      return reply.code(401).send(apiErrors.unauthorized().toStatus());
    }
    request.user = authenticated.user;
    const attributes = { ...info, user: authenticated.user };
    const decision = authorize(attributes);
    if (!decision.allowed) {
      const error = forbiddenError(attributes, decision.reason);
      return reply.code(error.code).send(error.toStatus());
    }
  });
}
