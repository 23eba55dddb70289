/**
 * SPDY/3 name/value header blocks: the raw block layout, plus zlib compression with the
 * SPDY/3 dictionary, one context per direction per session.
 *
 * Why our own (see frames.ts and shared/design/spdy-notes.md): spdy-transport's block
 * parser rejects kubectl's headers-only SYN_STREAMs (streamtype/port/requestid, no
 * :method/:path) and only worked with patches to its private internals; our framer passed
 * everything and bounds memory by construction (maxBlockBytes below).
 *
 * Why one shared zlib context per direction: SPDY never resets the compressor between
 * frames, so block N can refer back into blocks 1..N-1; every block (SYN_STREAM,
 * SYN_REPLY, HEADERS) must be inflated, in frame order, even if its headers are unused.
 * Each block ends with a Z_SYNC_FLUSH (the empty stored block `00 00 FF FF`); Go's reader
 * (kubectl) needs that to finish a block.
 *
 * Raw block layout (big-endian): u32 pair count, then per pair u32 name length, name,
 * u32 value length, value. Names are lower-case; several values for one name are joined
 * with NUL bytes.
 */
import zlib from 'node:zlib';
import { SpdyProtocolError } from './frames.js';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

/** Header pairs in wire order. A value may hold several values separated by '\0'. */
export type HeaderPairs = Array<[name: string, value: string]>;

/** Default cap on one decompressed header block; kubectl's blocks are well under 1 KiB. */
export const DEFAULT_MAX_HEADER_BLOCK_BYTES = 64 * 1024;

/** Builds the uncompressed name/value block. Names are lower-cased as SPDY requires. */
export function encodeNameValueBlock(pairs: HeaderPairs): Buffer {
  const parts: Buffer[] = [u32(pairs.length)];
  for (const [name, value] of pairs) {
    if (name === '') throw new SpdyProtocolError('empty header name');
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/**
 * Parses an uncompressed name/value block. Rejects truncated blocks, trailing bytes,
 * empty and duplicate names (SPDY/3 section 2.6.10: each is a protocol error).
 * Upper-case names are lower-cased rather than rejected, to be lenient with peers.
 */
export function decodeNameValueBlock(block: Buffer): HeaderPairs {
  let at = 0;
  const read = (what: string): Buffer => {
    if (at + 4 > block.length) throw new SpdyProtocolError(`header block truncated reading ${what} length`);
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new SpdyProtocolError(`header block truncated: ${what} of ${len} bytes, ${block.length - at} left`);
    const out = block.subarray(at, at + len);
    at += len;
    return out;
  };
  if (block.length < 4) throw new SpdyProtocolError('header block shorter than its 4-byte pair count');
  const count = block.readUInt32BE(0);
  at = 4;
  // Each pair takes at least 8 bytes, so a huge count in a small block is caught early.
  if (count * 8 > block.length - 4) throw new SpdyProtocolError(`header block claims ${count} pairs in ${block.length} bytes`);
  const pairs: HeaderPairs = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const name = read('name').toString('utf8').toLowerCase();
    const value = read('value').toString('utf8');
    if (name === '') throw new SpdyProtocolError('empty header name');
    if (seen.has(name)) throw new SpdyProtocolError(`duplicate header name ${JSON.stringify(name)}`);
    seen.add(name);
    pairs.push([name, value]);
  }
  if (at !== block.length) throw new SpdyProtocolError(`header block has ${block.length - at} trailing bytes`);
  return pairs;
}

/** Header pairs as a plain object (first value of each name; NUL-joined values kept as is). */
export function headerRecord(pairs: HeaderPairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[name] = value;
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/**
 * Runs zlib steps one at a time: both contexts are stateful streams, and a block must be
 * fully flushed before the next is written or outputs would interleave.
 */
class SerialZlib {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  constructor(private readonly stream: zlib.Inflate | zlib.Deflate, private readonly maxOutputBytes: number, private readonly what: string) {
    // A zlib stream that errors is dead; remember why so every later block fails the same way.
    stream.on('error', (err) => {
      this.failure ??= new SpdyProtocolError(`${what}: ${err.message}`);
    });
  }

  process(input: Buffer): Promise<Buffer> {
    const run = this.tail.then(() => this.step(input));
    this.tail = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.stream.close();
  }

  private step(input: Buffer): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const chunks: Buffer[] = [];
      let size = 0;
      const cleanup = (): void => {
        this.stream.off('data', onData);
        this.stream.off('error', onError);
      };
      const fail = (err: Error): void => {
        this.failure ??= err instanceof SpdyProtocolError ? err : new SpdyProtocolError(`${this.what}: ${err.message}`);
        cleanup();
        // The context is out of step with the peer now; nothing later can be decoded.
        this.stream.destroy();
        reject(this.failure);
      };
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > this.maxOutputBytes) return fail(new SpdyProtocolError(`${this.what}: header block over the ${this.maxOutputBytes}-byte limit`));
        chunks.push(chunk);
      };
      const onError = (err: Error): void => fail(err);
      this.stream.on('data', onData);
      this.stream.on('error', onError);
      this.stream.write(input);
      this.stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (this.failure) return;
        cleanup();
        resolve(Buffer.concat(chunks, size));
      });
    });
  }
}

