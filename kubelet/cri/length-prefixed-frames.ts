/**
 * The socket transport's framing: each Frame message travels as a 4-byte big-endian
 * length followed by that many bytes. A stream read hands us arbitrary slices; the
 * reader keeps the unfinished tail until the rest arrives.
 */

/** above this a length is taken as a corrupt stream, not a reason to buffer gigabytes */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError';
}

export function withLengthPrefix(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.set(body, 4);
  return out;
}

export class LengthPrefixedReader {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** the frames completed by `chunk`, in order; throws FrameTooLargeError on a huge length */
  push(chunk: Buffer): Buffer[] {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const frames: Buffer[] = [];
    let data = this.buffered.length === 1 ? chunk : Buffer.concat(this.buffered, this.bufferedBytes);
    let offset = 0;
    while (data.length - offset >= 4) {
      const length = data.readUInt32BE(offset);
      if (length > this.maxFrameBytes) throw new FrameTooLargeError(`frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}`);
      if (data.length - offset - 4 < length) break;
      frames.push(data.subarray(offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
    data = data.subarray(offset);
    this.buffered = data.length > 0 ? [data] : [];
    this.bufferedBytes = data.length;
    return frames;
  }
}
