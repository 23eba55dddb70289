/**
 * Joins two byte streams after a protocol switch (the client's socket and the kubelet's):
 * each side's bytes are piped to the other as they arrive, so memory stays bounded by the
 * sockets' own buffers (pipe pauses the reader while the writer is full), and nothing here
 * understands the protocol spoken (SPDY, WebSocket, SPDY inside WebSocket).
 *
 * Either side ending, closing or failing closes both: a client that drops mid-stream must
 * not leave the kubelet's exec running, and a kubelet that goes away must not leave the
 * client waiting. `onClosed` runs once, when both are gone.
 */
import type { Duplex } from 'node:stream';

export interface Splice {
  /** tears both sides down now (server shutdown) */
  close(): void;
}

export interface SpliceOptions {
  /**
   * After one side closed, how long the other may take to flush what it was given before
   * it is destroyed anyway (a peer that stopped reading must not hold it forever).
   */
  flushGraceMs?: number;
}

const DEFAULT_FLUSH_GRACE_MS = 5_000;

export function spliceStreams(a: Duplex, b: Duplex, onClosed: () => void, options: SpliceOptions = {}): Splice {
  const grace = options.flushGraceMs ?? DEFAULT_FLUSH_GRACE_MS;
  let open = 2;
  const destroyBoth = () => {
    a.destroy();
    b.destroy();
  };
  /**
   * One side is gone: the other gets what was already written to it (the kubelet's last
   * bytes carry the exit status: destroying at once would drop them), then ends.
   */
  const finish = (other: Duplex) => {
    if (other.destroyed) return;
    if (other.writableFinished) return void other.destroy();
    const timer = setTimeout(() => other.destroy(), grace);
    timer.unref();
    other.once('close', () => clearTimeout(timer));
    other.once('finish', () => other.destroy());
    other.end();
  };
  const onClose = (side: Duplex, other: Duplex) => {
    side.unpipe(other);
    other.unpipe(side);
    finish(other);
    if (--open === 0) onClosed();
  };
  for (const [side, other] of [[a, b], [b, a]] as const) {
    // a reset or TLS failure on one side is the end of the session, never a crash; its
    // 'close' follows and lets the other side flush first (a kubelet that resets after
    // writing the exit status must not take the status with it)
    side.on('error', () => undefined);
    // a side already gone (the client left while the kubelet answered) has closed for good
    if (side.destroyed) open--;
    else side.once('close', () => onClose(side, other));
  }
  if (open < 2) {
    destroyBoth();
    if (open === 0) queueMicrotask(onClosed);
    return { close: destroyBoth };
  }
  // a half-close (end) is passed on by pipe; 'close' above covers the abrupt endings
  a.pipe(b);
  b.pipe(a);
  return { close: destroyBoth };
}
