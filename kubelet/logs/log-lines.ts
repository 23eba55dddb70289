/**
 * From bytes to log lines, in two small steps:
 *   RecordSplitter  bytes → CRI records (one per '\n'; the tail of a chunk waits for more)
 *   LineAssembler   records → lines: P records are joined with the F that ends them, and
 *                   the line takes the first part's timestamp (when the line began).
 * Splitting on the byte 0x0a before decoding is safe for UTF-8: the byte never occurs
 * inside a multi-byte character.
 */
import { parseCriLogLine, type CriLogRecord, type LogStream } from './cri-log-format.js';

export interface LogLine {
  /** RFC3339Nano, as the first record of the line wrote it */
  time: string;
  stream: LogStream;
  text: string;
  /** false only for a trailing run of P records that never got its F (flushed at the end) */
  complete: boolean;
}

export class RecordSplitter {
  private rest: Buffer = Buffer.alloc(0);

  /** the complete records in `chunk` (plus what was held back), without their '\n' */
  push(chunk: Buffer): string[] {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const out: string[] = [];
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
      out.push(data.toString('utf8', start, nl));
      start = nl + 1;
    }
    this.rest = data.subarray(start);
    return out;
  }

  /** bytes after the last '\n' as one more record (a file that ends without one) */
  flush(): string[] {
    const rest = this.rest;
    this.rest = Buffer.alloc(0);
    return rest.length ? [rest.toString('utf8')] : [];
  }
}

export class LineAssembler {
  /** parts of the line being assembled, per stream: stdout and stderr interleave */
  private pending = new Map<LogStream, { time: string; parts: string[] }>();

  /** the lines `text` completes; malformed records are dropped, as kube's reader skips them */
  push(text: string): LogLine[] {
    const record = parseCriLogLine(text);
    if (!record) return [];
    return this.pushRecord(record);
  }

  pushRecord(record: CriLogRecord): LogLine[] {
    const open = this.pending.get(record.stream);
    if (record.partial) {
      if (open) open.parts.push(record.line);
      else this.pending.set(record.stream, { time: record.time, parts: [record.line] });
      return [];
    }
    if (!open) return [{ time: record.time, stream: record.stream, text: record.line, complete: true }];
    this.pending.delete(record.stream);
    return [{ time: open.time, stream: record.stream, text: open.parts.join('') + record.line, complete: true }];
  }

  /** lines still waiting for their F, as incomplete lines, oldest first */
  flush(): LogLine[] {
    const lines = [...this.pending.entries()].map(([stream, open]) => ({ time: open.time, stream, text: open.parts.join(''), complete: false }));
    this.pending.clear();
    return lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }
}
