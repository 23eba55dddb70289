/**
 * An HTTP/1.1 upgrade to the API server over TLS, by hand: the request line and headers
 * exactly as given, the response head parsed, and the socket handed back with nothing
 * read past the head. Streaming clients need this where `ws`/`https` would get in the
 * way: SPDY upgrades, and WebSocket subprotocols `ws` refuses to send.
 */
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** where and as whom to connect: the cluster's URL and CA, and a client certificate */
export interface ApiTarget {
  url: string;
  ca: string;
  cert: string;
  key: string;
}

/**
 * Sends `METHOD path` with these upgrade headers over TLS and reads the response head. On
 * a 101 the socket is handed back paused, with any bytes after the head pushed back, so
 * the next reader misses nothing; otherwise it is destroyed and the status line reported.
 */
export function httpUpgrade(api: ApiTarget, method: string, path: string, headers: Record<string, string>): Promise<{ socket: TLSSocket; headers: Record<string, string> }> {
  const { hostname, port } = new URL(api.url);
  const socket = tlsConnect({ host: hostname, port: Number(port), ca: api.ca, cert: api.cert, key: api.key });
  socket.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const fail = (err: Error) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onError = (err: Error) => fail(err);
    const onClose = () => fail(new Error('connection closed before the upgrade response'));
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [status = '', ...lines] = head.subarray(0, end).toString('latin1').split('\r\n');
      if (!/^HTTP\/1\.1 101 /.test(status)) return fail(new Error(`upgrade refused: ${status}: ${head.subarray(end + 4).toString('utf8')}`));
      cleanup();
      socket.pause();
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      const received: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) received[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ socket, headers: received });
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.once('secureConnect', () => {
      const lines = [`${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });
  });
}

