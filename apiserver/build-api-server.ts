/**
 * The API server as a Fastify app, built but not listening: cli/ listens, tests inject.
 *
 * HTTPS when given `tls` (HTTP/1.1 only: no h2 in ALPN, since kubectl would then speak
 * HTTP/2 and exec/port-forward upgrades need HTTP/1.1). Every request is authenticated
 * and authorized first (auth/auth-hooks.ts); handlers read the caller as `request.user`.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import { installAuthHooks } from './auth/auth-hooks.js';
import type { AuthenticationOptions } from './auth/authenticate.js';
import { RequestLogController } from './request-log.js';
import { apiErrors } from './errors/api-error.js';
import { kubeVersionInfo } from './version.js';
import { registerApi, type ApiOptions } from './routes/register-api.js';
import { errorStatus } from './routes/error-status.js';
import { installMetrics } from './metrics/api-metrics.js';
import { installHealthRoutes } from './health/health-checks.js';

export interface ApiServerOptions {
  /** the cluster's store; only the API server ever touches it */
  store: Store;
  logger?: FastifyBaseLogger;
  /** true once shutdown began: /readyz fails and new writes get 503 */
  isShuttingDown?: () => boolean;
  /** the resource API (catalogue, routes, discovery); without it only health and version are served */
  api?: ApiOptions;
  /** serve HTTPS with this certificate; client certificates signed by `clientCA` authenticate */
  tls?: ServingTls;
  /**
   * Bearer tokens and anonymous access (client certificates need `tls`). Omitted: no
   * authentication, every request runs as system:unsecured in system:masters (what kube's
   * old insecure port did) — only for tests that build the app in-process; startCluster
   * always passes it.
   */
  authentication?: AuthenticationOptions;
}

export interface ServingTls {
  /** PEM serving certificate and its key */
  cert: string;
  key: string;
  /** PEM CA that client certificates must chain to */
  clientCA: string;
}

/** The node:https options: ask for (but do not require) a client certificate, HTTP/1.1 only. */
const httpsOptions = (tls: ServingTls) => ({
  cert: tls.cert,
  key: tls.key,
  ca: tls.clientCA,
  // ask every client for a certificate, let those without one through: they may carry a
  // token, or be anonymous; auth-hooks decides from socket.authorized
  requestCert: true,
  rejectUnauthorized: false,
  ALPNProtocols: ['http/1.1'],
  minVersion: 'TLSv1.2' as const,
});

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function buildApiServer(opts: ApiServerOptions): FastifyInstance {
  const shuttingDown = opts.isShuttingDown ?? (() => false);
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    logController: new RequestLogController(),
    // kube-apiserver's default request body limit is 3 MiB
    bodyLimit: 3 * 1024 * 1024,
    // idle keep-alive connections are closed on shutdown; busy ones finish first
    forceCloseConnections: 'idle',
    // errors Fastify meets before routing (an undecodable %-escape in the path) are
    // client mistakes: answer them as a Status too
    frameworkErrors: (err, _request, reply) => {
      const { status } = errorStatus(err);
      // Fastify types this reply loosely (no route yet)
      const r = reply as unknown as { code(n: number): { type(t: string): { send(b: string): void } } };
      r.code(status.code).type('application/json').send(JSON.stringify(status));
    },
    // typed as the default (http) instance either way: requests and replies are
    // IncomingMessage/ServerResponse over http and https alike
    ...(opts.tls ? { https: httpsOptions(opts.tls) } : {}),
  });

  // request metrics and GET /metrics; first, so that requests the hooks below answer count too
  installMetrics(app, { catalogue: opts.api?.catalogue });

  // Once shutdown begins, refuse new writes so nothing is half-done when the store closes.
  app.addHook('onRequest', async (request, reply) => {
    if (shuttingDown() && !READ_METHODS.has(request.method)) {
      return reply.code(503).send(apiErrors.unavailable('the server is shutting down').toStatus());
    }
  });
  // authentication, then authorization: before every handler, 404s included
  installAuthHooks(app, opts.authentication);

  // /healthz, /livez, /readyz (ping, log, etcd; readyz also shutdown), as kube serves them
  installHealthRoutes(app, { store: opts.store, isShuttingDown: shuttingDown });
  app.get('/version', async () => kubeVersionInfo());

  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).send(apiErrors.notFoundPath().toStatus()),
  );
  app.setErrorHandler(async (err: Error, request, reply) => {
    const { status, serverFault } = errorStatus(err);
    if (serverFault) request.log.error({ err }, 'request failed');
    return reply.code(status.code).type('application/json').send(status);
  });

  if (opts.api) registerApi(app, { store: opts.store, ...opts.api });

  return app;
}
