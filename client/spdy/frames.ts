/**
 * SPDY/3.1 frames: pure encode/decode of the 8-byte frame header, data frames and the
 * control frames kubectl's SPDY client (moby/spdystream, kubectl 1.27–1.33) sends or expects.
 *
 * Why our own framer rather than spdy-transport: tested against kubectl 1.27–1.33
 * (shared/design/spdy-notes.md), spdy-transport only worked after monkey-patching its
 * private internals — it rejects kubectl's headers-only SYN_STREAMs (no :method/:path),
 * stalls at 64 KiB because kubectl never sends WINDOW_UPDATE, and has no backpressure —
 * while a small framer of our own passed the whole matrix and bounds memory by
 * construction. Header blocks stay compressed bytes here: decompression must run in
 * frame order through one shared zlib context (header-compression.ts), not per frame.
 *
 * Wire layout (big-endian): control = 1 bit C=1, 15 bit version, u16 type, u8 flags,
 * u24 length; data = 1 bit C=0, u31 stream id, u8 flags, u24 length.
 */

export const SPDY_VERSION = 3;
export const FRAME_HEADER_BYTES = 8;
/** The largest payload a 24-bit length field can carry. */
export const MAX_FRAME_PAYLOAD_BYTES = 0xffffff;
const MAX_STREAM_ID = 0x7fffffff;

export const ControlType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const FLAG_SETTINGS_CLEAR = 0x01;

/** RST_STREAM status codes (SPDY/3 section 2.6.3). kubectl closes its streams with CANCEL. */
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
  FRAME_TOO_LARGE: 11,
} as const;

/** GOAWAY status codes. */
export const GoawayStatus = { OK: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2 } as const;

