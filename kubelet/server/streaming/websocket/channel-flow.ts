/**
 * Flow control between node streams and one WebSocket carrying k8s channels.
 *
 * Why: the WebSocket has no per-channel windows, so without gates a fast process and a
 * slow client (or the reverse) would buffer without bound in our memory (spdy-notes.md
 * §3.4 measured exactly that for SPDY).
 *
 * Outbound (ChannelSender): every chunk is handed to ws at once, in order; the writer's
 * callback is held back while ws.bufferedAmount (socket buffer + ws's queue) is above the
 * high-water mark, until the chunk's own send callback says it reached the kernel. So at
 * most one chunk per writer is queued beyond the mark.
 *
 * Inbound (InboundFlow + ChannelReader): a reader whose push() returns false "blocks" its
 * channel, which pauses the WebSocket (socket reads stop, TCP pushes back on the client);
 * when every blocked reader has been read from again, the WebSocket resumes. A reader
 * the consumer destroyed no longer blocks; its data is dropped.
 */
import { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import { encodeChannelMessage } from './channel-codec.js';

export const DEFAULT_OUTBOUND_HIGH_WATER_BYTES = 1024 * 1024;

export class ChannelSender {
  private pending = new Set<() => void>();

  constructor(
    private readonly ws: WebSocket,
    private readonly binary: boolean,
    private readonly highWaterBytes: number = DEFAULT_OUTBOUND_HIGH_WATER_BYTES,
  ) {
    // a closed connection flushes nothing more: release every held writer
    ws.once('close', () => this.releaseAll());
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends `payload` on `channel`; `done` runs when the writer may send more (at once when
   * below the mark). Writes on a closed connection are dropped: the session's `closed`
   * promise is how callers learn the client left.
   */
  send(channel: number, payload: Uint8Array, done: () => void = () => undefined): void {
    if (!this.open) return done();
    const message = encodeChannelMessage(this.binary, channel, payload);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.pending.delete(release);
      done();
    };
    this.pending.add(release);
    this.ws.send(message, { binary: typeof message !== 'string' }, () => release());
    if (this.ws.bufferedAmount <= this.highWaterBytes) release();
  }

  private releaseAll(): void {
    for (const release of [...this.pending]) release();
  }
}

export class InboundFlow {
  private blocked = new Set<number>();

  constructor(private readonly ws: WebSocket) {}

  block(channel: number): void {
    if (this.blocked.has(channel)) return;
    this.blocked.add(channel);
    if (this.blocked.size === 1) this.ws.pause();
  }

  unblock(channel: number): void {
    if (!this.blocked.delete(channel)) return;
    if (this.blocked.size === 0) this.ws.resume();
  }

  /** for tests and diagnostics */
  get paused(): boolean {
    return this.blocked.size > 0;
  }
}

/**
 * Feeds one inbound channel into a Readable (or the readable side of a Duplex), gated by
 * an InboundFlow. `make` builds the stream around the read hook it must install.
 */
export class ChannelReader<S extends Readable = Readable> {
  readonly readable: S;
  private ended = false;

  constructor(
    private readonly flow: InboundFlow,
    private readonly channel: number,
    make: (onRead: () => void) => S,
  ) {
    this.readable = make(() => this.flow.unblock(this.channel));
    this.readable.on('error', () => undefined);
    this.readable.once('close', () => {
      this.ended = true;
      this.flow.unblock(this.channel);
    });
  }

  /** a plain Readable for `channel` */
  static plain(flow: InboundFlow, channel: number, objectMode = false): ChannelReader {
    return new ChannelReader(flow, channel, (read) => new Readable({ objectMode, read }));
  }

  push(data: unknown): void {
    if (this.ended || this.readable.destroyed) return;
    if (!this.readable.push(data)) this.flow.block(this.channel);
  }

  /** EOF for the consumer; idempotent */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.flow.unblock(this.channel);
    if (!this.readable.destroyed) this.readable.push(null);
  }
}
