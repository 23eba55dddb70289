/**
 * Incremental SPDY/3.1 frame parser: feed it byte chunks as they arrive (TCP reads, or
 * WebSocket message payloads — kubectl 1.31+ splits frames across 1-, 2- and 4-byte
 * messages), get back every whole frame completed so far.
 *
 * Why our own (see frames.ts and shared/design/spdy-notes.md): spdy-transport needed
 * patches to its private internals for kubectl; our framer passed everything. Memory is
 * bounded by construction: a frame's declared length is checked against maxFrameBytes as
 * soon as its 8-byte header is complete, before any payload is buffered, so a peer can
 * never make us hold more than one frame of at most maxFrameBytes + 8 bytes.
 *
 * Pure and synchronous: no streams, no I/O. After a protocol error the parser stays
 * failed (the byte stream has lost its framing; the session must close).
 */
import { decodeFrame, decodeFrameHeader, FRAME_HEADER_BYTES, MAX_FRAME_PAYLOAD_BYTES, SpdyProtocolError, type Frame, type FrameHeader } from './frames.js';

export interface FrameParserOptions {
  /**
   * Largest payload accepted, in bytes. Defaults to the protocol maximum (16 MiB - 1):
   * kubectl writes DATA in io.Copy-sized pieces (32 KiB), so callers may lower it.
   */
  maxFrameBytes?: number;
}

export class FrameParser {
  readonly maxFrameBytes: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failure: SpdyProtocolError | undefined;
  /** The header of the frame being received, once its 8 bytes are in. */
  private header: FrameHeader | undefined;

  constructor(options: FrameParserOptions = {}) {
    const max = options.maxFrameBytes ?? MAX_FRAME_PAYLOAD_BYTES;
    if (!Number.isInteger(max) || max < 8 || max > MAX_FRAME_PAYLOAD_BYTES) {
      throw new RangeError(`maxFrameBytes must be an integer in [8, ${MAX_FRAME_PAYLOAD_BYTES}], got ${max}`);
    }
    this.maxFrameBytes = max;
  }

  /** Bytes held for a frame not yet complete (never more than maxFrameBytes + 8). */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Appends a chunk; returns the frames it completed, in order. Throws SpdyProtocolError. */
  push(chunk: Uint8Array): Frame[] {
    if (this.failure) throw this.failure;
    const frames: Frame[] = [];
    let input = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    try {
      while (input.length > 0) {
        const need = this.bytesNeeded();
        const take = Math.min(need - this.buffered, input.length);
        this.chunks.push(input.subarray(0, take));
        this.buffered += take;
        input = input.subarray(take);
        if (this.buffered === need) {
          const frame = this.completed();
          if (frame) frames.push(frame);
        }
      }
    } catch (err) {
      this.failure = err instanceof SpdyProtocolError ? err : new SpdyProtocolError(String(err));
      this.chunks = [];
      this.buffered = 0;
      this.header = undefined;
      throw this.failure;
    }
    return frames;
  }

  /** Call at end of input: a half-received frame is an error (the peer cut the connection mid-frame). */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.buffered > 0) {
      this.failure = new SpdyProtocolError(`connection ended inside a frame (${this.buffered} bytes pending)`);
      throw this.failure;
    }
  }

  /** How many buffered bytes complete the current step: the header, or header + payload. */
  private bytesNeeded(): number {
    return this.header ? FRAME_HEADER_BYTES + this.header.length : FRAME_HEADER_BYTES;
  }

  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] as Buffer;
  }

  /** Called when `buffered` reached a step boundary; returns a frame when one is whole. */
  private completed(): Frame | undefined {
    const all = this.joined();
    let header = this.header;
    if (!header) {
      header = decodeFrameHeader(all);
      if (header.length > this.maxFrameBytes) {
        const what = header.control ? `control frame type ${header.type}` : `DATA frame on stream ${header.streamId}`;
        throw new SpdyProtocolError(`${what} declares ${header.length} bytes, over the ${this.maxFrameBytes}-byte limit`);
      }
      this.header = header;
      if (header.length > 0) return undefined;
    }
    // Copy the payload out so a frame never pins the caller's (possibly larger) chunk.
    const payload = Buffer.from(all.subarray(FRAME_HEADER_BYTES));
    this.chunks = [];
    this.buffered = 0;
    this.header = undefined;
    return decodeFrame(header, payload);
  }
}
