/**
 * The server side of a SPDY/3.1 session, as kubectl's client (moby/spdystream) needs it
 * for exec/attach/cp (SPDY fallback, 1.27–1.33) and port-forward (plain, or SPDY inside
 * WebSocket messages on 1.31+). Give it the raw socket after the 101 (or
 * ws.createWebSocketStream(ws)); it emits a SpdyStream per SYN_STREAM. If the upgrade
 * handed over a non-empty `head`, socket.unshift(head) before constructing the session.
 * Each 'stream' must be answered promptly with respond(): kubectl waits for the
 * SYN_REPLY of every stream before it opens the next one.
 *
 * Why our own framer rather than spdy-transport (shared/design/spdy-notes.md, tested
 * against kubectl 1.27–1.33): spdy-transport rejects kubectl's headers-only SYN_STREAMs
 * (no :method/:path), stalls every stream at 64 KiB because kubectl never sends
 * WINDOW_UPDATE, has no backpressure in either direction (server RSS went to 1.1 GB with
 * a slow reader) and crashes on unhandled stream 'error' events; it only worked with
 * patches to its private internals. A small framer passed the whole matrix unpatched,
 * was ~1.7x faster and bounds memory by construction.
 *
 * Flow control: none, on purpose. moby/spdystream neither sends WINDOW_UPDATE/SETTINGS
 * nor honours ours, so windows could only stall us (spdy-notes §3.2–3.3). Memory is
 * bounded by TCP backpressure instead:
 *   - outbound: a stream's write callback runs only once socket.write returned true or
 *     the socket drained (spdy-stream.ts _write);
 *   - inbound: when a stream's readable buffer passes highWaterMark, the socket is paused
 *     until that stream's consumer reads again, so the peer's sender blocks in TCP.
 *
 * Ordering: header blocks of SYN_STREAM, SYN_REPLY and HEADERS share one zlib context
 * and decompress asynchronously, so frames go through a queue: while a block is being
 * inflated, later frames wait (and the socket is paused), which keeps a stream's 'stream'
 * event ahead of its DATA. Our SYN_REPLY blocks are built synchronously by
 * StoredHeaderEncoder (stored deflate blocks + `00 00 00 FF FF`, tested with kubectl).
 *
 * Errors never crash the process: protocol errors answer GOAWAY PROTOCOL_ERROR, emit
 * 'error' (only when someone listens) and close; socket errors and peer resets close
 * quietly; streams never emit 'error' by themselves.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { realClock, type Clock } from '../clock.js';
import { FrameParser } from './frame-parser.js';
import {
  encodeFrame, GoawayStatus, MAX_FRAME_PAYLOAD_BYTES, RstStatus, SpdyProtocolError, type Frame, type HeadersFrame,
  type SynReplyFrame, type SynStreamFrame,
} from './frames.js';
import { DEFAULT_MAX_HEADER_BLOCK_BYTES, HeaderDecompressor, headerRecord, StoredHeaderEncoder, type HeaderPairs } from './header-compression.js';
import { SpdyStream, type SpdyStreamOwner } from './spdy-stream.js';

export { SpdyStream } from './spdy-stream.js';

export interface SpdySessionOptions {
  /** largest frame payload accepted (default: the protocol's 16 MiB - 1; the parser holds at most this + 8 bytes) */
  maxFrameBytes?: number;
  /** per-stream inbound buffer before the socket is paused (default 1 MiB, spdy-notes §4) */
  highWaterMark?: number;
  /** largest decompressed header block (default 64 KiB; kubectl's are well under 1 KiB) */
  maxHeaderBlockBytes?: number;
  /** after a graceful close (GOAWAY sent/received), how long to wait for the socket to flush before destroying it (default 5 s) */
  closeTimeoutMs?: number;
  clock?: Clock;
}

