/**
 * Plain WebSocket port-forward (not what kubectl uses; for browser-style clients), as the
 * kubelet's portforward/websocket.go does it.
 *
 * Subprotocols v4.channel.k8s.io (binary), v4.base64.channel.k8s.io (text) or none. For the
 * i-th requested port, channel 2i carries data both ways and channel 2i+1 carries error
 * text to the client. Before anything else the server writes the port number as a
 * little-endian uint16 on both channels of every port, so the client can match channels
 * to ports. There is no per-channel close: a port's data ends for us when the connection
 * closes, and the connection is closed (1000) once every port is done.
 */
import { Duplex, type Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { decodeChannelMessage } from './channel-codec.js';
import { ChannelReader, ChannelSender, DEFAULT_OUTBOUND_HIGH_WATER_BYTES, InboundFlow } from './channel-flow.js';
import { channelProtocolTraits } from './subprotocols.js';
import { channelWritable, endAndFlush, type WebSocketChannelOptions } from './websocket-remote-command.js';

export interface WebSocketPortForwardPort {
  port: number;
  /** bytes from the client (readable) and to the client (writable); end() = this port is done */
  data: Duplex;
  /** text for the client about this port's failure; ended with `data` */
  error: Writable;
}

export interface WebSocketPortForward {
  ports: WebSocketPortForwardPort[];
  closed: Promise<void>;
  destroy(): void;
}

/** The two-byte port header kube writes first on both channels of a port. */
export function portHeader(port: number): Buffer {
  const header = Buffer.alloc(2);
  header.writeUInt16LE(port);
  return header;
}

export function websocketPortForward(
  ws: WebSocket,
  protocol: string,
  ports: readonly number[],
  options: Pick<WebSocketChannelOptions, 'outboundHighWaterBytes'> = {},
): WebSocketPortForward {
  const traits = channelProtocolTraits(protocol);
  const sender = new ChannelSender(ws, traits.binary, options.outboundHighWaterBytes ?? DEFAULT_OUTBOUND_HIGH_WATER_BYTES);
  const flow = new InboundFlow(ws);
  ws.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', () => resolve());
  });

  const readers: ChannelReader[] = [];
  const result = ports.map((port, i): WebSocketPortForwardPort => {
    const dataChannel = 2 * i;
    const reader = new ChannelReader(
      flow,
      dataChannel,
      (read) =>
        new Duplex({
          read,
          write(chunk: Buffer, _encoding, callback) {
            sender.send(dataChannel, chunk, () => callback());
          },
        }),
    );
    readers.push(reader);
    const data = reader.readable;
    data.on('error', () => undefined);
    const error = channelWritable(sender, dataChannel + 1);
    return { port, data, error };
  });

  // the port headers, before any data
  for (const [i, p] of result.entries()) {
    sender.send(2 * i, portHeader(p.port));
    sender.send(2 * i + 1, portHeader(p.port));
  }

  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    const message = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    const decoded = decodeChannelMessage(traits.binary, traits.closeSignal, message);
    // v5: [255, data channel] is the client's half-close of that port's stream (EOF to the pod)
    if (decoded.kind === 'close' && decoded.channel % 2 === 0) return readers[decoded.channel / 2]?.end();
    if (decoded.kind !== 'data' || decoded.channel % 2 !== 0) return; // error channels are write-only
    readers[decoded.channel / 2]?.push(decoded.payload);
  });
  void closed.then(() => {
    for (const reader of readers) reader.end();
  });

  // every port done (data ended, which ends its error channel too) → close normally
  void Promise.all(
    result.map(async ({ data, error }) => {
      await endAndFlushWhenEnded(data);
      await endAndFlush(error);
    }),
  ).then(() => {
    if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  });

  return { ports: result, closed, destroy: () => ws.terminate() };
}

/** resolves once the writable side of `d` was ended by its user and flushed (or `d` is gone) */
function endAndFlushWhenEnded(d: Duplex): Promise<void> {
  return new Promise((resolve) => {
    if (d.writableFinished || d.destroyed) return resolve();
    d.once('finish', () => resolve());
    d.once('close', () => resolve());
  });
}
