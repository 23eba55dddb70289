/**
 * The protocol-neutral face of one exec/attach connection, as the exec runner sees it.
 *
 * Both wire protocols produce this shape: the WebSocket channel protocols
 * (websocket-remote-command.ts) and the SPDY adapter. The runner pipes the runtime's
 * StreamSession into it and calls finish() with the outcome; it never learns which
 * protocol or version is underneath.
 */
import type { Readable, Writable } from 'node:stream';
import type { FinishStatus } from './finish-status.js';

export type { FinishStatus } from './finish-status.js';

export interface RemoteCommandStreams {
  /** the negotiated protocol, e.g. 'v5.channel.k8s.io' */
  protocol: string;
  /** the client's stdin; ends at the client's EOF (v5 close signal, else when the connection closes) */
  stdin?: Readable;
  /** present when asked for by the query flags */
  stdout?: Writable;
  /** present when asked for; never with tty */
  stderr?: Writable;
  /** objectMode: TerminalSize {width, height}; present with tty */
  resizes?: Readable;
  /**
   * Ends the session: flushes stdout/stderr, writes the final Status the way the protocol
   * version wants it, then closes the connection normally. Resolves once the connection is
   * closed. Idempotent.
   */
  finish(status: FinishStatus): Promise<void>;
  /** abrupt end: the connection is dropped now */
  destroy(): void;
  /** resolves when the client side is gone (the connection closed, for whatever reason) */
  closed: Promise<void>;
}