export const DEFAULT_SESSION_HIGH_WATER_MARK = 1024 * 1024;
export const DEFAULT_CLOSE_TIMEOUT_MS = 5000;

export interface SpdySession {
  on(event: 'stream', listener: (stream: SpdyStream) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  /** the peer pinged (a sign of life, for idle timers) */
  on(event: 'ping', listener: () => void): this;
  once(event: 'stream', listener: (stream: SpdyStream) => void): this;
  once(event: 'close', listener: () => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
}

export class SpdySession extends EventEmitter implements SpdyStreamOwner {
  private readonly parser: FrameParser;
  private readonly decompressor: HeaderDecompressor;
  private readonly encoder = new StoredHeaderEncoder();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly highWaterMark: number;
  private readonly closeTimeoutMs: number;
  private readonly clock: Clock;
  /** frames parsed but not yet handled (only non-empty while a header block inflates) */
  private readonly queue: Frame[] = [];
  private inflating = false;
  /** streams whose readable buffer is full; the socket stays paused while any is here */
  private readonly fullStreams = new Set<SpdyStream>();
  private socketPaused = false;
  private drainWaiters: Array<() => void> = [];
  /** highest stream id the peer opened: DATA for a lower, unknown id belongs to a closed stream */
  private lastPeerStreamId = 0;
  private goAwaySent = false;
  private goAwayReceived = false;
  private closingFlag = false;
  private closeEmitted = false;
  private cancelCloseTimer: (() => void) | undefined;

  constructor(private readonly socket: Duplex, options: SpdySessionOptions = {}) {
    super();
    this.parser = new FrameParser({ maxFrameBytes: options.maxFrameBytes ?? MAX_FRAME_PAYLOAD_BYTES });
    this.decompressor = new HeaderDecompressor({ maxBlockBytes: options.maxHeaderBlockBytes ?? DEFAULT_MAX_HEADER_BLOCK_BYTES });
    this.highWaterMark = options.highWaterMark ?? DEFAULT_SESSION_HIGH_WATER_MARK;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.clock = options.clock ?? realClock;
    socket.on('data', (chunk: Buffer) => this.onSocketData(chunk));
    socket.on('end', () => this.onSocketEnd());
    socket.on('error', () => this.destroy()); // ECONNRESET and friends: not a protocol error, just gone
    socket.on('close', () => this.onSocketClose());
    socket.on('drain', () => this.flushDrainWaiters());
    if (socket.destroyed) this.destroy();
  }

  /** Open streams (for leak tests). */
  get streamCount(): number {
    return this.streams.size;
  }

  /** true once the session is closing or closed. */
  get closing(): boolean {
    return this.closingFlag;
  }

  /** Sends GOAWAY (status OK) and refuses new streams; open streams carry on. */
  goAway(): void {
    if (this.goAwaySent || this.closingFlag) return;
    this.goAwaySent = true;
    this.write(encodeFrame({ kind: 'goaway', lastGoodStreamId: this.lastPeerStreamId, status: GoawayStatus.OK }));
  }

  /**
   * The server's end of a finished exchange: GOAWAY, then the socket is ended after what is
   * already written (a peer that stops reading is cut off after closeTimeoutMs).
   */
  close(): void {
    this.goAway();
    this.closeGracefully();
  }

  /**
   * Closes the socket at once and destroys every open stream quietly. Idempotent.
   * With err, 'error' is emitted first — only if someone listens, so it can never crash.
   */
  destroy(err?: Error): void {
    if (this.closingFlag) return;
    this.beginClose();
    if (err) this.emitError(err);
    this.socket.destroy();
    this.emitCloseIfSocketClosed();
  }

  // ---- SpdyStreamOwner (used by SpdyStream) ----

  sendSynReply(streamId: number, headers: HeaderPairs): void {
    this.write(encodeFrame({ kind: 'syn_reply', streamId, fin: false, headerBlock: this.encoder.encode(headers) }));
  }

  sendData(streamId: number, data: Buffer, fin: boolean): boolean {
    return this.write(encodeFrame({ kind: 'data', streamId, fin, data }));
  }

  sendRst(streamId: number, status: number): void {
    this.write(encodeFrame({ kind: 'rst_stream', streamId, status }));
  }

  whenWritable(cb: () => void): void {
    if (this.closingFlag || !this.socket.writableNeedDrain) return cb();
    this.drainWaiters.push(cb);
  }

  pauseFor(stream: SpdyStream): void {
    this.fullStreams.add(stream);
    this.updateSocketFlow();
  }

  resumeFor(stream: SpdyStream): void {
    if (this.fullStreams.delete(stream)) this.updateSocketFlow();
  }

  streamClosed(stream: SpdyStream): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
    this.resumeFor(stream);
    // After the peer's GOAWAY the session ends once its last stream is done.
    if (this.goAwayReceived && this.streams.size === 0) this.closeGracefully();
  }

  // ---- inbound ----

  private onSocketData(chunk: Buffer): void {
    if (this.closingFlag) return;
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      return this.protocolError(err);
    }
    for (const frame of frames) this.queue.push(frame);
    this.processQueue();
  }

