/**
 * SpdySession/SpdyStream against a test client playing kubectl's side, over real
 * 127.0.0.1 sockets, an in-memory Duplex pair (deterministic backpressure) and a
 * WebSocket stream split into tiny messages the way kubectl 1.31+ sends them.
 */
import t, { type Test } from 'tap';
import net from 'node:net';
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, createWebSocketStream } from 'ws';
import { SpdySession, SpdyStream, type SpdySessionOptions } from './session.js';
import { MAX_DATA_FRAME_BYTES } from './spdy-stream.js';
import { encodeFrame, GoawayStatus, RstStatus, type Frame } from './frames.js';
import { HeaderCompressor, type HeaderPairs } from './header-compression.js';
import { createDuplexPair } from './testing/duplex-pair.js';
import { SpdyTestClient } from './testing/spdy-test-client.js';

type Transport = 'net' | 'memory';
const transports: Transport[] = ['net', 'memory'];

interface Harness {
  session: SpdySession;
  client: SpdyTestClient;
  serverSocket: Duplex;
  streams: SpdyStream[];
  errors: Error[];
  closes: number;
  /** resolves with the next stream the session announces */
  nextStream(): Promise<SpdyStream>;
}

async function socketPair(transport: Transport): Promise<{ server: Duplex; client: Duplex; cleanup: () => Promise<void> }> {
  if (transport === 'memory') {
    const [server, client] = createDuplexPair();
    return { server, client, cleanup: async () => { server.destroy(); client.destroy(); } };
  }
  const listener = net.createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  const server = await accepted;
  server.on('error', () => undefined);
  return {
    server, client,
    cleanup: async () => {
      client.destroy();
      server.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

async function setup(t: Test, transport: Transport, options: SpdySessionOptions = {}): Promise<Harness> {
  const pair = await socketPair(transport);
  const session = new SpdySession(pair.server, options);
  const client = new SpdyTestClient(pair.client);
  const harness: Harness = {
    session, client, serverSocket: pair.server, streams: [], errors: [], closes: 0,
    nextStream: () => new Promise((resolve) => session.once('stream', resolve)),
  };
  session.on('stream', (s) => harness.streams.push(s));
  session.on('error', (err) => harness.errors.push(err));
  session.on('close', () => harness.closes++);
  t.teardown(async () => {
    session.destroy();
    client.close();
    await pair.cleanup();
  });
  return harness;
}

const closed = (stream: SpdyStream): Promise<void> =>
  stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once('close', () => resolve()));
const sessionClosed = (h: Harness): Promise<void> =>
  h.closes > 0 ? Promise.resolve() : new Promise((resolve) => h.session.once('close', () => resolve()));
const readAll = (stream: SpdyStream): Promise<Buffer> => new Promise((resolve) => {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => resolve(Buffer.concat(chunks)));
});
const isRst = (id: number, status?: number) => (f: Frame) => f.kind === 'rst_stream' && f.streamId === id && (status === undefined || f.status === status);

/** Waits until fn() stops changing over a few polls: "the pipe has stalled", without asserting any duration. */
async function settled(fn: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  while (same < 5) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = fn();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

const kubectlExecStreams: HeaderPairs[] = [
  [['streamtype', 'error']],
  [['streamtype', 'stdin']],
  [['streamtype', 'stdout']],
  [['streamtype', 'resize']],
];

for (const transport of transports) {
  t.test(`${transport}: SYN_STREAM -> 'stream' with headers; respond -> decodable SYN_REPLY`, async (t) => {
    const h = await setup(t, transport);
    const replies: Array<Record<string, string>> = [{}, { 'x-stream-protocol-version': 'v4.channel.k8s.io' }, {}, { a: 'b', c: '' }];
    for (const [i, headers] of kubectlExecStreams.entries()) {
      const id = 1 + i * 2;
      const next = h.nextStream();
      await h.client.synStream(id, headers);
      const stream = await next;
      t.equal(stream.id, id);
      t.same(stream.headers, Object.fromEntries(headers), `stream ${id} headers`);
      stream.respond(replies[i]);
      stream.respond({ ignored: 'second call' });
      t.same(await h.client.until(() => h.client.replies.get(id)), replies[i], `SYN_REPLY ${id} decodes`);
    }
    t.equal(h.session.streamCount, 4);
    t.equal(h.client.frames.filter((f) => f.kind === 'syn_reply').length, 4, 'one SYN_REPLY per stream');
    t.same(h.errors, []);
  });

  t.test(`${transport}: data both ways, chunks over 32 KiB split, FIN both ways`, async (t) => {
    const h = await setup(t, transport);
    const next = h.nextStream();
    await h.client.synStream(1, [['streamtype', 'data'], ['port', '80'], ['requestid', '0']]);
    const stream = await next;
    stream.respond();
    const inbound = Buffer.alloc(100 * 1024 + 3, 7);
    const received = readAll(stream);
    await h.client.send({ kind: 'data', streamId: 1, fin: false, data: inbound.subarray(0, 70000) });
    await h.client.send({ kind: 'data', streamId: 1, fin: true, data: inbound.subarray(70000) });
    t.ok((await received).equals(inbound), 'peer DATA arrives in order; FIN ends the readable side');
    const outbound = Buffer.from(Array.from({ length: 3 * MAX_DATA_FRAME_BYTES + 5 }, (_, i) => i % 251));
    stream.end(outbound);
    await h.client.until(() => h.client.fins.has(1));
    t.ok(h.client.dataOf(1).equals(outbound), 'our DATA arrives intact');
    const dataFrames = h.client.frames.filter((f): f is Extract<Frame, { kind: 'data' }> => f.kind === 'data');
    t.same(dataFrames.map((f) => f.data.length), [32768, 32768, 32768, 5, 0], 'split into 32 KiB frames, then an empty FIN frame');
    t.ok(dataFrames.at(-1)?.fin);
    await closed(stream);
    t.equal(h.session.streamCount, 0, 'a stream finished both ways is gone');
    t.notOk(h.client.frames.some((f) => f.kind === 'rst_stream'), 'no RST for a cleanly finished stream');
  });

  t.test(`${transport}: PING is echoed unchanged; SETTINGS and WINDOW_UPDATE are ignored`, async (t) => {
    const h = await setup(t, transport);
    await h.client.send({ kind: 'settings', clear: false, entries: [{ flags: 0, id: 7, value: 65536 }] });
    await h.client.send({ kind: 'window_update', streamId: 0, delta: 1000 });
    for (const id of [1, 3, 0xfffffffd]) {
      await h.client.send({ kind: 'ping', id });
      t.ok(await h.client.waitFor((f) => f.kind === 'ping' && f.id === id), `ping ${id} echoed`);
    }
    t.equal(h.client.frames.length, 3, 'nothing but the three echoes');
    t.same(h.errors, []);
  });

  t.test(`${transport}: RST_STREAM from the peer`, async (t) => {
    const rows = [
      { name: 'CANCEL closes quietly', status: RstStatus.CANCEL, resets: [] as number[] },
      { name: 'INTERNAL_ERROR emits reset and closes', status: RstStatus.INTERNAL_ERROR, resets: [RstStatus.INTERNAL_ERROR] },
      { name: 'PROTOCOL_ERROR emits reset and closes', status: RstStatus.PROTOCOL_ERROR, resets: [RstStatus.PROTOCOL_ERROR] },
    ];
    for (const row of rows) {
      const h = await setup(t, transport);
      const next = h.nextStream();
      await h.client.synStream(1, [['streamtype', 'stdout']]);
      const stream = await next;
      const resets: number[] = [];
      stream.on('reset', (s: number) => resets.push(s));
      stream.respond();
      await h.client.send({ kind: 'rst_stream', streamId: 1, status: row.status });
      await closed(stream);
      t.same(resets, row.resets, row.name);
      t.equal(h.session.streamCount, 0);
      t.ok(stream.destroyed);
      stream.write('after reset'); // must neither throw nor reach the wire
      await h.client.send({ kind: 'ping', id: 9 });
      await h.client.waitFor((f) => f.kind === 'ping');
      t.notOk(h.client.frames.some((f) => f.kind === 'rst_stream' || f.kind === 'data'), 'nothing sent back for a peer reset');
    }
  });

  t.test(`${transport}: DATA for unknown streams`, async (t) => {
    const h = await setup(t, transport);
    const next = h.nextStream();
    await h.client.synStream(3, [['streamtype', 'data']]);
    const stream = await next;
    stream.reset();
    await h.client.waitFor(isRst(3, RstStatus.CANCEL));
    await h.client.send({ kind: 'data', streamId: 3, fin: false, data: Buffer.from('in flight') });
    await h.client.send({ kind: 'data', streamId: 1, fin: false, data: Buffer.from('never opened, but below the last id') });
    await h.client.send({ kind: 'data', streamId: 99, fin: true, data: Buffer.from('never opened') });
    t.ok(await h.client.waitFor(isRst(99, RstStatus.INVALID_STREAM)), 'RST INVALID_STREAM for an id the peer never opened');
    await h.client.send({ kind: 'ping', id: 5 });
    await h.client.waitFor((f) => f.kind === 'ping');
    t.equal(h.client.frames.filter((f) => f.kind === 'rst_stream').length, 2, 'frames for closed streams are dropped silently');
    t.equal(h.closes, 0, 'the session lives on');
    t.same(h.errors, []);
  });

  t.test(`${transport}: protocol errors -> GOAWAY PROTOCOL_ERROR, 'error', close`, async (t) => {
    const rows: Array<{ name: string; bytes: () => Promise<Buffer>; message: RegExp; options?: SpdySessionOptions }> = [
      { name: 'garbage bytes with the control bit set', bytes: async () => Buffer.from('ffffffff0000000401020304', 'hex'), message: /unsupported SPDY version 32767/ },
      // Text reads as a DATA frame header with a huge length: only maxFrameBytes stops it.
      { name: 'HTTP text instead of SPDY', bytes: async () => Buffer.from('GET / HTTP/1.1\r\n\r\n'), message: /DATA frame on stream 1195725856 declares 2115668 bytes, over the 65536-byte limit/, options: { maxFrameBytes: 65536 } },
      { name: 'SPDY/2 control frame', bytes: async () => Buffer.from('8002000600000004000000ff', 'hex'), message: /unsupported SPDY version 2/ },
      { name: 'header block that is not zlib', bytes: async () => encodeFrame({ kind: 'syn_stream', streamId: 1, associatedStreamId: 0, priority: 0, slot: 0, fin: false, unidirectional: false, headerBlock: Buffer.from('not zlib at all') }), message: /header inflate/ },
      { name: 'frame over maxFrameBytes', bytes: async () => encodeFrame({ kind: 'data', streamId: 1, fin: false, data: Buffer.alloc(2000) }), message: /over the 1024-byte limit/, options: { maxFrameBytes: 1024 } },
      { name: 'PING of the wrong length', bytes: async () => encodeFrame({ kind: 'unknown_control', type: 6, flags: 0, payload: Buffer.alloc(3) }), message: /PING payload must be 4 bytes/ },
      {
        name: 'SYN_STREAM ids going backwards',
        bytes: async () => {
          const c = new HeaderCompressor();
          const syn = async (streamId: number) => encodeFrame({ kind: 'syn_stream', streamId, associatedStreamId: 0, priority: 0, slot: 0, fin: false, unidirectional: false, headerBlock: await c.compress([['streamtype', 'x']]) });
          const out = Buffer.concat([await syn(5), await syn(3)]);
          c.close();
          return out;
        },
        message: /SYN_STREAM with stream id 3 after 5/,
      },
    ];
    for (const row of rows) {
      const h = await setup(t, transport, row.options);
      await h.client.raw(await row.bytes());
      const goaway = await h.client.waitFor((f) => f.kind === 'goaway');
      t.match(goaway, { kind: 'goaway', status: GoawayStatus.PROTOCOL_ERROR }, `${row.name}: GOAWAY PROTOCOL_ERROR`);
      await sessionClosed(h);
      t.equal(h.errors.length, 1, `${row.name}: one error`);
      t.match(h.errors[0]?.message ?? '', row.message, row.name);
      t.equal(h.closes, 1, 'close emitted once');
      t.equal(h.session.streamCount, 0);
      t.ok(h.streams.every((s) => s.destroyed), 'streams destroyed');
    }
  });

  t.test(`${transport}: the socket closing destroys every stream quietly, close once`, async (t) => {
    const h = await setup(t, transport);
    for (const [i, headers] of kubectlExecStreams.entries()) {
      const next = h.nextStream();
      await h.client.synStream(1 + 2 * i, headers);
      (await next).respond();
    }
    const streamErrors: Error[] = [];
    for (const s of h.streams) s.on('error', (e) => streamErrors.push(e));
    const writing = h.streams[2]!;
    writing.write(Buffer.alloc(10));
    h.client.socket.destroy();
    await Promise.all(h.streams.map(closed));
    await sessionClosed(h);
    await new Promise((resolve) => setImmediate(resolve));
    t.equal(h.session.streamCount, 0);
    t.same(streamErrors, [], 'no stream error events');
    t.same(h.errors, [], 'no session error event');
    t.equal(h.closes, 1);
    h.session.destroy();
    t.equal(h.closes, 1, 'destroy after close does not close again');
  });

  t.test(`${transport}: GOAWAY from the peer and from us`, async (t) => {
    await t.test('peer GOAWAY with no streams closes the session', async (t) => {
      const h = await setup(t, transport);
      await h.client.send({ kind: 'goaway', lastGoodStreamId: 0, status: GoawayStatus.OK });
      await sessionClosed(h);
      t.equal(h.closes, 1);
    });
    await t.test('peer GOAWAY waits for open streams, refuses new ones', async (t) => {
      const h = await setup(t, transport);
      const next = h.nextStream();
      await h.client.synStream(1, [['streamtype', 'data']]);
      const stream = await next;
      stream.respond();
      await h.client.send({ kind: 'goaway', lastGoodStreamId: 0, status: GoawayStatus.OK });
      await h.client.synStream(3, [['streamtype', 'error']]);
      t.ok(await h.client.waitFor(isRst(3, RstStatus.REFUSED_STREAM)), 'new stream refused');
      t.equal(h.closes, 0, 'still open while a stream is');
      stream.resume();
      stream.end('bye');
      await h.client.send({ kind: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) });
      await sessionClosed(h);
      t.equal(h.client.dataOf(1).toString(), 'bye', 'the open stream finished first');
    });
    await t.test('our goAway() sends GOAWAY and refuses new streams', async (t) => {
      const h = await setup(t, transport);
      const next = h.nextStream();
      await h.client.synStream(1, [['streamtype', 'data']]);
      (await next).respond();
      h.session.goAway();
      t.match(await h.client.waitFor((f) => f.kind === 'goaway'), { lastGoodStreamId: 1, status: GoawayStatus.OK });
      await h.client.synStream(3, [['streamtype', 'data']]);
      await h.client.waitFor(isRst(3, RstStatus.REFUSED_STREAM));
      await h.client.synStream(5, [['streamtype', 'data'], ['after', 'refused']]);
      await h.client.waitFor(isRst(5, RstStatus.REFUSED_STREAM));
      t.equal(h.streams.length, 1);
      t.same(h.errors, [], 'refused streams still advance the header context without errors');
    });
  });
}

t.test('HEADERS frames advance the shared context; a write before respond() replies first', async (t) => {
  const h = await setup(t, 'memory');
  let next = h.nextStream();
  await h.client.synStream(1, [['streamtype', 'error']]);
  const first = await next;
  await h.client.headers(1, [['extra', 'ignored'], ['streamtype', 'error']]);
  next = h.nextStream();
  await h.client.synStream(3, [['streamtype', 'error'], ['port', '8080']]);
  const second = await next;
  t.same(second.headers, { streamtype: 'error', port: '8080' });
  second.write('early');
  await h.client.until(() => h.client.dataOf(3).length > 0);
  const kinds = h.client.frames.filter((f) => 'streamId' in f && f.streamId === 3).map((f) => f.kind);
  t.same(kinds, ['syn_reply', 'data'], 'SYN_REPLY goes out before the first DATA');
  await h.client.headers(1, [['x', 'y']], true);
  first.resume();
  await new Promise((resolve) => first.once('end', resolve));
  t.pass('HEADERS with FIN ends the readable side');
  t.same(h.errors, []);
});

t.test('a SYN_STREAM with FIN and a session without stream listeners', async (t) => {
  const h = await setup(t, 'memory');
  const next = h.nextStream();
  await h.client.synStream(1, [['streamtype', 'error']], true);
  const stream = await next;
  t.equal((await readAll(stream)).length, 0, 'half-closed by the peer from the start (port-forward error stream)');
  stream.respond();
  stream.end();
  await closed(stream);
  h.session.removeAllListeners('stream');
  await h.client.synStream(3, [['streamtype', 'data']]);
  t.ok(await h.client.waitFor(isRst(3, RstStatus.REFUSED_STREAM)), 'nobody to take the stream: refused, not leaked');
  t.equal(h.session.streamCount, 0);
});

t.test('frames split at every byte boundary and fed one byte at a time', async (t) => {
  const compressor = new HeaderCompressor();
  const syn = async (streamId: number, headers: HeaderPairs) => encodeFrame({ kind: 'syn_stream', streamId, associatedStreamId: 0, priority: 0, slot: 0, fin: false, unidirectional: false, headerBlock: await compressor.compress(headers) });
  const wire = Buffer.concat([
    await syn(1, [['streamtype', 'error'], ['port', '80'], ['requestid', '0']]),
    encodeFrame({ kind: 'data', streamId: 1, fin: false, data: Buffer.from('hello ') }),
    await syn(3, [['streamtype', 'data'], ['port', '80'], ['requestid', '0']]),
    encodeFrame({ kind: 'ping', id: 7 }),
    encodeFrame({ kind: 'data', streamId: 1, fin: true, data: Buffer.from('world') }),
    encodeFrame({ kind: 'data', streamId: 3, fin: true, data: Buffer.alloc(0) }),
  ]);
  compressor.close();

  async function run(chunks: Buffer[]): Promise<{ headers: Array<Record<string, string>>; data: string[]; pinged: boolean; errors: number }> {
    const [server, client] = createDuplexPair();
    const session = new SpdySession(server);
    const errors: Error[] = [];
    session.on('error', (e) => errors.push(e));
    const streams: SpdyStream[] = [];
    const bodies: Array<Promise<Buffer>> = [];
    session.on('stream', (s) => { streams.push(s); bodies.push(readAll(s)); });
    const echoed: Buffer[] = [];
    client.on('data', (c: Buffer) => echoed.push(c));
    for (const chunk of chunks) client.write(chunk);
    const data = (await Promise.all(await waitForCount(() => bodies, 2))).map((b) => b.toString());
    const pinged = Buffer.concat(echoed).includes(encodeFrame({ kind: 'ping', id: 7 }));
    session.destroy();
    client.destroy();
    return { headers: streams.map((s) => ({ ...s.headers })), data, pinged, errors: errors.length };
  }
  async function waitForCount<T>(list: () => T[], n: number): Promise<T[]> {
    while (list().length < n) await new Promise((resolve) => setImmediate(resolve));
    return list();
  }
  const expected = {
    headers: [{ streamtype: 'error', port: '80', requestid: '0' }, { streamtype: 'data', port: '80', requestid: '0' }],
    data: ['hello world', ''],
    pinged: true,
    errors: 0,
  };
  let failures = 0;
  for (let cut = 0; cut <= wire.length; cut++) {
    const got = await run([wire.subarray(0, cut), wire.subarray(cut)]);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      failures++;
      t.same(got, expected, `cut at ${cut}`);
    }
  }
  t.equal(failures, 0, `all ${wire.length + 1} two-way splits give the same streams and data`);
  t.same(await run([...wire].map((b) => Buffer.from([b]))), expected, 'one byte per chunk');
});

