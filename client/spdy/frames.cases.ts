/** SPDY/3.1 frame encode/decode: round trips, exact bytes kubectl sends, malformed frames rejected. */
import t from 'tap';
import { decodeFrame, decodeFrameHeader, encodeFrame, FRAME_HEADER_BYTES, RstStatus, SpdyProtocolError, type Frame } from './frames.js';

function decodeBytes(bytes: Buffer): Frame {
  return decodeFrame(decodeFrameHeader(bytes), bytes.subarray(FRAME_HEADER_BYTES));
}

const sampleFrames: Array<{ name: string; frame: Frame }> = [
  { name: 'DATA', frame: { kind: 'data', streamId: 1, fin: false, data: Buffer.from('hello') } },
  { name: 'DATA empty with FIN (how a stream half-closes)', frame: { kind: 'data', streamId: 0x7fffffff, fin: true, data: Buffer.alloc(0) } },
  { name: 'SYN_STREAM headers-only', frame: { kind: 'syn_stream', streamId: 3, associatedStreamId: 0, priority: 0, slot: 0, fin: false, unidirectional: false, headerBlock: Buffer.from([1, 2, 3]) } },
  { name: 'SYN_STREAM all fields', frame: { kind: 'syn_stream', streamId: 5, associatedStreamId: 2, priority: 7, slot: 9, fin: true, unidirectional: true, headerBlock: Buffer.alloc(0) } },
  { name: 'SYN_REPLY', frame: { kind: 'syn_reply', streamId: 1, fin: false, headerBlock: Buffer.from([0x78, 0xbb]) } },
  { name: 'SYN_REPLY FIN', frame: { kind: 'syn_reply', streamId: 9, fin: true, headerBlock: Buffer.alloc(0) } },
  { name: 'RST_STREAM CANCEL', frame: { kind: 'rst_stream', streamId: 7, status: RstStatus.CANCEL } },
  { name: 'SETTINGS', frame: { kind: 'settings', clear: true, entries: [{ flags: 1, id: 7, value: 65536 }, { flags: 0, id: 4, value: 100 }] } },
  { name: 'SETTINGS empty', frame: { kind: 'settings', clear: false, entries: [] } },
  { name: 'PING', frame: { kind: 'ping', id: 0xfffffffe } },
  { name: 'GOAWAY', frame: { kind: 'goaway', lastGoodStreamId: 11, status: 0 } },
  { name: 'HEADERS', frame: { kind: 'headers', streamId: 1, fin: true, headerBlock: Buffer.from('x') } },
  { name: 'WINDOW_UPDATE', frame: { kind: 'window_update', streamId: 0, delta: 0x7fffffff } },
  { name: 'unknown control type (ignored by sessions, not rejected)', frame: { kind: 'unknown_control', type: 10, flags: 0, payload: Buffer.from('cred') } },
];

t.test('every frame type round-trips', async (t) => {
  for (const { name, frame } of sampleFrames) t.same(decodeBytes(encodeFrame(frame)), frame, name);
});

t.test('exact bytes on the wire', async (t) => {
  const rows: Array<{ name: string; frame: Frame; hex: string }> = [
    { name: 'PING', frame: { kind: 'ping', id: 1 }, hex: '80030006' + '00000004' + '00000001' },
    { name: 'RST_STREAM', frame: { kind: 'rst_stream', streamId: 3, status: 5 }, hex: '80030003' + '00000008' + '00000003' + '00000005' },
    { name: 'DATA with FIN', frame: { kind: 'data', streamId: 1, fin: true, data: Buffer.from('ab') }, hex: '00000001' + '01000002' + '6162' },
    { name: 'SYN_REPLY', frame: { kind: 'syn_reply', streamId: 2, fin: false, headerBlock: Buffer.from([0xaa]) }, hex: '80030002' + '00000005' + '00000002' + 'aa' },
    { name: 'SYN_STREAM priority in the top 3 bits', frame: { kind: 'syn_stream', streamId: 1, associatedStreamId: 0, priority: 2, slot: 0, fin: false, unidirectional: false, headerBlock: Buffer.alloc(0) }, hex: '80030001' + '0000000a' + '00000001' + '00000000' + '4000' },
    { name: 'GOAWAY', frame: { kind: 'goaway', lastGoodStreamId: 1, status: 2 }, hex: '80030007' + '00000008' + '00000001' + '00000002' },
  ];
  for (const row of rows) t.equal(encodeFrame(row.frame).toString('hex'), row.hex, row.name);
});

