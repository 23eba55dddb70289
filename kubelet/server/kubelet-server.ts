/**
 * The kubelet's HTTPS server (kube: port 10250), the API server's way into a node. For
 * now it serves what `kubectl logs` needs:
 *   GET /healthz                                         → "ok"
 *   GET /containerLogs/<namespace>/<pod>/<container>?…   → the log, text/plain, chunked
 *                                                          (streams while following)
 * Every request must carry a client certificate from the cluster CA (else 401), whose
 * subject `authorizedClients` accepts (else 403) — the API server calls with CN
 * kube-apiserver-kubelet-client, O system:masters. kube's kubelet asks the API server
 * (SubjectAccessReview) instead; a fixed rule keeps the kubelet free of that round trip.
 *
 * Errors are plain text, as kube's kubelet writes them, and with its codes: a container
 * it cannot read logs for is a 400 with kube's message ('container "c" in pod "p" is not
 * available', 'previous terminated container "c" in pod "p" not found'); the API server
 * relays the text in its own Status.
 */
import { TLSSocket } from 'node:tls';
import { PassThrough } from 'node:stream';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { realClock, type Clock } from '../../client/clock.js';
import { readContainerLog } from '../logs/read-container-log.js';
import { LogQueryError, parseContainerLogQuery, type RawQuery } from './log-query.js';

export interface LocatedContainer {
  /** absolute path of the container instance's live CRI log */
  logPath: string;
  /** false once the container exited (a follow then ends) */
  isRunning(): Promise<boolean>;
}

export interface KubeletServerOptions {
  address: string;
  port: number;
  tls: { cert: string; key: string; clientCA: string };
  /** may this client (certificate CN and O entries) use the kubelet's API? */
  authorizedClients(commonName: string, groups: readonly string[]): boolean;
  /** the container instance (`previous`: the one before the current), or undefined */
  locateContainer(namespace: string, pod: string, container: string, previous: boolean): Promise<LocatedContainer | undefined>;
  logger: Pick<Logger, 'warn' | 'debug' | 'info'>;
  clock?: Clock;
  /** follow: how often to look for appended log records (default 100 ms) */
  logPollIntervalMs?: number;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

/** The default rule: the API server's kubelet-client identity, or anyone in system:masters. */
export const apiServerOnly = (commonName: string, groups: readonly string[]): boolean =>
  commonName === 'kube-apiserver-kubelet-client' || groups.includes('system:masters');

type Subject = Record<string, string | string[] | undefined>;
const values = (field: string | string[] | undefined): string[] => (field === undefined ? [] : Array.isArray(field) ? field : [field]);

export async function startKubeletServer(options: KubeletServerOptions): Promise<KubeletServer> {
  const clock = options.clock ?? realClock;
  const app = Fastify({
    logger: false,
    // followers hold connections open; close() ends them instead of waiting for a container
    forceCloseConnections: true,
    // the CA check is ours (401 with a reason), so the handshake accepts any certificate
    https: { cert: options.tls.cert, key: options.tls.key, ca: options.tls.clientCA, requestCert: true, rejectUnauthorized: false },
  });

  app.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    const cert = socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined;
    if (!cert || Object.keys(cert).length === 0 || !(socket as TLSSocket).authorized) {
      return reply.code(401).type('text/plain').send('Unauthorized');
    }
    const subject = cert.subject as unknown as Subject;
    const commonName = values(subject['CN'])[0] ?? '';
    if (!options.authorizedClients(commonName, values(subject['O']))) {
      return reply.code(403).type('text/plain').send(`Forbidden (user=${commonName}, verb=get, resource=nodes, subresource=proxy)`);
    }
  });

  app.get('/healthz', async (_request, reply) => reply.type('text/plain').send('ok'));

  app.get('/containerLogs/:namespace/:pod/:container', async (request: FastifyRequest, reply: FastifyReply) => {
    const { namespace, pod, container } = request.params as { namespace: string; pod: string; container: string };
    let query;
    try {
      query = parseContainerLogQuery(request.query as RawQuery, clock.now());
    } catch (err) {
      if (err instanceof LogQueryError) return reply.code(400).type('text/plain').send(err.message);
      throw err;
    }
    const located = await options.locateContainer(namespace, pod, container, query.previous);
    if (!located) {
      const message = query.previous
        ? `previous terminated container "${container}" in pod "${pod}" not found`
        : `container "${container}" in pod "${pod}" is not available`;
      return reply.code(400).type('text/plain').send(message);
    }

    const body = new PassThrough();
    const stop = new AbortController();
    // the client went away (or the response ended): stop following
    reply.raw.on('close', () => stop.abort());
    const { previous: _previous, ...logOptions } = query;
    readContainerLog(located.logPath, logOptions, body, {
      isRunning: located.isRunning,
      signal: stop.signal,
      clock,
      ...(options.logPollIntervalMs !== undefined ? { pollIntervalMs: options.logPollIntervalMs } : {}),
    }).then(
      () => body.end(),
      (err: unknown) => {
        options.logger.warn({ err, namespace, pod, container }, 'reading a container log failed');
        body.destroy(err as Error);
      },
    );
    return reply.type('text/plain').send(body);
  });

  await app.listen({ host: options.address, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger.info(`kubelet server listening on https://${options.address}:${port}`);
  return {
    port,
    close: () => app.close(),
  };
}
