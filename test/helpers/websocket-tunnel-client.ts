/**
 * A minimal WebSocket client carrying a byte stream, as kubectl ≥ 1.31 tunnels SPDY
 * port-forward: every write is one masked binary message, and the payloads of received
 * data messages, joined, are the read side. It exists because `ws` refuses to offer the
 * subprotocol "SPDY/3.1+portforward.k8s.io" ('/' is not an RFC 7230 token character).
 *
 * It never sends a close frame: ending or destroying it destroys the socket, which is what
 * the leak test wants (an abrupt drop). Reading applies backpressure to the socket, so a
 * paused reader really stops reading mid-transfer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { httpUpgrade, type ApiTarget } from './http-upgrade.js';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** One client frame (FIN set, masked as RFC 6455 requires of clients). */
export function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, 0x80 | n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    head.writeUInt8(0x80 | opcode, 0);
    head.writeUInt8(0x80 | 126, 1);
    head.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    head.writeUInt8(0x80 | opcode, 0);
    head.writeUInt8(0x80 | 127, 1);
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  const body = Buffer.alloc(n);
  for (let i = 0; i < n; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, mask, body]);
}

/** Splits complete frames off the front of `bytes`; returns them and what is left. */
export function parseFrames(bytes: Buffer): { frames: Array<{ opcode: number; payload: Buffer }>; rest: Buffer } {
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  let at = 0;
  for (;;) {
    if (bytes.length - at < 2) break;
    const opcode = bytes[at]! & 0x0f;
    const masked = (bytes[at + 1]! & 0x80) !== 0;
    let length = bytes[at + 1]! & 0x7f;
    let off = at + 2;
    if (length === 126) {
      if (bytes.length < off + 2) break;
      length = bytes.readUInt16BE(off);
      off += 2;
    } else if (length === 127) {
      if (bytes.length < off + 8) break;
      length = Number(bytes.readBigUInt64BE(off));
      off += 8;
    }
    const mask = masked ? bytes.subarray(off, off + 4) : undefined;
    if (masked) off += 4;
    if (bytes.length < off + length) break;
    const payload = Buffer.from(bytes.subarray(off, off + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i & 3]!;
    frames.push({ opcode, payload });
    at = off + length;
  }
  return { frames, rest: bytes.subarray(at) };
}

class WebSocketTunnel extends Duplex {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly socket: TLSSocket) {
    super();
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.resume();
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.socket.destroyed) return done(new Error('tunnel socket is gone'));
    this.socket.write(maskedFrame(OPCODE.binary, chunk), (err) => done(err ?? null));
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    this.socket.destroy();
    done(err);
  }

  private onBytes(chunk: Buffer): void {
    const { frames, rest } = parseFrames(Buffer.concat([this.pending, chunk]));
    this.pending = rest;
    for (const { opcode, payload } of frames) {
      if (opcode === OPCODE.binary || opcode === OPCODE.continuation || opcode === OPCODE.text) {
        if (!this.push(payload)) this.socket.pause();
      } else if (opcode === OPCODE.ping) {
        this.socket.write(maskedFrame(OPCODE.pong, payload));
      } else if (opcode === OPCODE.close) {
        this.push(null);
        this.socket.destroy();
      }
    }
  }
}

/** Opens a WebSocket to the API server offering exactly `protocol`; the Duplex carries bytes. */
export async function openWebSocketTunnel(api: ApiTarget, path: string, protocol: string): Promise<Duplex> {
  const key = randomBytes(16).toString('base64');
  const { socket, headers } = await httpUpgrade(api, 'GET', path, {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Protocol': protocol,
  });
  const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
  if (headers['sec-websocket-accept'] !== accept || headers['sec-websocket-protocol'] !== protocol) {
    socket.destroy();
    throw new Error(`bad WebSocket handshake: accept ${headers['sec-websocket-accept']}, protocol ${headers['sec-websocket-protocol']}`);
  }
  const tunnel = new WebSocketTunnel(socket);
  tunnel.on('error', () => undefined);
  return tunnel;
}
