/**
 * exec/attach channel protocols end to end: a real HTTP server on 127.0.0.1, acceptWebSocket
 * + websocketRemoteCommand on the server, a `ws` client speaking each protocol version.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import t, { type Test } from 'tap';
import type { WebSocket } from 'ws';
import type { TerminalSize } from '../../../cri/streaming.js';
import { acceptWebSocket } from './accept-websocket.js';
import type { RemoteCommandStreams } from './remote-command-streams.js';
import { REMOTE_COMMAND_SUBPROTOCOLS } from './subprotocols.js';
import { QueuedClient } from './testing-client.js';
import { startUpgradeServer } from './testing-server.js';
import { websocketRemoteCommand, type RemoteCommandExpectations, type WebSocketChannelOptions } from './websocket-remote-command.js';

async function connect(t: Test, protocol: string | undefined, expect: RemoteCommandExpectations, options: WebSocketChannelOptions = {}) {
  let serverSide!: (s: { streams: RemoteCommandStreams; serverWs: WebSocket }) => void;
  const ready = new Promise<{ streams: RemoteCommandStreams; serverWs: WebSocket }>((resolve) => (serverSide = resolve));
  const server = await startUpgradeServer((req: IncomingMessage, socket: Duplex, head: Buffer) => {
    acceptWebSocket(req, socket, head, REMOTE_COMMAND_SUBPROTOCOLS).then(
      ({ ws, protocol: chosen }) => serverSide({ streams: websocketRemoteCommand(ws, chosen, expect, options), serverWs: ws }),
      () => undefined,
    );
  });
  const client = new QueuedClient(`ws://127.0.0.1:${server.port}/exec`, protocol);
  t.teardown(async () => {
    client.ws.terminate();
    await server.close();
  });
  await client.opened;
  return { client, ...(await ready) };
}

function readAll(r: Readable): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.once('end', () => resolve(Buffer.concat(chunks)));
  });
}

const failure = {
  status: 'Failure' as const,
  message: 'command terminated with non-zero exit code: exit 3',
  reason: 'NonZeroExitCode',
  details: { causes: [{ reason: 'ExitCode', message: '3' }] },
};
const failureJson = JSON.stringify({ metadata: {}, ...failure });

const versions: Array<{ protocol: string; base64: boolean; json: boolean; closeSignal: boolean }> = [
  { protocol: 'v5.channel.k8s.io', base64: false, json: true, closeSignal: true },
  { protocol: 'v4.channel.k8s.io', base64: false, json: true, closeSignal: false },
  { protocol: 'v4.base64.channel.k8s.io', base64: true, json: true, closeSignal: false },
  { protocol: 'v3.channel.k8s.io', base64: false, json: false, closeSignal: false },
  { protocol: 'v2.channel.k8s.io', base64: false, json: false, closeSignal: false },
  { protocol: 'channel.k8s.io', base64: false, json: false, closeSignal: false },
  { protocol: 'base64.channel.k8s.io', base64: true, json: false, closeSignal: false },
];

/** what the client should see for `payload` on `channel` in this protocol */
function wire(base64: boolean, channel: number, payload: string): { binary: boolean; data: Buffer } {
  return base64
    ? { binary: false, data: Buffer.from(String(channel) + Buffer.from(payload).toString('base64')) }
    : { binary: true, data: Buffer.concat([Buffer.from([channel]), Buffer.from(payload)]) };
}

/** what the client sends for `payload` on `channel` */
function clientMessage(base64: boolean, channel: number, payload: Buffer | string): Buffer | string {
  return base64 ? String(channel) + Buffer.from(payload).toString('base64') : Buffer.concat([Buffer.from([channel]), Buffer.from(payload)]);
}

