/** SPDY/3 header blocks: raw layout, shared zlib contexts across frames, the dictionary, malformed blocks. */
import t from 'tap';
import zlib from 'node:zlib';
import { FrameParser } from './frame-parser.js';
import { encodeFrame, type Frame } from './frames.js';
import {
  adler32, decodeNameValueBlock, encodeNameValueBlock, HeaderCompressor, HeaderDecompressor, headerRecord,
  StoredHeaderEncoder, type HeaderPairs,
} from './header-compression.js';
import { SPDY3_DICTIONARY, SPDY3_DICTIONARY_ADLER32 } from './spdy-dictionary.js';

// What kubectl's port-forward and exec clients put in their SYN_STREAMs (no :method/:path).
const blocks: HeaderPairs[] = [
  [['streamtype', 'error'], ['port', '8080'], ['requestid', '0']],
  [['streamtype', 'data'], ['port', '8080'], ['requestid', '0']],
  [['streamtype', 'stdin']],
  [['streamtype', 'resize'], ['x-multi', 'a\0b']],
  [],
  [['streamtype', 'data'], ['port', '8080'], ['requestid', '1'], ['x-long', 'v'.repeat(70000)]],
];

t.test('the dictionary is the SPDY/3 one (length and Adler-32 from the spec)', async (t) => {
  t.equal(SPDY3_DICTIONARY.length, 1423);
  t.equal(adler32(SPDY3_DICTIONARY), SPDY3_DICTIONARY_ADLER32);
  t.equal(SPDY3_DICTIONARY_ADLER32, 0xe3c6a7c2);
  t.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398, 'adler32 itself matches the RFC 1950 example');
});

t.test('raw name/value blocks round-trip and have the documented layout', async (t) => {
  for (const pairs of blocks) t.same(decodeNameValueBlock(encodeNameValueBlock(pairs)), pairs, JSON.stringify(pairs).slice(0, 60));
  t.equal(encodeNameValueBlock([['A', 'b']]).toString('hex'), '00000001' + '00000001' + '61' + '00000001' + '62', 'names lower-cased');
  t.same(headerRecord([['streamtype', 'error'], ['port', '80']]), { streamtype: 'error', port: '80' });
});

t.test('malformed raw blocks are rejected', async (t) => {
  const rows: Array<{ name: string; hex: string; message: RegExp }> = [
    { name: 'shorter than the count', hex: '0000', message: /shorter than its 4-byte pair count/ },
    { name: 'count too large for the block', hex: '00000002' + '00000000' + '00000000', message: /claims 2 pairs/ },
    { name: 'name runs past the end', hex: '00000001' + '00000009' + '61626300', message: /truncated: name of 9 bytes, 4 left/ },
    { name: 'value length missing', hex: '00000001' + '00000001' + '61' + '000000', message: /truncated reading value length/ },
    { name: 'empty name', hex: '00000001' + '00000000' + '00000000', message: /empty header name/ },
    { name: 'duplicate name', hex: '00000002' + '0000000161' + '0000000162' + '0000000141' + '0000000163', message: /duplicate header name "a"/ },
    { name: 'trailing bytes', hex: '00000000' + 'ff', message: /1 trailing bytes/ },
  ];
  for (const row of rows) t.throws(() => decodeNameValueBlock(Buffer.from(row.hex, 'hex')), { name: 'SpdyProtocolError', message: row.message }, row.name);
});

/** Wraps compressed blocks in SYN_STREAM frames, parses them back chunk by chunk, inflates in order. */
async function throughFrames(compressed: Buffer[], chunkSize: number): Promise<HeaderPairs[]> {
  const wire = Buffer.concat(compressed.map((headerBlock, i) => encodeFrame({
    kind: 'syn_stream', streamId: 2 * i + 1, associatedStreamId: 0, priority: 0, slot: 0, fin: false, unidirectional: false, headerBlock,
  })));
  const parser = new FrameParser();
  const frames: Frame[] = [];
  for (let at = 0; at < wire.length; at += chunkSize) frames.push(...parser.push(wire.subarray(at, at + chunkSize)));
  const inflater = new HeaderDecompressor({ maxBlockBytes: 128 * 1024 });
  try {
    // Started together on purpose: the decompressor must queue them in call order.
    return await Promise.all(frames.map((f) => inflater.decompress(f.kind === 'syn_stream' ? f.headerBlock : Buffer.alloc(0))));
  } finally {
    inflater.close();
  }
}

