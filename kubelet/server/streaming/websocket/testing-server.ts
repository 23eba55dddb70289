/**
 * Test support (no production use): an HTTP server on 127.0.0.1 with an 'upgrade'
 * handler, and a raw upgrade request that shows the exact status and headers — needed
 * because the `ws` client itself refuses subprotocols like "SPDY/3.1+portforward.k8s.io".
 * Everything started here is torn down by close().
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface UpgradeServer {
  port: number;
  close(): Promise<void>;
}

export function startUpgradeServer(onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): Promise<UpgradeServer> {
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', onUpgrade);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface RawUpgradeResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** the upgraded socket on 101 (the caller destroys it) */
  socket?: Socket;
  head?: Buffer;
}

/** Sends a WebSocket upgrade request with exactly the given headers. */
export function rawUpgrade(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<RawUpgradeResult> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method,
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      socket.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', socket, head });
    });
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** One masked client frame (FIN set) with a payload under 126 bytes. */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length >= 126) throw new Error('clientFrame: payload too long for this helper');
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}