t.test('the reserved high bit of stream ids is ignored on decode', async (t) => {
  const bytes = Buffer.from('80030003' + '00000008' + '80000003' + '00000005', 'hex');
  t.same(decodeBytes(bytes), { kind: 'rst_stream', streamId: 3, status: 5 });
});

t.test('malformed frames are rejected with SpdyProtocolError', async (t) => {
  const rows: Array<{ name: string; hex: string; message: RegExp }> = [
    { name: 'SPDY/2 control frame', hex: '80020006' + '00000004' + '00000001', message: /unsupported SPDY version 2/ },
    { name: 'DATA on stream 0', hex: '00000000' + '00000000', message: /stream 0/ },
    { name: 'SYN_STREAM too short', hex: '80030001' + '00000004' + '00000001', message: /SYN_STREAM payload must be at least 10/ },
    { name: 'SYN_STREAM on stream 0', hex: '80030001' + '0000000a' + '00000000' + '00000000' + '0000', message: /SYN_STREAM on stream 0/ },
    { name: 'SYN_REPLY too short', hex: '80030002' + '00000002' + '0000', message: /SYN_REPLY payload must be at least 4/ },
    { name: 'RST_STREAM wrong length', hex: '80030003' + '00000004' + '00000001', message: /RST_STREAM payload must be 8/ },
    { name: 'RST_STREAM on stream 0', hex: '80030003' + '00000008' + '00000000' + '00000005', message: /RST_STREAM on stream 0/ },
    { name: 'PING wrong length', hex: '80030006' + '00000008' + '00000001' + '00000002', message: /PING payload must be 4/ },
    { name: 'GOAWAY wrong length', hex: '80030007' + '00000004' + '00000001', message: /GOAWAY payload must be 8/ },
    { name: 'WINDOW_UPDATE delta 0', hex: '80030009' + '00000008' + '00000001' + '00000000', message: /delta 0/ },
    { name: 'SETTINGS count mismatch', hex: '80030004' + '0000000c' + '00000002' + '0000000100000001', message: /SETTINGS says 2 entries/ },
  ];
  for (const row of rows) {
    t.throws(() => decodeBytes(Buffer.from(row.hex, 'hex')), { name: 'SpdyProtocolError', message: row.message }, row.name);
  }
  t.throws(() => decodeFrame(decodeFrameHeader(Buffer.from('8003000600000004', 'hex')), Buffer.alloc(3)), /frame length 4 but 3/, 'payload shorter than the header says');
  t.throws(() => decodeFrameHeader(Buffer.alloc(7)), SpdyProtocolError, 'short header');
});

t.test('encode refuses frames it cannot represent', async (t) => {
  t.throws(() => encodeFrame({ kind: 'data', streamId: 0, fin: false, data: Buffer.alloc(0) }), /invalid stream id 0/);
  t.throws(() => encodeFrame({ kind: 'data', streamId: 2 ** 31, fin: false, data: Buffer.alloc(0) }), /invalid stream id/);
  t.throws(() => encodeFrame({ kind: 'data', streamId: 1, fin: false, data: Buffer.alloc(0x1000000) }), /24-bit length/);
  t.throws(() => encodeFrame({ kind: 'window_update', streamId: 1, delta: 0 }), /invalid delta/);
});
