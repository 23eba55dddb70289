/**
 * Test-only SPDY/3.1 client: plays kubectl's side (moby/spdystream) against a SpdySession
 * over any Duplex (a socket, an in-memory pair, or a WebSocket stream). It compresses its
 * SYN_STREAM headers with a real zlib HeaderCompressor — as kubectl does — so tests also
 * exercise the session's shared inflate context, and it decodes our SYN_REPLY blocks with
 * a HeaderDecompressor, the way Go's reader would.
 *
 * Everything received is recorded in order (frames, per-stream data, decoded replies) and
 * tests wait on predicates instead of sleeping.
 */
import type { Duplex } from 'node:stream';
import { FrameParser } from '../frame-parser.js';
import { encodeFrame, type Frame } from '../frames.js';
import { HeaderCompressor, HeaderDecompressor, headerRecord, type HeaderPairs } from '../header-compression.js';

export class SpdyTestClient {
  /** every frame received, in wire order (SYN_REPLY after its block was decoded) */
  readonly frames: Frame[] = [];
  readonly replies = new Map<number, Record<string, string>>();
  readonly data = new Map<number, Buffer[]>();
  readonly fins = new Set<number>();
  closed = false;
  parseError: Error | undefined;
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly parser = new FrameParser();
  private outbound: Promise<void> = Promise.resolve();
  private inbound: Promise<void> = Promise.resolve();
  private waiters: Array<() => void> = [];

  /** write: how raw bytes go out (default socket.write; the WebSocket test splits them into messages). */
  constructor(readonly socket: Duplex, private readonly write: (bytes: Buffer) => void = (b) => void socket.write(b)) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.inbound = this.inbound.then(() => this.notify());
    });
  }

  /** Sends SYN_STREAM with compressed headers; frames keep the order of calls. */
  synStream(streamId: number, headers: HeaderPairs, fin = false): Promise<void> {
    return this.enqueue(async () => {
      const headerBlock = await this.compressor.compress(headers);
      this.write(encodeFrame({ kind: 'syn_stream', streamId, associatedStreamId: 0, priority: 0, slot: 0, fin, unidirectional: false, headerBlock }));
    });
  }

  /** Sends HEADERS with a compressed block (advances the shared context like SYN_STREAM). */
  headers(streamId: number, headers: HeaderPairs, fin = false): Promise<void> {
    return this.enqueue(async () => {
      const headerBlock = await this.compressor.compress(headers);
      this.write(encodeFrame({ kind: 'headers', streamId, fin, headerBlock }));
    });
  }

  send(frame: Frame): Promise<void> {
    return this.enqueue(async () => this.write(encodeFrame(frame)));
  }

  raw(bytes: Buffer): Promise<void> {
    return this.enqueue(async () => this.write(bytes));
  }

  /** Resolves with the first received frame matching pred (looking at earlier frames too). */
  waitFor(pred: (frame: Frame) => boolean): Promise<Frame> {
    return this.until(() => this.frames.find(pred));
  }

  /** Resolves once cond() returns something other than undefined/false; rejects if the socket closed first. */
  until<T>(cond: () => T | undefined | false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const value = cond();
        if (value !== undefined && value !== false) {
          resolve(value);
          return true;
        }
        if (this.closed) {
          reject(new Error('connection closed before the condition held'));
          return true;
        }
        return false;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
    });
  }

  dataOf(streamId: number): Buffer {
    return Buffer.concat(this.data.get(streamId) ?? []);
  }

  close(): void {
    this.compressor.close();
    this.decompressor.close();
    this.socket.destroy();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.outbound.then(step);
    this.outbound = run.catch(() => undefined);
    return run;
  }

  private onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      this.parseError = err as Error;
      return;
    }
    for (const frame of frames) this.inbound = this.inbound.then(() => this.receive(frame));
  }

  private async receive(frame: Frame): Promise<void> {
    if (frame.kind === 'syn_reply' || frame.kind === 'headers' || frame.kind === 'syn_stream') {
      const pairs = await this.decompressor.decompress(frame.headerBlock).catch((err: Error) => {
        this.parseError = err;
        return [] as HeaderPairs;
      });
      if (frame.kind === 'syn_reply') this.replies.set(frame.streamId, headerRecord(pairs));
    }
    if (frame.kind === 'data') {
      if (frame.data.length > 0) {
        const list = this.data.get(frame.streamId) ?? [];
        list.push(frame.data);
        this.data.set(frame.streamId, list);
      }
      if (frame.fin) this.fins.add(frame.streamId);
    }
    this.frames.push(frame);
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