export interface DataFrame { kind: 'data'; streamId: number; fin: boolean; data: Buffer }
/** headerBlock is the compressed name/value block, exactly as on the wire. */
export interface SynStreamFrame {
  kind: 'syn_stream'; streamId: number; associatedStreamId: number; priority: number; slot: number;
  fin: boolean; unidirectional: boolean; headerBlock: Buffer;
}
export interface SynReplyFrame { kind: 'syn_reply'; streamId: number; fin: boolean; headerBlock: Buffer }
export interface RstStreamFrame { kind: 'rst_stream'; streamId: number; status: number }
export interface SettingsEntry { flags: number; id: number; value: number }
export interface SettingsFrame { kind: 'settings'; clear: boolean; entries: SettingsEntry[] }
export interface PingFrame { kind: 'ping'; id: number }
export interface GoawayFrame { kind: 'goaway'; lastGoodStreamId: number; status: number }
export interface HeadersFrame { kind: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
export interface WindowUpdateFrame { kind: 'window_update'; streamId: number; delta: number }
/** The spec says unknown control types are ignored, so they are surfaced, not rejected. */
export interface UnknownControlFrame { kind: 'unknown_control'; type: number; flags: number; payload: Buffer }

export type Frame =
  | DataFrame | SynStreamFrame | SynReplyFrame | RstStreamFrame | SettingsFrame | PingFrame
  | GoawayFrame | HeadersFrame | WindowUpdateFrame | UnknownControlFrame;

/** A malformed or unsupported frame; the session should answer with GOAWAY/RST and close. */
export class SpdyProtocolError extends Error {
  constructor(message: string, readonly streamId?: number) {
    super(`spdy: ${message}`);
    this.name = 'SpdyProtocolError';
  }
}

/** The decoded 8-byte frame header. */
export type FrameHeader =
  | { control: true; version: number; type: number; flags: number; length: number }
  | { control: false; streamId: number; flags: number; length: number };

export function decodeFrameHeader(head: Buffer): FrameHeader {
  if (head.length < FRAME_HEADER_BYTES) throw new SpdyProtocolError(`frame header needs 8 bytes, got ${head.length}`);
  const first = head.readUInt32BE(0);
  const flags = head.readUInt8(4);
  const length = head.readUIntBE(5, 3);
  if (first & 0x80000000) {
    return { control: true, version: (first >>> 16) & 0x7fff, type: first & 0xffff, flags, length };
  }
  return { control: false, streamId: first, flags, length };
}

function checkStreamId(id: number, what: string, allowZero = false): void {
  if (!Number.isInteger(id) || id < (allowZero ? 0 : 1) || id > MAX_STREAM_ID) {
    throw new SpdyProtocolError(`${what}: invalid stream id ${id}`);
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD_BYTES) throw new SpdyProtocolError(`payload of ${payload.length} bytes exceeds the 24-bit length`);
  const head = Buffer.alloc(FRAME_HEADER_BYTES);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt8(flags, 4);
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

function u32s(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  return out;
}

/** Encodes one frame. Callers chunk large data themselves (a frame carries at most 16 MiB - 1). */
export function encodeFrame(frame: Frame): Buffer {
  switch (frame.kind) {
    case 'data': {
      checkStreamId(frame.streamId, 'DATA');
      if (frame.data.length > MAX_FRAME_PAYLOAD_BYTES) throw new SpdyProtocolError(`DATA of ${frame.data.length} bytes exceeds the 24-bit length`);
      const head = Buffer.alloc(FRAME_HEADER_BYTES);
      head.writeUInt32BE(frame.streamId, 0);
      head.writeUInt8(frame.fin ? FLAG_FIN : 0, 4);
      head.writeUIntBE(frame.data.length, 5, 3);
      return Buffer.concat([head, frame.data]);
    }
    case 'syn_stream': {
      checkStreamId(frame.streamId, 'SYN_STREAM');
      checkStreamId(frame.associatedStreamId, 'SYN_STREAM associated', true);
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(frame.streamId, 0);
      fixed.writeUInt32BE(frame.associatedStreamId, 4);
      fixed.writeUInt8((frame.priority & 0x7) << 5, 8);
      fixed.writeUInt8(frame.slot & 0xff, 9);
      const flags = (frame.fin ? FLAG_FIN : 0) | (frame.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
      return controlFrame(ControlType.SYN_STREAM, flags, Buffer.concat([fixed, frame.headerBlock]));
    }
    case 'syn_reply':
    case 'headers': {
      checkStreamId(frame.streamId, frame.kind.toUpperCase());
      const type = frame.kind === 'syn_reply' ? ControlType.SYN_REPLY : ControlType.HEADERS;
      return controlFrame(type, frame.fin ? FLAG_FIN : 0, Buffer.concat([u32s(frame.streamId), frame.headerBlock]));
    }
    case 'rst_stream':
      checkStreamId(frame.streamId, 'RST_STREAM');
      return controlFrame(ControlType.RST_STREAM, 0, u32s(frame.streamId, frame.status));
    case 'settings': {
      const body = Buffer.alloc(4 + frame.entries.length * 8);
      body.writeUInt32BE(frame.entries.length, 0);
      frame.entries.forEach((e, i) => {
        body.writeUInt8(e.flags & 0xff, 4 + i * 8);
        body.writeUIntBE(e.id & 0xffffff, 5 + i * 8, 3);
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return controlFrame(ControlType.SETTINGS, frame.clear ? FLAG_SETTINGS_CLEAR : 0, body);
    }
    case 'ping':
      return controlFrame(ControlType.PING, 0, u32s(frame.id));
    case 'goaway':
      checkStreamId(frame.lastGoodStreamId, 'GOAWAY last-good', true);
      return controlFrame(ControlType.GOAWAY, 0, u32s(frame.lastGoodStreamId, frame.status));
    case 'window_update':
      checkStreamId(frame.streamId, 'WINDOW_UPDATE', true);
      if (frame.delta < 1 || frame.delta > MAX_STREAM_ID) throw new SpdyProtocolError(`WINDOW_UPDATE: invalid delta ${frame.delta}`);
      return controlFrame(ControlType.WINDOW_UPDATE, 0, u32s(frame.streamId, frame.delta));
    case 'unknown_control':
      return controlFrame(frame.type, frame.flags, frame.payload);
  }
}

function needLength(name: string, payload: Buffer, exact: number | undefined, min: number): void {
  if (exact !== undefined ? payload.length !== exact : payload.length < min) {
    throw new SpdyProtocolError(`${name} payload must be ${exact !== undefined ? `${exact}` : `at least ${min}`} bytes, got ${payload.length}`);
  }
}

/**
 * Decodes a whole frame from its header and payload (payload.length must equal the
 * header's length). Throws SpdyProtocolError for anything malformed.
 */
export function decodeFrame(header: FrameHeader, payload: Buffer): Frame {
  if (payload.length !== header.length) throw new SpdyProtocolError(`frame length ${header.length} but ${payload.length} payload bytes`);
  if (!header.control) {
    if (header.streamId === 0) throw new SpdyProtocolError('DATA frame on stream 0');
    return { kind: 'data', streamId: header.streamId, fin: (header.flags & FLAG_FIN) !== 0, data: payload };
  }
  if (header.version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${header.version} (want 3)`);
  const streamIdAt = (offset: number): number => payload.readUInt32BE(offset) & MAX_STREAM_ID;
  const fin = (header.flags & FLAG_FIN) !== 0;
  switch (header.type) {
    case ControlType.SYN_STREAM: {
      needLength('SYN_STREAM', payload, undefined, 10);
      const streamId = streamIdAt(0);
      if (streamId === 0) throw new SpdyProtocolError('SYN_STREAM on stream 0');
      return {
        kind: 'syn_stream', streamId, associatedStreamId: streamIdAt(4),
        priority: payload.readUInt8(8) >>> 5, slot: payload.readUInt8(9),
        fin, unidirectional: (header.flags & FLAG_UNIDIRECTIONAL) !== 0, headerBlock: payload.subarray(10),
      };
    }
    case ControlType.SYN_REPLY:
    case ControlType.HEADERS: {
      const name = header.type === ControlType.SYN_REPLY ? 'SYN_REPLY' : 'HEADERS';
      needLength(name, payload, undefined, 4);
      const streamId = streamIdAt(0);
      if (streamId === 0) throw new SpdyProtocolError(`${name} on stream 0`);
      return { kind: header.type === ControlType.SYN_REPLY ? 'syn_reply' : 'headers', streamId, fin, headerBlock: payload.subarray(4) };
    }
    case ControlType.RST_STREAM: {
      needLength('RST_STREAM', payload, 8, 8);
      const streamId = streamIdAt(0);
      if (streamId === 0) throw new SpdyProtocolError('RST_STREAM on stream 0');
      return { kind: 'rst_stream', streamId, status: payload.readUInt32BE(4) };
    }
    case ControlType.SETTINGS: {
      needLength('SETTINGS', payload, undefined, 4);
      const count = payload.readUInt32BE(0);
      if (payload.length !== 4 + count * 8) throw new SpdyProtocolError(`SETTINGS says ${count} entries but has ${payload.length - 4} entry bytes`);
      const entries: SettingsEntry[] = [];
      for (let i = 0; i < count; i++) {
        const at = 4 + i * 8;
        entries.push({ flags: payload.readUInt8(at), id: payload.readUIntBE(at + 1, 3), value: payload.readUInt32BE(at + 4) });
      }
      return { kind: 'settings', clear: (header.flags & FLAG_SETTINGS_CLEAR) !== 0, entries };
    }
    case ControlType.PING:
      needLength('PING', payload, 4, 4);
      return { kind: 'ping', id: payload.readUInt32BE(0) };
    case ControlType.GOAWAY:
      needLength('GOAWAY', payload, 8, 8);
      return { kind: 'goaway', lastGoodStreamId: streamIdAt(0), status: payload.readUInt32BE(4) };
    case ControlType.WINDOW_UPDATE: {
      needLength('WINDOW_UPDATE', payload, 8, 8);
      const delta = payload.readUInt32BE(4) & MAX_STREAM_ID;
      if (delta === 0) throw new SpdyProtocolError('WINDOW_UPDATE with delta 0', streamIdAt(0));
      return { kind: 'window_update', streamId: streamIdAt(0), delta };
    }
    default:
      return { kind: 'unknown_control', type: header.type, flags: header.flags, payload };
  }
}
