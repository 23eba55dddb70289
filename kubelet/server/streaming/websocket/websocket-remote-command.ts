/**
 * exec/attach over a WebSocket with the k8s channel protocols (channel.k8s.io, v2..v5,
 * base64.channel.k8s.io, v4.base64.channel.k8s.io), producing RemoteCommandStreams.
 *
 * What kube does and we copy (remotecommand/websocket.go, apiserver proxy/websocket.go):
 *  - channels 0 stdin (in), 1 stdout, 2 stderr, 3 error (out), 4 resize (in);
 *  - with tty there is no stderr, even when asked for;
 *  - right after the upgrade, one EMPTY message on the lowest writable channel (stdout,
 *    else stderr, else error) tells the client the session is established;
 *  - stdin ends on v5's close signal [255, 0], otherwise only when the connection closes;
 *  - at the end: flush output, the Status on the error channel (finish-status.ts), a close
 *    frame 1000, then wait for the client to close (it reads what is still buffered
 *    first); a client that neither reads nor closes is cut off after a timeout.
 */
import { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { realClock, type Clock } from '../../../../client/clock.js';
import { decodeChannelMessage, ERROR_CHANNEL, RESIZE_CHANNEL, STDERR_CHANNEL, STDIN_CHANNEL, STDOUT_CHANNEL } from './channel-codec.js';
import { ChannelReader, ChannelSender, DEFAULT_OUTBOUND_HIGH_WATER_BYTES, InboundFlow } from './channel-flow.js';
import { encodeFinishStatus, type FinishStatus } from './finish-status.js';
import type { RemoteCommandStreams } from './remote-command-streams.js';
import { channelProtocolTraits } from './subprotocols.js';
import { TerminalSizeDecoder } from './terminal-size-decoder.js';

export interface RemoteCommandExpectations {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface WebSocketChannelOptions {
  /** outbound bytes buffered before writers wait (default 1 MiB) */
  outboundHighWaterBytes?: number;
  /** how long finish() waits for output to drain and the client to close (kube: 15 min) */
  finishTimeoutMs?: number;
  clock?: Clock;
}

export const DEFAULT_FINISH_TIMEOUT_MS = 15 * 60 * 1000;

/** A Writable that sends each chunk on one channel; writes after the end are dropped quietly. */
export function channelWritable(sender: ChannelSender, channel: number): Writable {
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sender.send(channel, chunk, () => callback());
    },
  });
  // a producer piping into us after finish() ended the stream must not crash the process
  writable.on('error', () => undefined);
  return writable;
}

/** Resolves when `w` has flushed everything (or is gone); ends it first if still open. */
export function endAndFlush(w: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (w.writableFinished || w.destroyed) return resolve();
    w.once('finish', () => resolve());
    w.once('close', () => resolve());
    if (!w.writableEnded) w.end();
  });
}

export function websocketRemoteCommand(
  ws: WebSocket,
  protocol: string,
  expect: RemoteCommandExpectations,
  options: WebSocketChannelOptions = {},
): RemoteCommandStreams {
  const traits = channelProtocolTraits(protocol);
  const clock = options.clock ?? realClock;
  const sender = new ChannelSender(ws, traits.binary, options.outboundHighWaterBytes ?? DEFAULT_OUTBOUND_HIGH_WATER_BYTES);
  const flow = new InboundFlow(ws);
  const wantStderr = expect.stderr && !expect.tty;

  const stdin = expect.stdin ? ChannelReader.plain(flow, STDIN_CHANNEL) : undefined;
  const resizes = expect.tty ? ChannelReader.plain(flow, RESIZE_CHANNEL, true) : undefined;
  const sizeDecoder = new TerminalSizeDecoder();
  const stdout = expect.stdout ? channelWritable(sender, STDOUT_CHANNEL) : undefined;
  const stderr = wantStderr ? channelWritable(sender, STDERR_CHANNEL) : undefined;

  ws.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', () => resolve());
  });
  void closed.then(() => {
    // pre-v5 clients have no other way to say EOF than closing the connection
    stdin?.end();
    resizes?.end();
  });

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const message = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const decoded = decodeChannelMessage(traits.binary, traits.closeSignal, message);
    if (decoded.kind === 'close') {
      if (decoded.channel === STDIN_CHANNEL) stdin?.end();
      else if (decoded.channel === RESIZE_CHANNEL) resizes?.end();
      return;
    }
    if (decoded.kind !== 'data') return;
    if (decoded.channel === STDIN_CHANNEL) stdin?.push(decoded.payload);
    else if (decoded.channel === RESIZE_CHANNEL && resizes) {
      for (const size of sizeDecoder.push(decoded.payload)) resizes.push(size);
    }
    // anything else (a client writing on an output channel, unknown channels) is ignored, as in kube
  });

  // the "connection established" signal: an empty message on the lowest writable channel
  sender.send(expect.stdout ? STDOUT_CHANNEL : wantStderr ? STDERR_CHANNEL : ERROR_CHANNEL, Buffer.alloc(0));

  let finishing: Promise<void> | undefined;
  const finish = (status: FinishStatus): Promise<void> => {
    finishing ??= (async () => {
      // input is over for us: what the client still sends is discarded, and a paused
      // socket must flow again so the client's close frame can be read
      stdin?.end();
      resizes?.end();
      const cancelTimer = clock.setTimer(options.finishTimeoutMs ?? DEFAULT_FINISH_TIMEOUT_MS, () => ws.terminate());
      try {
        await Promise.race([Promise.all([stdout, stderr].filter((w) => w !== undefined).map(endAndFlush)), closed]);
        if (ws.readyState === WebSocket.OPEN) {
          const payload = encodeFinishStatus(traits.statusAsJson, status);
          if (payload) sender.send(ERROR_CHANNEL, payload);
          ws.close(1000);
        }
        await closed;
      } finally {
        cancelTimer();
      }
    })();
    return finishing;
  };

  return {
    protocol,
    ...(stdin ? { stdin: stdin.readable } : {}),
    ...(stdout ? { stdout } : {}),
    ...(stderr ? { stderr } : {}),
    ...(resizes ? { resizes: resizes.readable } : {}),
    finish,
    destroy: () => ws.terminate(),
    closed,
  };
}
