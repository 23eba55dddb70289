/**
 * In-process streaming clients for end-to-end tests: exec and port-forward through the API
 * server (https, the cluster CA, a client certificate) over WebSocket, over SPDY/3.1, and
 * over SPDY tunnelled in a WebSocket — the same wire conversations kubectl has, without
 * paying ~300 ms of kubectl start-up per session. That is what lets a leak test open
 * hundreds of real sessions in seconds.
 *
 * Every socket gets an error listener (tests drop them abruptly on purpose), and each
 * client hands back what the test needs to drop it: the WebSocket (terminate) or the
 * SpdyTestClient (close → socket.destroy, no GOAWAY).
 */
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import type { HeaderPairs } from '../../client/spdy/header-compression.js';
import { SpdyTestClient } from '../../client/spdy/testing/spdy-test-client.js';
import { httpUpgrade, type ApiTarget } from './http-upgrade.js';
import { openWebSocketTunnel } from './websocket-tunnel-client.js';

export type { ApiTarget };

/** the query kubectl exec sends for `-i -- ARGV` (stdin, stdout, stderr, no tty) */
export function execPath(namespace: string, pod: string, argv: string[], io: { stdin?: boolean } = {}): string {
  const query = argv.map((a) => `command=${encodeURIComponent(a)}`);
  if (io.stdin !== false) query.push('stdin=true');
  query.push('stdout=true', 'stderr=true');
  return `/api/v1/namespaces/${namespace}/pods/${pod}/exec?${query.join('&')}`;
}

export const portForwardPath = (namespace: string, pod: string): string => `/api/v1/namespaces/${namespace}/pods/${pod}/portforward`;

/** Opens a WebSocket to the API server with one subprotocol; resolves once it is open. */
export function connectWebSocket(api: ApiTarget, path: string, protocol: string): Promise<WebSocket> {
  const ws = new WebSocket(api.url.replace(/^https:/, 'wss:') + path, [protocol], { ca: api.ca, cert: api.cert, key: api.key });
  // dropped sockets may still report ECONNRESET and the like: never an unhandled 'error'
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`));
    });
    ws.once('error', (err) => reject(err));
    ws.once('close', () => reject(new Error('WebSocket closed before it opened')));
  });
}

/**
 * Resolves when the text received on `channel` of a channel.k8s.io WebSocket (binary
 * messages, first byte = channel) matches; rejects if the socket closes first.
 */
export function waitForChannel(ws: WebSocket, channel: number, pattern: RegExp): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (bytes[0] !== channel) return;
      text += bytes.subarray(1).toString('utf8');
      if (pattern.test(text)) done(() => resolve(text));
    };
    const onClose = () => done(() => reject(new Error(`closed before channel ${channel} matched ${pattern} (got ${JSON.stringify(text)})`)));
    const done = (settle: () => void) => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
      settle();
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

/** exec over WebSocket (v5.channel.k8s.io, as kubectl ≥ 1.30); resolves once stdout matches `ready`. */
export async function wsExec(api: ApiTarget, path: string, ready: RegExp): Promise<WebSocket> {
  const ws = await connectWebSocket(api, path, 'v5.channel.k8s.io');
  try {
    await waitForChannel(ws, 1, ready);
  } catch (err) {
    ws.terminate();
    throw err;
  }
  return ws;
}

/** POST with a SPDY/3.1 upgrade, as kubectl's SPDY round tripper sends it */
export async function spdyUpgrade(api: ApiTarget, path: string, streamProtocol: string): Promise<TLSSocket> {
  const { socket } = await httpUpgrade(api, 'POST', path, { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': streamProtocol, 'Content-Length': '0' });
  return socket;
}

/**
 * Opens streams 1, 3, 5, … with these headers in order, each after the previous one's
 * SYN_REPLY (spdystream's CreateStream waits for the reply, so kubectl does too).
 */
export async function openSpdyStreams(client: SpdyTestClient, streams: HeaderPairs[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, headers] of streams.entries()) {
    const id = 1 + 2 * i;
    await client.synStream(id, headers);
    await client.until(() => client.replies.get(id));
    ids.push(id);
  }
  return ids;
}

/**
 * A SpdyTestClient on an upgraded socket: the socket was paused explicitly, and an
 * explicitly paused stream stays paused when a 'data' listener is added — resume it.
 */
function spdyClientOn(socket: TLSSocket): SpdyTestClient {
  const client = new SpdyTestClient(socket);
  socket.resume();
  return client;
}

/** exec over SPDY (v4.channel.k8s.io, as kubectl 1.27); resolves once stdout matches `ready`. */
export async function spdyExec(api: ApiTarget, path: string, ready: RegExp): Promise<SpdyTestClient> {
  const client = spdyClientOn(await spdyUpgrade(api, path, 'v4.channel.k8s.io'));
  try {
    const [, , stdout] = await openSpdyStreams(client, [[['streamtype', 'error']], [['streamtype', 'stdin']], [['streamtype', 'stdout']], [['streamtype', 'stderr']]]);
    await client.until(() => ready.test(client.dataOf(stdout!).toString('utf8')));
  } catch (err) {
    client.close();
    throw err;
  }
  return client;
}

/**
 * Port-forward conversation on an upgraded SPDY connection: opens the error and data
 * streams for `port` (request 0), sends `request` on the data stream and resolves once
 * `minBytes` of the answer arrived — the caller drops the connection mid-transfer.
 */
export async function forwardOnce(client: SpdyTestClient, port: number, request: Buffer, minBytes = 1): Promise<number> {
  const common: HeaderPairs = [['port', String(port)], ['requestid', '0']];
  const [, data] = await openSpdyStreams(client, [[['streamtype', 'error'], ...common], [['streamtype', 'data'], ...common]]);
  await client.send({ kind: 'data', streamId: data!, fin: false, data: request });
  return client.until(() => {
    const n = client.dataOf(data!).length;
    return n >= minBytes ? n : undefined;
  });
}

/** port-forward over SPDY (portforward.k8s.io, as kubectl 1.27) */
export async function spdyPortForward(api: ApiTarget, path: string, port: number, request: Buffer): Promise<SpdyTestClient> {
  return forwardOrClose(spdyClientOn(await spdyUpgrade(api, path, 'portforward.k8s.io')), port, request);
}

/** one forwarded request on a fresh client; the client is closed if that fails */
async function forwardOrClose(client: SpdyTestClient, port: number, request: Buffer): Promise<SpdyTestClient> {
  try {
    await forwardOnce(client, port, request);
  } catch (err) {
    client.close();
    throw err;
  }
  return client;
}

/**
 * port-forward as SPDY tunnelled in a WebSocket (SPDY/3.1+portforward.k8s.io, as kubectl
 * ≥ 1.31). `ws` refuses that subprotocol name ('/' is not a token character), so the
 * WebSocket is a small client of our own (websocket-tunnel-client.ts); dropping it is
 * client.close() → socket.destroy(), no close frame.
 */
export async function tunnelledPortForward(api: ApiTarget, path: string, port: number, request: Buffer): Promise<SpdyTestClient> {
  return forwardOrClose(new SpdyTestClient(await openWebSocketTunnel(api, path, 'SPDY/3.1+portforward.k8s.io')), port, request);
}
