/**
 * Serves the Connecter subresources (pods/exec, pods/attach, pods/portforward,
 * nodes/proxy: a SubresourceDef with `connect`) by proxying them to a kubelet — kube's
 * ConnectResource handler plus UpgradeAwareHandler.
 *
 * How requests get here: Node's HTTPS server emits 'upgrade' (not 'request') for a
 * request with `Connection: Upgrade`; @fastify/websocket's listener then routes it through
 * Fastify like any request, so the root onRequest hooks authenticate and authorize it
 * exactly like others. Its route wrapper, though, would complete a WebSocket handshake of
 * its own (and refuse SPDY/3.1); the kubelet must answer the handshake, because it picks
 * the subprotocol (v5.channel.k8s.io, SPDY/3.1+portforward.k8s.io…). So this file:
 *   - notes each upgrade's socket and `head` (bytes read past the request head) in a
 *     listener that runs before the plugin's (the plugin keeps them behind private symbols);
 *   - adds an onRequest hook to the API context — it runs after authentication and
 *     authorization — that takes Connecter requests before any route handler: locate the
 *     kubelet (errors become the usual Status replies), connect, and only once the kubelet
 *     answered hijack the reply and write the kubelet's answer to the client as-is
 *     (101 + splice both ways, or its status and body);
 *   - answers a non-WebSocket upgrade (SPDY/3.1) of anything else with a 400 Status;
 *     WebSocket upgrades of anything else (watch over WebSocket) go on as before.
 * Open sessions are closed when the server closes, so shutdown never waits on a shell.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { ClusterSettings, ConnectTarget, SubresourceConnectCall, SubresourceRegistry } from '../catalogue/resource-def.js';
import type { ServerServices } from '../catalogue/server-services.js';
import { apiErrors } from '../errors/api-error.js';
import { connectToKubelet, type KubeletAnswer } from '../kubelet-client/kubelet-connect.js';
import { kubeletRequestHeaders, plainResponseHeaders, responseHead, upgradeOf } from '../kubelet-client/proxy-headers.js';
import { spliceStreams } from '../kubelet-client/socket-splice.js';
import type { Query } from './list-query.js';
import { resolveResourcePath, type ResourcePath } from './resource-path.js';

export interface ConnectRouteOptions {
  catalogue: Catalogue;
  registry: SubresourceRegistry;
  services: ServerServices;
  cluster: ClusterSettings;
  now?: () => Date;
  /** connecting to a kubelet and receiving its response head must take no longer (default 30 s) */
  kubeletDialTimeoutMs?: number;
}

interface PendingUpgrade {
  socket: Duplex;
  head: Buffer;
}

interface Closable {
  close(): void;
}

const DEFAULT_DIAL_TIMEOUT_MS = 30_000;

export function registerConnectRoutes(app: FastifyInstance, opts: ConnectRouteOptions): void {
  const now = opts.now ?? (() => new Date());
  const upgrades = new WeakMap<IncomingMessage, PendingUpgrade>();
  const sessions = new Set<Closable>();
  // prepended: runs before @fastify/websocket's listener hands the request to Fastify
  const noteUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrades.set(req, { socket, head });
  app.server.prependListener('upgrade', noteUpgrade);
  app.addHook('onClose', async () => {
    app.server.removeListener('upgrade', noteUpgrade);
    for (const session of [...sessions]) session.close();
  });

  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    const url = raw.url ?? request.url;
    if (!url.startsWith('/api/') && !url.startsWith('/apis/')) return;
    const pending = upgrades.get(raw);
    const protocol = pending ? upgradeOf(raw.headers) : undefined;
    const websocket = protocol?.toLowerCase() === 'websocket';
    let path: ResourcePath;
    try {
      path = resolveResourcePath(opts.catalogue, url);
    } catch (err) {
      // not a resource: the route handler answers (404) — except to a non-WebSocket
      // upgrade, which the WebSocket plugin's route wrapper would refuse without a Status
      if (pending && !websocket) throw err;
      return;
    }
    const connect = path.name !== undefined && path.subresource ? path.def.subresources.find((s) => s.name === path.subresource)?.connect : undefined;
    if (!connect) {
      // a WebSocket upgrade goes on to the routes (watch); nothing else upgrades
      if (pending && !websocket) {
        throw apiErrors.badRequest(`unable to upgrade: ${raw.method} ${path.subresource ? `${path.def.plural}/${path.subresource}` : path.def.plural} cannot be upgraded to ${JSON.stringify(protocol ?? '')}`);
      }
      return;
    }
    const method = raw.method ?? 'GET';
    if (!connect.methods.includes(method)) throw apiErrors.methodNotAllowed('the server does not allow this method on the requested resource');
    if (path.def.namespaced && !path.namespace) throw apiErrors.notFoundPath();

    const queryAt = url.indexOf('?');
    const call: SubresourceConnectCall = {
      def: path.def,
      namespace: path.namespace,
      name: path.name!,
      query: request.query as Query,
      ctx: { namespace: path.namespace, user: request.user, now: now(), dryRun: false, cluster: opts.cluster },
      registry: opts.registry,
      services: opts.services,
      method,
      rest: restAfterSubresource(url, path),
      rawQuery: queryAt === -1 ? '' : url.slice(queryAt + 1),
    };
    const target = await connect.locate(call);
    if (connect.upgradeRequired && !pending) throw apiErrors.badRequest('Upgrade request required');
    const credentials = opts.services.kubeletClient;
    if (!credentials) throw apiErrors.unavailable(`the API server has no kubelet client certificate: cannot reach the kubelet on node "${target.nodeName}"`);

    // the client leaving while the kubelet has not answered yet cancels the attempt
    const gone = new AbortController();
    const clientSocket = pending?.socket ?? raw.socket;
    const onGone = () => gone.abort();
    clientSocket.once('close', onGone);
    let answer: KubeletAnswer;
    try {
      answer = await connectToKubelet({
        endpoint: target,
        path: target.path,
        method,
        headers: kubeletRequestHeaders(raw.rawHeaders, {
          host: hostHeader(target),
          method,
          ...(protocol !== undefined ? { upgrade: protocol } : {}),
          ...(raw.socket.remoteAddress ? { forwardedFor: raw.socket.remoteAddress } : {}),
        }),
        credentials,
        ...(target.insecureSkipTLSVerify ? { insecureSkipTLSVerify: true } : {}),
        ...(pending ? {} : { body: raw }),
        signal: gone.signal,
        timeoutMs: opts.kubeletDialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS,
      });
    } finally {
      clientSocket.removeListener('close', onGone);
    }
    reply.hijack();
    if (pending) relayUpgrade(request, pending, answer, sessions);
    else relayPlain(request, reply, answer, sessions);
  });
}

