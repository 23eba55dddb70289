/**
 * conmon's attach protocol, as pure functions (table-tested).
 *
 * conmon 2.x serves `<socketDir>/<id>/attach` as a SOCK_SEQPACKET socket. Every packet it
 * sends to an attach client is one byte naming the stream — 2 stdout, 3 stderr (conmon's
 * STDOUT_PIPE/STDERR_PIPE; 1 is STDIN_PIPE, never sent; with a tty everything comes as
 * stdout) — followed by the bytes. Observed with conmon 2.1.6 on this host: a shell's
 * `echo hi; echo err >&2` arrived as "\x02hi\n" and "\x03err\n".
 * What a client sends is raw stdin, no framing. A client that shuts down its write side
 * (or disconnects) makes conmon close the container's stdin unless conmon was started
 * with --leave-stdin-open (conn_sock.c terminate_conn_sock).
 *
 * Window size goes through the control FIFO `<socketDir>/<id>/ctl` as a text line
 * "<type> <height> <width>\n", type 1 = resize (2 = reopen the log, see process/conmon.ts).
 */
import type { TerminalSize } from '../../../cri/streaming.js';

export const STDOUT_PIPE = 2;
export const STDERR_PIPE = 3;

export type AttachPacket = { stream: 'stdout' | 'stderr'; data: Buffer } | { stream: 'unknown'; id: number } | { stream: 'empty' };

export function parseAttachPacket(packet: Buffer): AttachPacket {
  if (packet.length === 0) return { stream: 'empty' };
  const id = packet[0]!;
  if (id === STDOUT_PIPE) return { stream: 'stdout', data: packet.subarray(1) };
  if (id === STDERR_PIPE) return { stream: 'stderr', data: packet.subarray(1) };
  return { stream: 'unknown', id };
}

/** the ctl FIFO line that resizes the container's terminal; sizes are clamped to what a winsize holds */
export function resizeControlMessage(size: TerminalSize): string {
  const clamp = (n: number): number => (Number.isFinite(n) ? Math.min(65535, Math.max(0, Math.trunc(n))) : 0);
  return `1 ${clamp(size.height)} ${clamp(size.width)}\n`;
}
