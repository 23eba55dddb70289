/**
 * Turns the resize channel's bytes into TerminalSize values.
 *
 * kube reads the channel with a json.Decoder: a STREAM of JSON values that may be split
 * across (or packed into) messages, field names matched case-insensitively ("Width" or
 * "width"), and the first undecodable value ends resizing for the session. This class
 * does the same incrementally and purely: push bytes in, get complete sizes out.
 */
import type { TerminalSize } from '../../../cri/streaming.js';

/** kube caps nothing here; we cap a single pending value so a hostile client cannot grow memory. */
const MAX_PENDING_CHARS = 64 * 1024;

export class TerminalSizeDecoder {
  private pending = '';
  private failed = false;

  /** true once a value failed to decode; later input is ignored, as in kube */
  get stopped(): boolean {
    return this.failed;
  }

  push(chunk: Buffer | string): TerminalSize[] {
    if (this.failed) return [];
    this.pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const sizes: TerminalSize[] = [];
    for (;;) {
      const start = this.pending.search(/\S/);
      if (start < 0) {
        this.pending = '';
        break;
      }
      const end = endOfJsonValue(this.pending, start);
      if (end === undefined) {
        if (this.pending.length > MAX_PENDING_CHARS) this.failed = true;
        break;
      }
      const text = this.pending.slice(start, end);
      this.pending = this.pending.slice(end);
      const size = toTerminalSize(text);
      if (!size) {
        this.failed = true;
        break;
      }
      sizes.push(size);
    }
    return sizes;
  }
}

/**
 * Index just past the JSON value starting at `start`, or undefined when it is not
 * complete yet. Only objects need tracking (kubectl sends objects); any other first
 * character is taken as a complete (and later rejected) value up to the next whitespace.
 */
function endOfJsonValue(text: string, start: number): number | undefined {
  if (text[start] !== '{') {
    const ws = text.slice(start).search(/\s/);
    return ws < 0 ? undefined : start + ws;
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** Go's decoding into TerminalSize{Width, Height uint16}: keys case-insensitive, missing = 0. */
function toTerminalSize(text: string): TerminalSize | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const size: TerminalSize = { width: 0, height: 0 };
  for (const [key, v] of Object.entries(value)) {
    const field = key.toLowerCase();
    if (field !== 'width' && field !== 'height') continue;
    if (v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff) return undefined;
    size[field] = v;
  }
  return size;
}