for (const v of versions) {
  t.test(`${v.protocol}: open signal, stdout/stderr, stdin and EOF, Status, close 1000`, async (t) => {
    const { client, streams } = await connect(t, v.protocol, { stdin: true, stdout: true, stderr: true, tty: false });
    t.equal(streams.protocol, v.protocol);
    t.ok(streams.stdin && streams.stdout && streams.stderr, 'three stdio streams');
    t.equal(streams.resizes, undefined, 'no resizes without tty');
    t.same(await client.next(), wire(v.base64, 1, ''), 'first an empty message on stdout');

    streams.stdout!.write('out\n');
    streams.stderr!.write(Buffer.from([0, 1, 2, 255]).toString('latin1'), 'latin1');
    t.same(await client.next(), wire(v.base64, 1, 'out\n'));
    t.same(await client.next(), { ...wire(v.base64, 2, ''), data: Buffer.concat([wire(v.base64, 2, '').data, v.base64 ? Buffer.from(Buffer.from([0, 1, 2, 255]).toString('base64')) : Buffer.from([0, 1, 2, 255])]) });

    let stdinText = '';
    const gotStdin = new Promise<void>((resolve) =>
      streams.stdin!.on('data', (c: Buffer) => {
        stdinText += c.toString();
        if (stdinText.length >= 11) resolve();
      }),
    );
    const stdinEnded = new Promise<void>((resolve) => streams.stdin!.once('end', () => resolve()));
    client.ws.send(clientMessage(v.base64, 0, 'hello '));
    client.ws.send(clientMessage(v.base64, 7, 'unknown channel, dropped'));
    client.ws.send(clientMessage(v.base64, 1, 'a client writing on stdout, dropped'));
    client.ws.send(clientMessage(v.base64, 0, 'world'));
    await gotStdin;
    t.equal(stdinText, 'hello world');
    if (v.closeSignal) {
      client.ws.send(Buffer.from([255, 0]));
      await stdinEnded;
      t.equal(client.ws.readyState, client.ws.OPEN, 'v5: stdin ends at the close signal, connection still open');
    }

    const finished = streams.finish(failure);
    if (v.json) t.same(await client.next(), wire(v.base64, 3, failureJson), 'Status JSON on the error channel');
    else t.same(await client.next(), wire(v.base64, 3, failure.message), 'the message text on the error channel');
    t.equal(await client.next(), undefined, 'then nothing but the close');
    t.equal(await client.closed, 1000);
    await finished;
    await streams.closed;
    await stdinEnded;
    t.equal(stdinText, 'hello world', 'stdin ended, nothing extra');
  });
}

t.test('success: v4/v5 send the Success Status, v1-v3 send nothing', async (t) => {
  for (const [protocol, expected] of [
    ['v5.channel.k8s.io', '{"metadata":{},"status":"Success"}'],
    ['channel.k8s.io', undefined],
  ] as const) {
    await t.test(protocol, async (t) => {
      const { client, streams } = await connect(t, protocol, { stdin: false, stdout: true, stderr: false, tty: false });
      t.same(await client.next(), wire(false, 1, ''));
      await streams.finish({ status: 'Success' });
      const m = await client.next();
      if (expected === undefined) t.equal(m, undefined);
      else t.same(m, wire(false, 3, expected));
      t.equal(await client.closed, 1000);
      t.equal(await streams.finish({ status: 'Failure', message: 'again' }), undefined, 'finish is idempotent');
    });
  }
});

t.test('no header at all: legacy binary v1 rules', async (t) => {
  const { client, streams } = await connect(t, undefined, { stdin: false, stdout: false, stderr: true, tty: false });
  t.equal(streams.protocol, '');
  t.same(await client.next(), wire(false, 2, ''), 'first writable channel is stderr');
  void streams.finish({ status: 'Failure', message: 'nope' });
  t.same(await client.next(), wire(false, 3, 'nope'));
});

t.test('without stdout or stderr the open signal goes on the error channel', async (t) => {
  const { client, streams } = await connect(t, 'v5.channel.k8s.io', { stdin: true, stdout: false, stderr: false, tty: false });
  t.same(await client.next(), wire(false, 3, ''));
  t.equal(streams.stdout, undefined);
  t.equal(streams.stderr, undefined);
});

t.test('tty: no stderr even when asked; resize JSON becomes TerminalSize values', async (t) => {
  const { client, streams } = await connect(t, 'v5.channel.k8s.io', { stdin: true, stdout: true, stderr: true, tty: true });
  t.equal(streams.stderr, undefined);
  t.ok(streams.resizes);
  const sizes: TerminalSize[] = [];
  const gotTwo = new Promise<void>((resolve) =>
    streams.resizes!.on('data', (s: TerminalSize) => {
      sizes.push(s);
      if (sizes.length === 2) resolve();
    }),
  );
  client.ws.send(clientMessage(false, 4, '{"Width":80,"Height":24}'));
  client.ws.send(clientMessage(false, 4, '{"Width":120,'));
  client.ws.send(clientMessage(false, 4, '"Height":40}'));
  await gotTwo;
  t.same(sizes, [
    { width: 80, height: 24 },
    { width: 120, height: 40 },
  ]);
  const resizesEnded = new Promise<void>((resolve) => streams.resizes!.once('end', () => resolve()));
  client.ws.send(Buffer.from([255, 4]));
  await resizesEnded;
  t.pass('the close signal on channel 4 ends resizes');
});