t.test('backpressure: 20 MiB to a stream nobody reads pauses the socket (net)', async (t) => {
  const h = await setup(t, 'net');
  const next = h.nextStream();
  await h.client.synStream(1, [['streamtype', 'stdin']]);
  const stream = await next;
  stream.respond();
  const total = 20 * 1024 * 1024;
  const piece = Buffer.alloc(MAX_DATA_FRAME_BYTES, 1);
  for (let sent = 0; sent < total; sent += piece.length) {
    void h.client.send({ kind: 'data', streamId: 1, fin: sent + piece.length >= total, data: piece });
  }
  const socket = h.serverSocket as net.Socket;
  const readWhileStalled = await settled(() => socket.bytesRead);
  t.ok(readWhileStalled < 4 * 1024 * 1024, `session read ${readWhileStalled} bytes while the stream was not read (under 4 MiB)`);
  t.ok(readWhileStalled >= 1024 * 1024, 'and at least the stream high-water mark');
  const hash = createHash('sha256');
  let got = 0;
  stream.on('data', (c: Buffer) => { got += c.length; hash.update(c); });
  await new Promise((resolve) => stream.once('end', resolve));
  t.equal(got, total, 'everything arrives once the consumer reads');
  t.equal(hash.digest('hex'), createHash('sha256').update(Buffer.alloc(total, 1)).digest('hex'));
});