t.test('deflate context shared across several frames, inflated through one context', async (t) => {
  const deflater = new HeaderCompressor();
  const compressed = await Promise.all(blocks.map((b) => deflater.compress(b)));
  deflater.close();
  for (const [i, c] of compressed.entries()) t.equal(c.subarray(-4).toString('hex'), '0000ffff', `block ${i} ends with a sync flush`);
  t.equal(compressed[0]!.readUInt32BE(2), SPDY3_DICTIONARY_ADLER32, 'first block announces the SPDY dictionary');
  t.equal(compressed[0]![1]! & 0x20, 0x20, 'FDICT flag set');
  t.ok(compressed[1]!.length < encodeNameValueBlock(blocks[1]!).length / 2, 'later blocks reuse earlier ones (shared context)');
  for (const chunkSize of [1, 3, 7, 64, 100000]) t.same(await throughFrames(compressed, chunkSize), blocks, `chunks of ${chunkSize}`);
  // Inflating a later block alone (fresh context) fails: proof the context is shared, not per block.
  const fresh = new HeaderDecompressor();
  await t.rejects(fresh.decompress(compressed[1]!), { name: 'SpdyProtocolError' }, 'a later block cannot be read without the earlier ones');
  fresh.close();
});

t.test('stored-block encoder: what a Go/zlib reader sees', async (t) => {
  const encoder = new StoredHeaderEncoder();
  const compressed = blocks.map((b) => encoder.encode(b));
  t.equal(compressed[0]!.subarray(0, 6).toString('hex'), '78bbe3c6a7c2', 'zlib header with the dictionary id, first block only');
  t.not(compressed[1]!.subarray(0, 2).toString('hex'), '78bb');
  for (const [i, c] of compressed.entries()) t.equal(c.subarray(-5).toString('hex'), '000000ffff', `block ${i} ends with the empty stored block`);
  t.same(await throughFrames(compressed, 5), blocks, 'our inflater reads them');
  // node's own zlib (an independent reader) accepts the whole stream with the dictionary.
  const all = zlib.inflateSync(Buffer.concat(compressed), { dictionary: SPDY3_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  t.same(all, Buffer.concat(blocks.map(encodeNameValueBlock)));
});

t.test('malformed compressed blocks fail the session context, with clear errors', async (t) => {
  const garbage = new HeaderDecompressor();
  await t.rejects(garbage.decompress(Buffer.from('not zlib at all')), { name: 'SpdyProtocolError', message: /header inflate/ });
  await t.rejects(garbage.decompress(new StoredHeaderEncoder().encode([['a', 'b']])), { name: 'SpdyProtocolError' }, 'the context stays failed');
  garbage.close();

  const wrongDictionary = new HeaderDecompressor();
  const otherDict = zlib.deflateSync(encodeNameValueBlock([['a', 'b']]), { dictionary: Buffer.from('other dictionary') });
  await t.rejects(wrongDictionary.decompress(otherDict), { name: 'SpdyProtocolError' }, 'a block primed with another dictionary');
  wrongDictionary.close();

  const bounded = new HeaderDecompressor({ maxBlockBytes: 1000 });
  const big = new StoredHeaderEncoder().encode([['x', 'y'.repeat(5000)]]);
  await t.rejects(bounded.decompress(big), { message: /over the 1000-byte limit/ });
  bounded.close();

  const badLayout = new HeaderDecompressor();
  const enc = new StoredHeaderEncoder();
  const dup = Buffer.concat([enc.encode([]).subarray(0, 6), storedBlock(Buffer.from('00000002' + '0000000161' + '0000000162' + '0000000161' + '0000000162', 'hex'))]);
  await t.rejects(badLayout.decompress(dup), { message: /duplicate header name/ });
  badLayout.close();
});

function storedBlock(raw: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt16LE(raw.length, 1);
  head.writeUInt16LE(~raw.length & 0xffff, 3);
  return Buffer.concat([head, raw, Buffer.from('000000ffff', 'hex')]);
}