t.test('base64 resize', async (t) => {
  const { client, streams } = await connect(t, 'v4.base64.channel.k8s.io', { stdin: false, stdout: true, stderr: false, tty: true });
  const size = new Promise<TerminalSize>((resolve) => streams.resizes!.once('data', resolve));
  client.ws.send(clientMessage(true, 4, '{"Width":3,"Height":4}'));
  t.same(await size, { width: 3, height: 4 });
});

t.test('client disconnect resolves closed and ends stdin', async (t) => {
  const { client, streams } = await connect(t, 'v5.channel.k8s.io', { stdin: true, stdout: true, stderr: false, tty: false });
  const stdinEnded = readAll(streams.stdin!);
  client.ws.terminate();
  await streams.closed;
  t.equal((await stdinEnded).length, 0);
  t.ok(streams.stdout!.write('after close'), 'writes after the close are dropped, no error');
  await streams.finish({ status: 'Success' });
  t.pass('finish after the client left resolves');
});

t.test('destroy drops the connection', async (t) => {
  const { client, streams } = await connect(t, 'v4.channel.k8s.io', { stdin: false, stdout: true, stderr: false, tty: false });
  streams.destroy();
  t.equal(await client.closed, 1006, 'abnormal closure seen by the client');
  await streams.closed;
});

/** resolves once `progress()` has not changed over `turns` checks 10 ms apart */
async function settled(progress: () => number, turns = 20): Promise<void> {
  let last = -1;
  let same = 0;
  while (same < turns) {
    const now = progress();
    same = now === last ? same + 1 : 0;
    last = now;
    await new Promise((r) => setTimeout(r, 10));
  }
}

t.test('outbound backpressure: a client that does not read stalls the writer, buffering stays bounded', async (t) => {
  const highWater = 64 * 1024;
  const chunk = Buffer.alloc(32 * 1024, 0x61);
  const total = 16 * 1024 * 1024;
  const { client, streams, serverWs } = await connect(t, 'v4.channel.k8s.io', { stdin: false, stdout: true, stderr: false, tty: false }, { outboundHighWaterBytes: highWater });
  t.same(await client.next(), wire(false, 1, ''));
  client.ws.pause();
  let written = 0;
  let maxBuffered = 0;
  const writer = (async () => {
    while (written < total) {
      await new Promise<void>((resolve) => streams.stdout!.write(chunk, () => resolve()));
      written += chunk.length;
      maxBuffered = Math.max(maxBuffered, serverWs.bufferedAmount);
    }
  })();
  await settled(() => written);
  t.ok(written < total, `the writer stalled after ${written} bytes`);
  t.ok(maxBuffered <= highWater + chunk.length + 16, `the server's WebSocket buffered at most the mark plus one chunk (${maxBuffered})`);

  client.ws.resume();
  await writer;
  t.equal(written, total, 'the writer finished once the client read');
  void streams.finish({ status: 'Success' });
  t.equal(await drainQueue(client), total, 'every byte arrived');
});

/** bytes of stdout payload still sitting in the client's queue */
async function drainQueue(client: QueuedClient): Promise<number> {
  let n = 0;
  for (let m = await client.next(); m; m = await client.next()) if (m.data[0] === 1) n += m.data.length - 1;
  return n;
}

t.test('inbound backpressure: an unread stdin pauses the socket; nothing is lost', async (t) => {
  const { client, streams } = await connect(t, 'v5.channel.k8s.io', { stdin: true, stdout: false, stderr: false, tty: false });
  const message = Buffer.alloc(64 * 1024 + 1, 0x62);
  message[0] = 0;
  const count = 512; // 32 MiB offered
  for (let i = 0; i < count; i++) client.ws.send(message);
  client.ws.send(Buffer.from([255, 0]));
  const stdin = streams.stdin!;
  await settled(() => client.ws.bufferedAmount);
  t.ok(client.ws.bufferedAmount > 0, `the client still holds ${client.ws.bufferedAmount} bytes: the server stopped reading`);
  t.ok(stdin.readableLength <= 4 * 1024 * 1024, `server-side stdin buffer bounded (${stdin.readableLength})`);
  const all = await readAll(stdin);
  t.equal(all.length, count * (message.length - 1), 'every byte arrived once read');
});