t.test('backpressure: writing 20 MiB to a peer that does not read stops the write callbacks (memory pair)', async (t) => {
  const h = await setup(t, 'memory');
  const next = h.nextStream();
  await h.client.synStream(1, [['streamtype', 'stdout']]);
  const stream = await next;
  stream.respond();
  h.client.socket.pause();
  const total = 20 * 1024 * 1024;
  let acknowledged = 0;
  const piece = Buffer.alloc(64 * 1024, 2);
  for (let sent = 0; sent < total; sent += piece.length) stream.write(piece, () => { acknowledged += piece.length; });
  stream.end();
  const stalledAt = await settled(() => acknowledged);
  t.ok(stalledAt < 1024 * 1024, `write callbacks stopped after ${stalledAt} bytes (under 1 MiB)`);
  t.ok(h.serverSocket.writableLength < 256 * 1024, `socket buffer stays small (${h.serverSocket.writableLength} bytes)`);
  h.client.socket.resume();
  await h.client.until(() => h.client.fins.has(1));
  t.equal(acknowledged, total, 'every callback runs once the peer reads');
  t.equal(h.client.dataOf(1).length, total);
});

t.test('SPDY inside WebSocket messages split 2,2,4,4,4,1,1,rest (kubectl 1.31+ port-forward)', async (t) => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as net.AddressInfo).port;
  const sessionReady = new Promise<SpdySession>((resolve) => wss.once('connection', (ws) => {
    const duplex = createWebSocketStream(ws);
    resolve(new SpdySession(duplex));
  }));
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  ws.on('error', () => undefined);
  const clientDuplex = createWebSocketStream(ws);
  const messages: number[] = [];
  // Each write on the client duplex becomes one WebSocket message.
  const client = new SpdyTestClient(clientDuplex, (bytes) => {
    const sizes = [2, 2, 4, 4, 4, 1, 1];
    let at = 0;
    for (const size of sizes) {
      if (at >= bytes.length) break;
      const part = bytes.subarray(at, at + size);
      clientDuplex.write(part);
      messages.push(part.length);
      at += size;
    }
    if (at < bytes.length) {
      clientDuplex.write(bytes.subarray(at));
      messages.push(bytes.length - at);
    }
  });
  const session = await sessionReady;
  const errors: Error[] = [];
  session.on('error', (e) => errors.push(e));
  t.teardown(async () => {
    session.destroy();
    client.close();
    ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
  const streams: SpdyStream[] = [];
  session.on('stream', (s) => { streams.push(s); s.respond(); });
  await client.synStream(1, [['streamtype', 'error'], ['port', '8080'], ['requestid', '0']], true);
  await client.synStream(3, [['streamtype', 'data'], ['port', '8080'], ['requestid', '0']]);
  await client.until(() => client.replies.has(1) && client.replies.has(3));
  t.same(messages.slice(0, 8), [2, 2, 4, 4, 4, 1, 1, messages[7]], 'the client really sent tiny messages');
  t.same(streams.map((s) => s.headers.streamtype), ['error', 'data']);
  const data = streams[1]!;
  data.on('data', (c: Buffer) => data.write(Buffer.from(c.toString().toUpperCase())));
  await client.send({ kind: 'data', streamId: 3, fin: false, data: Buffer.from('ping over ws') });
  await client.until(() => client.dataOf(3).toString() === 'PING OVER WS');
  t.pass('data echoed through the tunnel');
  await client.send({ kind: 'ping', id: 11 });
  t.ok(await client.waitFor((f) => f.kind === 'ping' && f.id === 11), 'ping echoed');
  t.same(errors, []);
});
