/**
 * The kubelet's streaming endpoints, served from the HTTPS server's 'upgrade' event:
 * exec, attach and portForward over SPDY/3.1 (`Upgrade: SPDY/3.1`), over WebSocket with
 * kube's channel protocols, and port-forward as SPDY tunnelled in a WebSocket (kubectl
 * 1.31+). The API server relays these connections byte for byte, so the kubelet is where
 * every protocol ends — as with kube's kubelet.
 *
 * Everything that can be refused is refused BEFORE the upgrade, as an HTTP error with a
 * Status body, because that is what kubectl can show: an unknown container, a stopped
 * one, a runtime without streaming ("exec is not supported by the simulated runtime"),
 * a protocol version in common with the client missing.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import type { Logger } from 'pino';
import type { Clock } from '../../../client/clock.js';
import { SpdySession } from '../../../client/spdy/session.js';
import type { StreamingRuntime } from '../../cri/streaming.js';
import { parseStreamRequest, StreamRequestError, type ContainerStreamRequest, type PortForwardRequest } from './stream-request.js';
import { negotiateSpdyProtocol, SPDY_PORT_FORWARD_PROTOCOLS, SPDY_REMOTE_COMMAND_PROTOCOLS } from './stream-protocols.js';
import { spdyRemoteCommand } from './spdy-remote-command.js';
import { runRemoteCommand } from './run-remote-command.js';
import { serveSpdyPortForward } from './port-forward-spdy.js';
import { startIdleTimer } from './idle-timer.js';
import type { StreamSessions } from './stream-sessions.js';
import type { StreamCounters } from './stream-counters.js';
import { acceptWebSocket, WebSocketUpgradeRefused } from './websocket/accept-websocket.js';
import { websocketRemoteCommand } from './websocket/websocket-remote-command.js';
import { websocketPortForward } from './websocket/websocket-port-forward.js';
import { PORT_FORWARD_SUBPROTOCOLS, REMOTE_COMMAND_SUBPROTOCOLS, SPDY_PORT_FORWARD_TUNNEL_PROTOCOL } from './websocket/subprotocols.js';

export interface StreamingSettings {
  /** kube's streamingConnectionIdleTimeout (default 4 h) */
  streamingConnectionIdleTimeoutMs: number;
  /** how long a client has to open the streams it announced (kube: 30 s) */
  streamCreationTimeoutMs: number;
}

export const DEFAULT_STREAMING_SETTINGS: StreamingSettings = {
  streamingConnectionIdleTimeoutMs: 4 * 60 * 60 * 1000,
  streamCreationTimeoutMs: 30_000,
};

export interface StreamTargets {
  /** the container's current instance */
  container(namespace: string, pod: string, container: string): Promise<{ containerId: string; running: boolean } | undefined>;
  /** the pod's ready sandbox */
  pod(namespace: string, pod: string): Promise<{ uid: string; sandboxId: string } | undefined>;
}

export interface StreamingDeps {
  streaming?: StreamingRuntime;
  runtimeName: string;
  targets: StreamTargets;
  sessions: StreamSessions;
  counters: StreamCounters;
  clock: Clock;
  settings: StreamingSettings;
  logger: Pick<Logger, 'debug' | 'warn'>;
}

/** port-forward over WebSocket: kubectl 1.31+'s SPDY tunnel first, then kube's channel protocols */
const WEBSOCKET_PORT_FORWARD = [SPDY_PORT_FORWARD_TUNNEL_PROTOCOL, ...PORT_FORWARD_SUBPROTOCOLS];

const VERB: Record<'exec' | 'attach' | 'portForward', string> = { exec: 'exec', attach: 'attach', portForward: 'port-forward' };

const REASONS: Record<number, string> = { 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 500: 'InternalError' };

/** an HTTP error on a socket that was never upgraded, with a Status body kubectl can show */
export function refuseUpgrade(socket: Duplex, code: number, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: REASONS[code] ?? 'InternalError', code });
  socket.on('error', () => {});
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

