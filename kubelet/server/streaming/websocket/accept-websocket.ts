/**
 * Completes (or refuses) a WebSocket upgrade for the kubelet's streaming endpoints, with
 * kube's subprotocol negotiation.
 *
 * Why not just `ws`'s handleUpgrade: its subprotocol parser rejects kubectl's
 * "SPDY/3.1+portforward.k8s.io" ('/' is not a token character) with a 400, and kubectl
 * then silently falls back to plain SPDY. So we choose the protocol ourselves (kube's
 * rule, subprotocols.ts), hide the header from `ws`, and add our echo in its 'headers'
 * hook (spdy-notes.md §4). We also check the request ourselves so that every refusal is
 * a plain HTTP answer followed by closing the socket, and so the returned promise always
 * settles (ws never calls back on a refused or dead socket).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { chooseSubprotocol, NO_SUBPROTOCOL, parseOfferedSubprotocols, unsupportedSubprotocolMessage } from './subprotocols.js';
import { checkWebSocketUpgrade } from './upgrade-request.js';

export interface AcceptWebSocketOptions {
  /** largest message accepted from the client; x/net/websocket's default is 32 MiB */
  maxPayloadBytes?: number;
  /**
   * how long a close handshake we start may take before the socket is destroyed. kube
   * waits up to 15 minutes after the final Status for the client to read what is still
   * buffered and close (a slow reader must not lose output).
   */
  closeTimeoutMs?: number;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
export const DEFAULT_CLOSE_TIMEOUT_MS = 15 * 60 * 1000;

/** The upgrade was answered with a plain HTTP error (code) and the socket closed. */
export class WebSocketUpgradeRefused extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'WebSocketUpgradeRefused';
  }
}

/** Writes a plain HTTP error on a not-yet-upgraded socket, then closes it once flushed. */
export function refuseUpgrade(socket: Duplex, code: number, message: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  const lines = [
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  supported: readonly string[],
  options: AcceptWebSocketOptions = {},
): Promise<{ ws: WebSocket; protocol: string }> {
  // Errors on the raw socket (a client that resets mid-handshake) must never go unhandled.
  socket.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const refuse = (code: number, message: string, headers?: Record<string, string>) => {
      refuseUpgrade(socket, code, message, headers);
      reject(new WebSocketUpgradeRefused(code, message));
    };
    const check = checkWebSocketUpgrade(req.method, req.headers);
    if (!check.ok) return refuse(check.code, check.message, check.headers);

    const offeredHeader = req.headers['sec-websocket-protocol'];
    const offered = parseOfferedSubprotocols(offeredHeader);
    const protocol = chooseSubprotocol(offered, supported);
    // kube (x/net/websocket) answers a failed protocol handshake with 403 Forbidden.
    if (protocol === undefined) return refuse(403, unsupportedSubprotocolMessage(offered, supported));

    const serverOptions: ServerOptions & { closeTimeout?: number } = {
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      closeTimeout: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
    };
    const server = new WebSocketServer(serverOptions);
    server.on('error', () => undefined);
    server.on('headers', (headers: string[]) => {
      if (protocol !== NO_SUBPROTOCOL) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
    });
    // With a listener here, ws hands its own handshake failures (a malformed key, ...) to us.
    server.on('wsClientError', (err: Error) => refuse(400, err.message));
    const onEarlyClose = () => reject(new WebSocketUpgradeRefused(400, 'the connection closed before the WebSocket handshake completed'));
    socket.once('close', onEarlyClose);

    delete req.headers['sec-websocket-protocol'];
    try {
      server.handleUpgrade(req, socket, head, (ws) => {
        socket.removeListener('close', onEarlyClose);
        ws.on('error', () => undefined);
        resolve({ ws, protocol });
      });
    } catch (err) {
      refuse(400, err instanceof Error ? err.message : String(err));
    } finally {
      // give the request its header back for whoever logs or inspects it later
      if (offeredHeader !== undefined) req.headers['sec-websocket-protocol'] = offeredHeader;
    }
  });
}
