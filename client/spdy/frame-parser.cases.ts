/** Incremental frame parsing: every chunk split, bounded memory, malformed input rejected. */
import t from 'tap';
import { FrameParser } from './frame-parser.js';
import { encodeFrame, SpdyProtocolError, type Frame } from './frames.js';

const frames: Frame[] = [
  { kind: 'syn_stream', streamId: 1, associatedStreamId: 0, priority: 0, slot: 0, fin: false, unidirectional: false, headerBlock: Buffer.from('compressed-headers') },
  { kind: 'data', streamId: 1, fin: false, data: Buffer.from('stdin bytes') },
  { kind: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) },
  { kind: 'ping', id: 1 },
  { kind: 'settings', clear: false, entries: [{ flags: 0, id: 7, value: 1 }] },
  { kind: 'rst_stream', streamId: 1, status: 5 },
  { kind: 'goaway', lastGoodStreamId: 1, status: 0 },
];
const wire = Buffer.concat(frames.map(encodeFrame));

t.test('one chunk with many frames', async (t) => {
  t.same(new FrameParser().push(wire), frames);
});

t.test('split into two chunks at every byte boundary', async (t) => {
  for (let cut = 0; cut <= wire.length; cut++) {
    const parser = new FrameParser();
    const got = [...parser.push(wire.subarray(0, cut)), ...parser.push(wire.subarray(cut))];
    if (!t.same(got, frames, `cut at ${cut}`)) break;
    t.equal(parser.pendingBytes, 0);
  }
});

t.test('split into three chunks at every pair of boundaries', async (t) => {
  let failures = 0;
  for (let a = 0; a <= wire.length; a++) {
    for (let b = a; b <= wire.length; b++) {
      const parser = new FrameParser();
      const got = [...parser.push(wire.subarray(0, a)), ...parser.push(wire.subarray(a, b)), ...parser.push(wire.subarray(b))];
      if (JSON.stringify(got) !== JSON.stringify(frames)) failures++;
    }
  }
  t.equal(failures, 0, 'every three-way split yields the same frames');
});

t.test('one byte at a time (as kubectl 1.31+ sometimes sends WebSocket messages)', async (t) => {
  const parser = new FrameParser();
  const got: Frame[] = [];
  for (const byte of wire) got.push(...parser.push(Buffer.from([byte])));
  t.same(got, frames);
  t.doesNotThrow(() => parser.end());
});

t.test('a frame does not pin the caller chunk', async (t) => {
  const chunk = encodeFrame({ kind: 'data', streamId: 1, fin: false, data: Buffer.from('abc') });
  const [frame] = new FrameParser().push(chunk);
  chunk.fill(0);
  t.same(frame, { kind: 'data', streamId: 1, fin: false, data: Buffer.from('abc') });
});

t.test('an oversized frame is rejected from its header, before its payload is buffered', async (t) => {
  const parser = new FrameParser({ maxFrameBytes: 16 });
  t.same(parser.push(encodeFrame({ kind: 'data', streamId: 1, fin: false, data: Buffer.alloc(16) })).length, 1, 'exactly the limit is fine');
  const big = encodeFrame({ kind: 'data', streamId: 3, fin: false, data: Buffer.alloc(17) });
  t.same(parser.push(big.subarray(0, 7)), []);
  t.equal(parser.pendingBytes, 7);
  t.throws(() => parser.push(big.subarray(7, 8)), { name: 'SpdyProtocolError', message: /DATA frame on stream 3 declares 17 bytes, over the 16-byte limit/ });
  t.equal(parser.pendingBytes, 0, 'nothing held after the failure');
  t.throws(() => parser.push(Buffer.alloc(1)), /over the 16-byte limit/, 'the parser stays failed');
  const control = new FrameParser({ maxFrameBytes: 8 });
  t.throws(() => control.push(encodeFrame({ kind: 'syn_reply', streamId: 1, fin: false, headerBlock: Buffer.alloc(5) })), /control frame type 2 declares 9 bytes/);
});

t.test('pending bytes never exceed one frame', async (t) => {
  const parser = new FrameParser({ maxFrameBytes: 1024 });
  const data = Buffer.concat(Array.from({ length: 20 }, (_, i) => encodeFrame({ kind: 'data', streamId: 1, fin: false, data: Buffer.alloc(1000, i) })));
  let most = 0;
  let count = 0;
  for (let at = 0; at < data.length; at += 300) {
    count += parser.push(data.subarray(at, at + 300)).length;
    most = Math.max(most, parser.pendingBytes);
  }
  t.equal(count, 20);
  t.ok(most <= 1008, `at most one frame buffered (saw ${most})`);
});

t.test('malformed input is rejected and the parser stays failed', async (t) => {
  const rows: Array<{ name: string; bytes: Buffer; message: RegExp }> = [
    { name: 'SPDY/2 frame', bytes: Buffer.from('8002000600000004' + '00000001', 'hex'), message: /unsupported SPDY version 2/ },
    { name: 'PING with 5 bytes', bytes: Buffer.from('8003000600000005' + '0000000100', 'hex'), message: /PING payload must be 4/ },
    { name: 'DATA on stream 0', bytes: Buffer.from('0000000000000001' + '61', 'hex'), message: /DATA frame on stream 0/ },
    { name: 'HTTP text instead of SPDY', bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n'), message: /unsupported SPDY version|stream|payload|over the/ },
  ];
  for (const row of rows) {
    const parser = new FrameParser({ maxFrameBytes: 64 * 1024 });
    t.throws(() => parser.push(row.bytes), { name: 'SpdyProtocolError', message: row.message }, row.name);
    t.throws(() => parser.push(encodeFrame({ kind: 'ping', id: 1 })), SpdyProtocolError, `${row.name}: later input fails too`);
  }
});

t.test('end() inside a frame is an error; between frames it is fine', async (t) => {
  const parser = new FrameParser();
  parser.push(wire.subarray(0, 10));
  t.throws(() => parser.end(), /connection ended inside a frame \(10 bytes pending\)/);
  const clean = new FrameParser();
  clean.push(wire);
  t.doesNotThrow(() => clean.end());
});

t.test('maxFrameBytes is validated', async (t) => {
  t.throws(() => new FrameParser({ maxFrameBytes: 0x1000000 }), RangeError);
  t.throws(() => new FrameParser({ maxFrameBytes: 4 }), RangeError);
  t.equal(new FrameParser().maxFrameBytes, 0xffffff);
});
