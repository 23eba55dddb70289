/**
 * The kubelet's HTTPS server (kube: port 10250), the API server's way into a node. For
 * now it serves what `kubectl logs` needs:
 *   GET /healthz                                         → "ok"
 *   GET /containerLogs/<namespace>/<pod>/<container>?…   → the log, text/plain, chunked
 *                                                          (streams while following)
 *   GET /stats/summary                                   → the node's stats Summary (JSON)
 *   GET /metrics                                         → k8ts's streaming counters (Prometheus text)
 *   upgrades to /exec, /attach, /portForward             → ./streaming/upgrade-handler.ts
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
import { PassThrough, type Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { realClock, type Clock } from '../../client/clock.js';
import { readContainerLog } from '../logs/read-container-log.js';
import { LogQueryError, parseContainerLogQuery, type RawQuery } from './log-query.js';
import { StreamSessions } from './streaming/stream-sessions.js';
import { StreamCounters } from './streaming/stream-counters.js';
import { DEFAULT_STREAMING_SETTINGS, handleStreamingUpgrade, refuseUpgrade, type StreamingSettings, type StreamTargets } from './streaming/upgrade-handler.js';
import type { StreamingRuntime } from '../cri/streaming.js';

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
  /** GET /stats/summary: the node's Summary (kube's stats/v1alpha1); absent: 404 */
  stats?: { summary(): Promise<unknown> };
  /** exec, attach and portForward (upgrade requests); absent: every one is refused */
  streaming?: {
    /** undefined when the runtime does not stream: requests get "… is not supported by the <name> runtime" */
    runtime: StreamingRuntime | undefined;
    runtimeName: string;
    targets: StreamTargets;
    settings?: Partial<StreamingSettings>;
  };
}

export interface KubeletServer {
  port: number;
  /** ends every exec, attach and port-forward into the pod (it is being deleted) */
  closePodStreams(namespace: string, pod: string): void;
  /** live streaming connections */
  readonly streamCount: number;
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

  /** undefined when the client may go on; else the status and text to refuse it with */
  const refusal = (socket: unknown): { code: number; text: string } | undefined => {
    const cert = socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined;
    if (!cert || Object.keys(cert).length === 0 || !(socket as TLSSocket).authorized) return { code: 401, text: 'Unauthorized' };
    const subject = cert.subject as unknown as Subject;
    const commonName = values(subject['CN'])[0] ?? '';
    if (!options.authorizedClients(commonName, values(subject['O']))) {
      return { code: 403, text: `Forbidden (user=${commonName}, verb=get, resource=nodes, subresource=proxy)` };
    }
    return undefined;
  };
  app.addHook('onRequest', async (request, reply) => {
    const refused = refusal(request.raw.socket);
    if (refused) return reply.code(refused.code).type('text/plain').send(refused.text);
  });

  // exec/attach/portForward are upgrades: they arrive as the server's 'upgrade' event
  const sessions = new StreamSessions();
  const counters = new StreamCounters();
  const streamingSettings = { ...DEFAULT_STREAMING_SETTINGS, ...options.streaming?.settings };
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const refused = refusal(socket);
    if (refused) return refuseUpgrade(socket, refused.code, refused.text);
    const streaming = options.streaming;
    if (!streaming) return refuseUpgrade(socket, 404, `the server could not find the requested resource (${req.url})`);
    void handleStreamingUpgrade(req, socket, head, {
      streaming: streaming.runtime,
      runtimeName: streaming.runtimeName,
      targets: streaming.targets,
      sessions,
      counters,
      clock,
      settings: streamingSettings,
      logger: options.logger,
    }).catch((err: unknown) => {
      options.logger.warn({ err, url: req.url }, 'streaming request failed');
      socket.destroy();
    });
  });
  // the same paths without an upgrade: kube's answer
  for (const path of ['/exec/*', '/attach/*', '/portForward/*']) {
    app.all(path, async (_request, reply) => reply.code(400).type('text/plain').send('Upgrade request required'));
  }

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

  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4').send(counters.prometheusText(sessions.size)));

  app.get('/stats/summary', async (_request, reply) => {
    if (!options.stats) return reply.code(404).type('text/plain').send('404 page not found');
    return reply.type('application/json').send(JSON.stringify(await options.stats.summary()));
  });

  await app.listen({ host: options.address, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger.info(`kubelet server listening on https://${options.address}:${port}`);
  return {
    port,
    closePodStreams: (namespace, pod) => sessions.closePod(namespace, pod),
    get streamCount() {
      return sessions.size;
    },
    close: async () => {
      sessions.closeAll();
      await app.close();
    },
  };
}
