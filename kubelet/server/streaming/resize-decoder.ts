/**
 * The resize stream's bytes → terminal sizes. client-go writes each size with a JSON
 * encoder ({"Width":120,"Height":40} then a newline) on the SPDY resize stream, and as the
 * payload of a channel-4 message over WebSocket; frames may split or join objects, so the
 * text is cut at the end of each top-level object. A malformed object is skipped (kube
 * logs and goes on); an unreasonably long one is dropped, so memory stays bounded.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { TerminalSize } from '../../cri/streaming.js';

const MAX_OBJECT_BYTES = 4096;

/** one decoded object → a size, or undefined when it is not one */
export function terminalSizeOf(text: string): TerminalSize | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { Width: width, Height: height } = value as { Width?: unknown; Height?: unknown };
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffff;
  return ok(width) && ok(height) ? { width, height } : undefined;
}

/** bytes in, TerminalSize objects out */
export class ResizeDecoder extends Transform {
  private pending = '';
  private depth = 0;

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (const ch of chunk.toString('utf8')) {
      if (this.depth === 0 && ch !== '{') continue;
      this.pending += ch;
      if (ch === '{') this.depth++;
      else if (ch === '}') this.depth--;
      if (this.depth === 0) {
        const size = terminalSizeOf(this.pending);
        if (size) this.push(size);
        this.pending = '';
      } else if (this.pending.length > MAX_OBJECT_BYTES) {
        this.pending = '';
        this.depth = 0;
      }
    }
    done();
  }
}
