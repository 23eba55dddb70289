/**
 * One SPDY/3.1 stream opened by the peer (kubectl's error/stdin/stdout/stderr/resize or
 * port-forward error/data streams), as a Node Duplex.
 *
 * Readable side = the peer's DATA frames (FIN => end). Writable side = our DATA frames in
 * pieces of at most 32 KiB (end() => an empty DATA frame with FIN). All wire I/O goes
 * through the owning session (session.ts) via the small SpdyStreamOwner interface, so
 * this file never touches the socket and has no import cycle with the session.
 *
 * Why streams never emit 'error' on their own: kubectl ends every stream with RST_STREAM
 * CANCEL and may drop the TCP connection with streams half-open; spdy-notes.md §3.7 saw
 * both crash a server through unhandled 'error' events. A peer reset or a closed session
 * therefore just destroys the stream (consumers see 'close'); a non-CANCEL reset is also
 * reported as a 'reset' event (a plain event: harmless without listeners).
 */
import { Duplex } from 'node:stream';
import { RstStatus } from './frames.js';
import type { HeaderPairs } from './header-compression.js';

/** kubectl writes in io.Copy-sized pieces; frames of this size keep one stream from hogging the socket. */
export const MAX_DATA_FRAME_BYTES = 32 * 1024;

/** What a stream needs from its session. Implemented by SpdySession. */
export interface SpdyStreamOwner {
  /** true once the session is closing or closed: nothing more goes on the wire */
  readonly closing: boolean;
  sendSynReply(streamId: number, headers: HeaderPairs): void;
  /** returns false when the socket's buffer is full (wait with whenWritable) */
  sendData(streamId: number, data: Buffer, fin: boolean): boolean;
  sendRst(streamId: number, status: number): void;
  /** calls cb once the socket has drained (or at once when it is not backed up / closed) */
  whenWritable(cb: () => void): void;
  /** the stream's readable buffer is over its high-water mark: stop reading the socket */
  pauseFor(stream: SpdyStream): void;
  /** the stream's consumer wants more: the stream no longer holds the socket paused */
  resumeFor(stream: SpdyStream): void;
  streamClosed(stream: SpdyStream): void;
}

export class SpdyStream extends Duplex {
  private replied = false;
  private finSent = false;
  private finReceived = false;
  /** an RST_STREAM was sent or received, or the session is gone: send nothing more */
  private silenced = false;

  constructor(
    private readonly owner: SpdyStreamOwner,
    readonly id: number,
    readonly headers: Readonly<Record<string, string>>,
    highWaterMark: number,
  ) {
    // allowHalfOpen: SPDY half-closes each direction on its own (kubectl FINs the
    // port-forward error stream straight away and still expects our FIN later).
    super({ allowHalfOpen: true, readableHighWaterMark: highWaterMark });
  }

  /** Sends SYN_REPLY (once; later calls are ignored). kubectl accepts an empty header list. */
  respond(headers: Record<string, string> = {}): void {
    if (this.replied || this.silenced || this.destroyed) return;
    this.replied = true;
    this.owner.sendSynReply(this.id, Object.entries(headers));
  }

  /** Sends RST_STREAM (default CANCEL) and destroys the stream locally, without an error. */
  reset(status: number = RstStatus.CANCEL): void {
    if (this.destroyed) return;
    if (!this.silenced) this.owner.sendRst(this.id, status);
    this.silenced = true;
    this.destroy();
  }

  /** @internal session: DATA arrived for this stream. */
  receiveData(data: Buffer, fin: boolean): void {
    if (this.destroyed) return;
    if (this.finReceived) {
      // SPDY/3 §2.4.2: data after the sender half-closed is a stream error.
      this.reset(RstStatus.STREAM_ALREADY_CLOSED);
      return;
    }
    if (data.length > 0 && !this.push(data)) this.owner.pauseFor(this);
    if (fin) this.receiveFin();
  }

  /** @internal session: the peer half-closed (DATA, SYN_STREAM or HEADERS with FIN). */
  receiveFin(): void {
    if (this.finReceived || this.destroyed) return;
    this.finReceived = true;
    this.push(null);
  }

  /** @internal session: the peer sent RST_STREAM. */
  receiveRst(status: number): void {
    if (this.destroyed) return;
    this.silenced = true;
    if (status !== RstStatus.CANCEL) this.emit('reset', status);
    this.destroy();
  }

  /** @internal session: the connection is gone; close quietly, nothing can be sent. */
  closeBySession(): void {
    this.silenced = true;
    this.destroy();
  }

  override _read(): void {
    this.owner.resumeFor(this);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // The session is going away and destroys this stream next; an error here would only be
    // an 'error' event nobody may be listening for.
    if (this.silenced || this.owner.closing) return callback();
    // DATA before SYN_REPLY would be a protocol error for the peer; reply with no headers.
    this.respond();
    let writable = true;
    for (let at = 0; at < chunk.length; at += MAX_DATA_FRAME_BYTES) {
      writable = this.owner.sendData(this.id, chunk.subarray(at, at + MAX_DATA_FRAME_BYTES), false);
    }
    // Backpressure: the next chunk is accepted only once the socket can take it.
    if (writable) callback();
    else this.owner.whenWritable(() => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.silenced || this.owner.closing) return callback();
    this.respond();
    this.finSent = true;
    const writable = this.owner.sendData(this.id, Buffer.alloc(0), true);
    if (writable) callback();
    else this.owner.whenWritable(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Destroyed while still open in some direction: tell the peer, or it waits forever.
    if (!this.silenced && !(this.finSent && this.finReceived) && !this.owner.closing) {
      this.owner.sendRst(this.id, RstStatus.CANCEL);
    }
    this.silenced = true;
    this.owner.streamClosed(this);
    callback(error);
  }
}
