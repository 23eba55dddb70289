/**
 * Test-only: two in-memory Duplex ends joined like a TCP connection, with real
 * backpressure — a write completes only when the other end's readable buffer has room
 * (or its reader drained it). That makes "writes stall when the reader is paused"
 * deterministic, which kernel socket buffers of unknown size would not be.
 */
import { Duplex } from 'node:stream';

class PairEnd extends Duplex {
  peer!: PairEnd;
  /** the write callback held back until our reader (this end's readable side) wants more */
  private heldWrite: (() => void) | undefined;
  /** bytes the other end has written into us so far */
  bytesReceived = 0;

  constructor(highWaterMark: number) {
    super({ allowHalfOpen: false, highWaterMark });
  }

  /** data written here lands in the peer's readable side */
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    if (this.peer.destroyed) return cb();
    this.peer.bytesReceived += chunk.length;
    if (this.peer.push(chunk)) cb();
    else this.peer.heldWrite = cb;
  }

  override _final(cb: (error?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    cb();
  }

  override _read(): void {
    const cb = this.heldWrite;
    this.heldWrite = undefined;
    cb?.();
  }

  override _destroy(error: Error | null, cb: (error?: Error | null) => void): void {
    const peer = this.peer;
    // Like a TCP reset: the other end closes too (without an error of its own).
    setImmediate(() => {
      if (!peer.destroyed) peer.destroy();
    });
    const held = this.heldWrite;
    this.heldWrite = undefined;
    held?.();
    cb(error);
  }
}

export type DuplexPairEnd = PairEnd;

/** Returns [a, b]: bytes written to a are read from b and vice versa. */
export function createDuplexPair(highWaterMark = 16 * 1024): [PairEnd, PairEnd] {
  const a = new PairEnd(highWaterMark);
  const b = new PairEnd(highWaterMark);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