  /** Handles queued frames in order, stopping while a header block inflates. */
  private processQueue(): void {
    while (!this.inflating && !this.closingFlag && this.queue.length > 0) {
      this.handleFrame(this.queue.shift() as Frame);
    }
    this.updateSocketFlow();
  }

  private handleFrame(frame: Frame): void {
    switch (frame.kind) {
      case 'syn_stream':
      case 'syn_reply':
      case 'headers':
        return this.inflateThen(frame);
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (stream) return stream.receiveData(frame.data, frame.fin);
        // A stream we already closed may still have frames in flight: drop them. An id
        // the peer never opened is an error the peer must hear about (SPDY/3 §2.2.2).
        if (frame.streamId > this.lastPeerStreamId) this.sendRst(frame.streamId, RstStatus.INVALID_STREAM);
        return;
      }
      case 'rst_stream':
        this.streams.get(frame.streamId)?.receiveRst(frame.status);
        return;
      case 'ping':
        // kubectl pings every 5–10 s and drops the connection without a reply.
        this.write(encodeFrame(frame));
        // a live client: idle timers count it as activity (kube's spdystream does)
        this.emit('ping');
        return;
      case 'goaway':
        this.goAwayReceived = true;
        if (this.streams.size === 0) this.closeGracefully();
        return;
      case 'settings':
      case 'window_update':
      case 'unknown_control':
        // No flow control (see the header); SPDY/3 says unknown control frames are ignored.
        return;
    }
  }

  /** Inflates a header block through the shared context, then acts on its frame. */
  private inflateThen(frame: SynStreamFrame | SynReplyFrame | HeadersFrame): void {
    this.inflating = true;
    this.decompressor.decompress(frame.headerBlock).then(
      (pairs) => {
        this.inflating = false;
        if (this.closingFlag) return;
        this.afterHeaders(frame, pairs);
        this.processQueue();
      },
      (err: unknown) => {
        this.inflating = false;
        this.protocolError(err);
      },
    );
    this.updateSocketFlow();
  }

  private afterHeaders(frame: SynStreamFrame | SynReplyFrame | HeadersFrame, pairs: HeaderPairs): void {
    const existing = this.streams.get(frame.streamId);
    if (frame.kind === 'headers') {
      // Headers after the SYN carry nothing kubectl needs; only FIN matters.
      if (frame.fin) existing?.receiveFin();
      return;
    }
    if (frame.kind === 'syn_reply') {
      // We never open streams, so a SYN_REPLY is always for a stream that is not ours to reply to.
      if (existing) existing.reset(RstStatus.PROTOCOL_ERROR);
      else this.sendRst(frame.streamId, RstStatus.INVALID_STREAM);
      return;
    }
    if (existing) {
      // SPDY/3 §2.3.2: a second SYN_STREAM for an active stream is a stream error.
      existing.reset(RstStatus.PROTOCOL_ERROR);
      return;
    }
    if (frame.streamId % 2 === 0 || frame.streamId <= this.lastPeerStreamId) {
      // Client streams are odd and increase; anything else means the peer lost track.
      return this.protocolError(new SpdyProtocolError(`SYN_STREAM with stream id ${frame.streamId} after ${this.lastPeerStreamId}`, frame.streamId));
    }
    this.lastPeerStreamId = frame.streamId;
    if (this.goAwaySent || this.goAwayReceived || this.listenerCount('stream') === 0) {
      this.sendRst(frame.streamId, RstStatus.REFUSED_STREAM);
      return;
    }
    const stream = new SpdyStream(this, frame.streamId, headerRecord(pairs), this.highWaterMark);
    this.streams.set(frame.streamId, stream);
    this.emit('stream', stream);
    if (frame.fin) stream.receiveFin();
  }

  /** Pauses the socket while a header block inflates or any stream's buffer is full. */
  private updateSocketFlow(): void {
    const shouldPause = !this.closingFlag && (this.inflating || this.fullStreams.size > 0);
    if (shouldPause && !this.socketPaused) {
      this.socketPaused = true;
      this.socket.pause();
    } else if (!shouldPause && this.socketPaused) {
      this.socketPaused = false;
      this.socket.resume();
    }
  }

  private onSocketEnd(): void {
    if (this.closingFlag) return;
    try {
      this.parser.end();
    } catch (err) {
      return this.protocolError(err);
    }
    // The peer can send nothing more: no stream can make progress, so the session is done.
    this.closeGracefully();
  }

  // ---- outbound and closing ----

  private write(frame: Buffer): boolean {
    if (this.closingFlag || this.socket.destroyed || this.socket.writableEnded) return true;
    return this.socket.write(frame);
  }

  private flushDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const cb of waiters) cb();
  }

  private protocolError(err: unknown): void {
    if (this.closingFlag) return;
    const error = err instanceof Error ? err : new SpdyProtocolError(String(err));
    this.write(encodeFrame({ kind: 'goaway', lastGoodStreamId: this.lastPeerStreamId, status: GoawayStatus.PROTOCOL_ERROR }));
    this.emitError(error);
    this.closeGracefully();
  }

  /** Ends the socket after what is already written (e.g. a GOAWAY) has been flushed. */
  private closeGracefully(): void {
    if (this.closingFlag) return;
    this.beginClose();
    // A peer that stops reading must not keep the socket forever.
    this.cancelCloseTimer = this.clock.setTimer(this.closeTimeoutMs, () => this.socket.destroy());
    this.socket.end(() => this.socket.destroy());
    this.emitCloseIfSocketClosed();
  }

  /** Marks the session closed and destroys every stream quietly. */
  private beginClose(): void {
    this.closingFlag = true;
    this.queue.length = 0;
    this.fullStreams.clear();
    for (const stream of [...this.streams.values()]) stream.closeBySession();
    this.streams.clear();
    this.decompressor.close();
    // Writers waiting for 'drain' are destroyed streams now; release their callbacks.
    this.flushDrainWaiters();
    if (this.socketPaused) {
      this.socketPaused = false;
      this.socket.resume(); // keep reading (and discarding) so the socket can see the peer's end
    }
  }

  private onSocketClose(): void {
    if (!this.closingFlag) this.beginClose();
    this.cancelCloseTimer?.();
    this.emitCloseOnce();
  }

  private emitCloseIfSocketClosed(): void {
    if (this.socket.closed) process.nextTick(() => this.emitCloseOnce());
  }

  private emitCloseOnce(): void {
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    this.cancelCloseTimer?.();
    this.emit('close');
  }

  private emitError(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }
}