const isWebSocket = (req: IncomingMessage) => (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
const isSpdy = (req: IncomingMessage) => (req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1';

/** handles one 'upgrade' event whose path is a streaming endpoint; false: not ours (404) */
export async function handleStreamingUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, deps: StreamingDeps): Promise<void> {
  socket.on('error', () => {});
  let request;
  try {
    request = parseStreamRequest(req.url ?? '/');
  } catch (err) {
    if (err instanceof StreamRequestError) return refuseUpgrade(socket, err.code, err.message);
    throw err;
  }
  if (!request) return refuseUpgrade(socket, 404, `the server could not find the requested resource (${req.url})`);
  if (!isWebSocket(req) && !isSpdy(req)) return refuseUpgrade(socket, 400, `unsupported upgrade ${JSON.stringify(req.headers.upgrade ?? '')}: expected SPDY/3.1 or websocket`);
  const streaming = deps.streaming;
  if (!streaming) return refuseUpgrade(socket, 400, `${VERB[request.kind]} is not supported by the ${deps.runtimeName} runtime`);
  try {
    if (request.kind === 'portForward') await servePortForward(req, socket, head, request, streaming, deps);
    else await serveContainerStream(req, socket, head, request, streaming, deps);
  } catch (err) {
    // a refused WebSocket handshake was answered already (kubectl then falls back to SPDY)
    if (err instanceof WebSocketUpgradeRefused) return deps.logger.debug({ err, url: req.url }, 'WebSocket upgrade refused');
    deps.logger.warn({ err, url: req.url }, 'streaming request failed');
    socket.destroy();
  }
}

async function serveContainerStream(req: IncomingMessage, socket: Duplex, head: Buffer, request: ContainerStreamRequest, streaming: StreamingRuntime, deps: StreamingDeps): Promise<void> {
  const target = await deps.targets.container(request.namespace, request.pod, request.container);
  if (!target) return refuseUpgrade(socket, 404, `container not found (${JSON.stringify(request.container)})`);
  if (!target.running) return refuseUpgrade(socket, 400, `container ${JSON.stringify(request.container)} in pod ${JSON.stringify(request.pod)} is not running`);

  const idle = startIdleTimer(deps.clock, deps.settings.streamingConnectionIdleTimeoutMs);
  let streams;
  if (isWebSocket(req)) {
    const accepted = await acceptWebSocket(req, socket, head, REMOTE_COMMAND_SUBPROTOCOLS);
    deps.counters.record(request.kind, 'websocket', accepted.protocol);
    accepted.ws.on('ping', () => idle.touch());
    streams = websocketRemoteCommand(accepted.ws, accepted.protocol, request);
  } else {
    const negotiated = negotiateSpdyProtocol(req.headers['x-stream-protocol-version'], SPDY_REMOTE_COMMAND_PROTOCOLS);
    if (!('protocol' in negotiated)) return refuseUpgrade(socket, negotiated.code, negotiated.message);
    const session = spdyUpgrade(socket, head, negotiated.protocol);
    session.on('ping', () => idle.touch());
    deps.counters.record(request.kind, 'spdy', negotiated.protocol);
    const unregister = deps.sessions.add(request.namespace, request.pod, () => session.destroy());
    session.once('close', unregister);
    try {
      streams = await spdyRemoteCommand(session, { protocol: negotiated.protocol, expect: request, clock: deps.clock, streamCreationTimeoutMs: deps.settings.streamCreationTimeoutMs });
    } catch (err) {
      idle.stop();
      session.destroy();
      deps.logger.debug({ err, url: req.url }, 'the client never opened its streams');
      return;
    }
  }
  const opened = streams;
  await runRemoteCommand({
    streams: opened,
    idle,
    ...(request.kind === 'exec' ? { command: request.command } : {}),
    open: () =>
      request.kind === 'exec'
        ? streaming.exec({ containerId: target.containerId, cmd: request.command, tty: request.tty, stdin: request.stdin })
        : streaming.attach({ containerId: target.containerId, tty: request.tty, stdin: request.stdin }),
    register: (close) =>
      deps.sessions.add(request.namespace, request.pod, () => {
        close();
        opened.destroy();
      }),
  });
}

async function servePortForward(req: IncomingMessage, socket: Duplex, head: Buffer, request: PortForwardRequest, streaming: StreamingRuntime, deps: StreamingDeps): Promise<void> {
  const target = await deps.targets.pod(request.namespace, request.pod);
  if (!target) return refuseUpgrade(socket, 404, `pod ${JSON.stringify(request.pod)} in namespace ${JSON.stringify(request.namespace)} has no running sandbox on this node`);
  const dial = (port: number) => streaming.portForward({ podSandboxId: target.sandboxId, port });
  const idle = startIdleTimer(deps.clock, deps.settings.streamingConnectionIdleTimeoutMs);
  const spdyOptions = {
    dial,
    podFullName: `${request.pod}_${request.namespace}`,
    podUid: target.uid,
    clock: deps.clock,
    streamCreationTimeoutMs: deps.settings.streamCreationTimeoutMs,
    idle,
  };

  if (isSpdy(req)) {
    const negotiated = negotiateSpdyProtocol(req.headers['x-stream-protocol-version'], SPDY_PORT_FORWARD_PROTOCOLS);
    if (!('protocol' in negotiated)) return refuseUpgrade(socket, negotiated.code, negotiated.message);
    const session = spdyUpgrade(socket, head, negotiated.protocol);
    session.on('ping', () => idle.touch());
    deps.counters.record('portforward', 'spdy', negotiated.protocol);
    const unregister = deps.sessions.add(request.namespace, request.pod, () => session.destroy());
    session.once('close', () => {
      unregister();
      idle.stop();
    });
    serveSpdyPortForward(session, spdyOptions);
    return;
  }

  const { ws, protocol } = await acceptWebSocket(req, socket, head, WEBSOCKET_PORT_FORWARD);
  deps.counters.record('portforward', protocol === SPDY_PORT_FORWARD_TUNNEL_PROTOCOL ? 'spdy-over-websocket' : 'websocket', protocol);
  ws.on('ping', () => idle.touch());
  if (protocol === SPDY_PORT_FORWARD_TUNNEL_PROTOCOL) {
    // kubectl 1.31+: the binary messages, joined, are a SPDY byte stream
    const tunnel = createWebSocketStream(ws);
    tunnel.on('error', () => {});
    const session = new SpdySession(tunnel);
    session.on('ping', () => idle.touch());
    session.on('error', (err: Error) => deps.logger.debug({ err }, 'port-forward SPDY session failed'));
    const unregister = deps.sessions.add(request.namespace, request.pod, () => session.destroy());
    session.once('close', () => {
      unregister();
      idle.stop();
      ws.terminate();
    });
    serveSpdyPortForward(session, spdyOptions);
    return;
  }
  // kube's channel protocol for browsers: the ports come from the query
  if (request.ports.length === 0) {
    ws.close(1008, 'at least one port must be specified');
    idle.stop();
    return;
  }
  const forward = websocketPortForward(ws, protocol, request.ports);
  const unregister = deps.sessions.add(request.namespace, request.pod, () => forward.destroy());
  idle.onIdle(() => forward.destroy());
  void forward.closed.then(() => {
    unregister();
    idle.stop();
  });
  for (const { port, data, error } of forward.ports) {
    data.on('data', () => idle.touch());
    dial(port).then(
      (conn) => {
        conn.on('error', () => {});
        conn.on('data', () => idle.touch());
        data.pipe(conn);
        conn.pipe(data);
        data.on('close', () => conn.destroy());
      },
      (err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err);
        error.end(Buffer.from(`error forwarding port ${port} to pod ${request.pod}_${request.namespace}, uid ${target.uid}: ${reason}`));
        data.end();
      },
    );
  }
}

/** answers 101 for SPDY/3.1 and starts a session on the raw socket */
function spdyUpgrade(socket: Duplex, head: Buffer, protocol: string): SpdySession {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
  if (head.length > 0) socket.unshift(head);
  const session = new SpdySession(socket);
  session.on('error', () => {});
  return session;
}