/** Inbound side: decompresses the peer's header blocks through one shared inflate context. */
export class HeaderDecompressor {
  private readonly zlib: SerialZlib;

  constructor(options: { maxBlockBytes?: number } = {}) {
    this.zlib = new SerialZlib(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }), options.maxBlockBytes ?? DEFAULT_MAX_HEADER_BLOCK_BYTES, 'header inflate');
  }

  /**
   * Decompresses and parses one block. Call for every block in frame order; calls are
   * queued, so order of calls is order of processing. Rejects with SpdyProtocolError.
   */
  async decompress(compressed: Buffer): Promise<HeaderPairs> {
    return decodeNameValueBlock(await this.zlib.process(compressed));
  }

  close(): void {
    this.zlib.close();
  }
}

/** Outbound side: compresses our header blocks through one shared deflate context. */
export class HeaderCompressor {
  private readonly zlib: SerialZlib;

  constructor() {
    this.zlib = new SerialZlib(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }), Number.MAX_SAFE_INTEGER, 'header deflate');
  }

  /**
   * Compresses one block (ending in a sync flush). Write the resulting frames in the
   * order of these calls: the peer inflates them in wire order through one context.
   */
  compress(pairs: HeaderPairs): Promise<Buffer> {
    return this.zlib.process(encodeNameValueBlock(pairs));
  }

  close(): void {
    this.zlib.close();
  }
}

/**
 * A synchronous alternative to HeaderCompressor that needs no deflater: each block is a
 * stored (uncompressed) deflate block plus the empty sync-flush block, behind a zlib
 * header announcing the SPDY dictionary on the first block. spdy-notes.md tested this
 * shape against kubectl 1.27–1.33; it lets a session build SYN_REPLY frames synchronously,
 * so frame order on the wire can never drift from compression order.
 */
export class StoredHeaderEncoder {
  private started = false;

  encode(pairs: HeaderPairs): Buffer {
    const raw = encodeNameValueBlock(pairs);
    const parts: Buffer[] = [];
    if (!this.started) {
      // CMF 0x78 (deflate, 32 KiB window), FLG 0xBB (FDICT set, check bits), then the dictionary id.
      parts.push(Buffer.from([0x78, 0xbb]), u32(adler32(SPDY3_DICTIONARY)));
      this.started = true;
    }
    // raw is never empty (it starts with the pair count), so at least one block is written.
    for (let at = 0; at < raw.length; at += 0xffff) {
      const piece = raw.subarray(at, at + 0xffff);
      const head = Buffer.alloc(5);
      head.writeUInt8(0, 0); // BFINAL=0, BTYPE=00 (stored)
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
    }
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/** Adler-32 (RFC 1950), as zlib uses for the preset-dictionary id. */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
