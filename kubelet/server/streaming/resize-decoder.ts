/**
 * The SPDY resize stream's bytes → terminal sizes, as a stream: client-go writes each size
 * with a JSON encoder ({"Width":120,"Height":40} then a newline), and SPDY frames may split
 * or join them. The decoding rules (kube's json.Decoder semantics, bounded memory) are the
 * WebSocket resize channel's, shared: ./websocket/terminal-size-decoder.ts.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { TerminalSizeDecoder } from './websocket/terminal-size-decoder.js';

/** bytes in, TerminalSize objects out */
export class ResizeDecoder extends Transform {
  private readonly decoder = new TerminalSizeDecoder();

  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (const size of this.decoder.push(chunk)) this.push(size);
    done();
  }
}