/** Host for the kubelet request (IPv6 in brackets) */
const hostHeader = (t: ConnectTarget) => (t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`);

/** What follows the subresource segment in the raw URL, still %-encoded (nodes/proxy's path) */
export function restAfterSubresource(url: string, path: Pick<ResourcePath, 'namespace' | 'def' | 'subresource'>): string {
  const rawPath = url.split('?')[0]!;
  const parts = rawPath.split('/');
  // '', api|apis, [group], version, [namespaces, NS], plural, name, subresource
  const prefix = parts[1] === 'apis' ? 4 : 3;
  const skip = prefix + (path.namespace && path.def.namespaced ? 2 : 0) + 3;
  return parts.slice(skip).join('/');
}

/** The client asked to upgrade: 101 → splice the sockets; anything else → relay it and close. */
function relayUpgrade(request: FastifyRequest, pending: PendingUpgrade, answer: KubeletAnswer, sessions: Set<Closable>): void {
  const client = pending.socket;
  client.on('error', (err) => request.log.debug({ err }, 'client socket of a proxied upgrade failed'));
  const { response } = answer;
  if (answer.kind === 'upgraded') {
    const kubelet = answer.socket;
    kubelet.on('error', (err) => request.log.debug({ err }, 'kubelet socket of a proxied upgrade failed'));
    if (client.destroyed) return void kubelet.destroy();
    client.write(responseHead(response.statusCode ?? 101, response.statusMessage ?? '', response.rawHeaders, false));
    if (answer.head.length > 0) client.write(answer.head);
    if (pending.head.length > 0) kubelet.write(pending.head);
    const session = spliceStreams(client, kubelet, () => sessions.delete(session));
    sessions.add(session);
    return;
  }
  // the kubelet refused before upgrading (bad options, no such container, not supported by
  // the runtime): kube writes its answer through unchanged, and kubectl shows the text
  const session = { close: () => (response.destroy(), client.destroy()) };
  sessions.add(session);
  client.once('close', () => {
    sessions.delete(session);
    response.destroy();
  });
  response.on('error', () => client.destroy());
  client.write(responseHead(response.statusCode ?? 502, response.statusMessage ?? '', response.rawHeaders, true));
  response.pipe(client);
}

/** A plain request (nodes/proxy GET /stats/summary): the kubelet's status, headers and body, streamed. */
function relayPlain(request: FastifyRequest, reply: FastifyReply, answer: KubeletAnswer, sessions: Set<Closable>): void {
  const out = reply.raw;
  if (answer.kind === 'upgraded') {
    // the client did not ask to switch protocols: a kubelet that does is broken
    answer.socket.destroy();
    const status = apiErrors.internal(`the kubelet switched protocols on a request that did not ask to`).toStatus();
    out.writeHead(status.code, { 'content-type': 'application/json' }).end(JSON.stringify(status));
    return;
  }
  const { response } = answer;
  const session = { close: () => (response.destroy(), out.destroy()) };
  sessions.add(session);
  out.once('close', () => {
    sessions.delete(session);
    response.destroy();
  });
  response.on('error', (err) => {
    request.log.debug({ err }, 'kubelet response of a proxied request failed');
    out.destroy();
  });
  out.writeHead(response.statusCode ?? 502, response.statusMessage ?? '', plainResponseHeaders(response.rawHeaders));
  response.pipe(out);
}
