/**
 * The CRI container log format, one line per record, as runtimes write it and the
 * kubelet reads it back for `kubectl logs`:
 *
 *   2026-11-24T12:00:00.123456789Z stdout F hello world
 *   2026-11-24T12:00:00.223456789Z stderr P a long line, first part…
 *
 * F = the line is complete, P = partial (the runtime split a long line; the next record
 * continues it). The timestamp is RFC3339Nano in UTC.
 */

export type LogStream = 'stdout' | 'stderr';

/** RFC3339Nano for an epoch-milliseconds time (fractional ms give the sub-ms digits) */
export function rfc3339Nano(ms: number): string {
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString(); // 2026-11-24T12:00:00.123Z
  const subMillisecondNanos = Math.min(999_999, Math.floor((ms - whole) * 1e6));
  return `${iso.slice(0, 23)}${String(subMillisecondNanos).padStart(6, '0')}Z`;
}

/** one record, newline included; `line` must not contain '\n' */
export function formatCriLogLine(ms: number, stream: LogStream, line: string, partial = false): string {
  return `${rfc3339Nano(ms)} ${stream} ${partial ? 'P' : 'F'} ${line}\n`;
}

export interface CriLogRecord {
  /** the timestamp exactly as written */
  time: string;
  stream: LogStream;
  partial: boolean;
  /** the content, without the trailing newline */
  line: string;
}

/** parse one record (without its newline); undefined for a malformed line */
export function parseCriLogLine(text: string): CriLogRecord | undefined {
  const a = text.indexOf(' ');
  const b = text.indexOf(' ', a + 1);
  const c = text.indexOf(' ', b + 1);
  if (a <= 0 || b < 0) return undefined;
  const stream = text.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = c < 0 ? text.slice(b + 1) : text.slice(b + 1, c);
  if (tag !== 'F' && tag !== 'P') return undefined;
  return { time: text.slice(0, a), stream, partial: tag === 'P', line: c < 0 ? '' : text.slice(c + 1) };
}
