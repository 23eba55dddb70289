/**
 * acceptWebSocket through a real HTTP server on 127.0.0.1: kube's subprotocol choice (incl.
 * kubectl's "SPDY/3.1+portforward.k8s.io" that `ws` alone refuses), refusals as plain HTTP,
 * and createWebSocketStream carrying raw bytes both ways (the SPDY-in-WebSocket path).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import t, { type Test } from 'tap';
import { createWebSocketStream, WebSocket } from 'ws';
import { acceptWebSocket, WebSocketUpgradeRefused } from './accept-websocket.js';
import { PORT_FORWARD_SUBPROTOCOLS, REMOTE_COMMAND_SUBPROTOCOLS, SPDY_PORT_FORWARD_TUNNEL_PROTOCOL } from './subprotocols.js';
import { clientFrame, rawUpgrade, startUpgradeServer } from './testing-server.js';

type Outcome = { ws: WebSocket; protocol: string } | { error: unknown };

/** a server whose upgrade handler accepts with `supported`, recording each outcome */
async function serverAccepting(t: Test, supported: readonly string[], onAccepted?: (ws: WebSocket, protocol: string) => void) {
  const outcomes: Array<Promise<Outcome>> = [];
  const server = await startUpgradeServer((req: IncomingMessage, socket: Duplex, head: Buffer) => {
    outcomes.push(
      acceptWebSocket(req, socket, head, supported).then(
        (r) => {
          onAccepted?.(r.ws, r.protocol);
          return r;
        },
        (error: unknown) => ({ error }),
      ),
    );
  });
  t.teardown(async () => {
    for (const o of await Promise.all(outcomes)) if ('ws' in o) o.ws.terminate();
    await server.close();
  });
  return { port: server.port, outcomes };
}

t.test('negotiation: the first offered protocol the server supports, echoed', async (t) => {
  const table: Array<{ name: string; offered?: string; supported: readonly string[]; status: number; echo?: string }> = [
    { name: 'kubectl exec (v5 only)', offered: 'v5.channel.k8s.io', supported: REMOTE_COMMAND_SUBPROTOCOLS, status: 101, echo: 'v5.channel.k8s.io' },
    { name: 'client order wins', offered: 'v4.channel.k8s.io, v5.channel.k8s.io', supported: REMOTE_COMMAND_SUBPROTOCOLS, status: 101, echo: 'v4.channel.k8s.io' },
    { name: 'unknown entries skipped', offered: 'x.k8s.io, base64.channel.k8s.io', supported: REMOTE_COMMAND_SUBPROTOCOLS, status: 101, echo: 'base64.channel.k8s.io' },
    { name: 'kubectl port-forward tunnel', offered: SPDY_PORT_FORWARD_TUNNEL_PROTOCOL, supported: [SPDY_PORT_FORWARD_TUNNEL_PROTOCOL], status: 101, echo: SPDY_PORT_FORWARD_TUNNEL_PROTOCOL },
    { name: 'no header: legacy "" accepted, nothing echoed', supported: REMOTE_COMMAND_SUBPROTOCOLS, status: 101 },
    { name: 'no header, "" not supported', supported: [SPDY_PORT_FORWARD_TUNNEL_PROTOCOL], status: 403 },
    { name: 'nothing supported', offered: 'v9.channel.k8s.io', supported: PORT_FORWARD_SUBPROTOCOLS, status: 403 },
  ];
  for (const row of table) {
    await t.test(row.name, async (t) => {
      const { port, outcomes } = await serverAccepting(t, row.supported);
      const res = await rawUpgrade(port, '/x', row.offered === undefined ? {} : { 'Sec-WebSocket-Protocol': row.offered });
      res.socket?.destroy();
      t.equal(res.status, row.status);
      t.equal(res.headers['sec-websocket-protocol'], row.echo);
      const outcome = await outcomes[0]!;
      if (row.status === 101) {
        t.ok('ws' in outcome, 'server side resolved');
        if ('ws' in outcome) t.equal(outcome.protocol, row.echo ?? '');
      } else {
        t.ok('error' in outcome && outcome.error instanceof WebSocketUpgradeRefused, 'server side rejected');
        if ('error' in outcome && outcome.error instanceof WebSocketUpgradeRefused) t.equal(outcome.error.code, 403);
        t.match(res.body, /requested protocol\(s\) are not supported/);
      }
    });
  }
});

t.test('an invalid upgrade is answered with a plain 400 and the promise rejects', async (t) => {
  const { port, outcomes } = await serverAccepting(t, REMOTE_COMMAND_SUBPROTOCOLS);
  const badVersion = await rawUpgrade(port, '/x', { 'Sec-WebSocket-Version': '8', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' });
  t.equal(badVersion.status, 400);
  t.equal(badVersion.headers['sec-websocket-version'], '13');
  const badKey = await rawUpgrade(port, '/x', { 'Sec-WebSocket-Key': 'short', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' });
  t.equal(badKey.status, 400, 'ws rejects the malformed key, through our handler');
  const results = await Promise.all(outcomes);
  t.equal(results.length, 2);
  for (const r of results) t.ok('error' in r && r.error instanceof WebSocketUpgradeRefused && r.error.code === 400);
});

t.test('a ws client gets the protocol it asked for', async (t) => {
  const { port } = await serverAccepting(t, REMOTE_COMMAND_SUBPROTOCOLS);
  const client = new WebSocket(`ws://127.0.0.1:${port}/x`, ['v5.channel.k8s.io']);
  t.teardown(() => client.terminate());
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  t.equal(client.protocol, 'v5.channel.k8s.io');
});

t.test('createWebSocketStream carries raw bytes both ways as binary messages', async (t) => {
  const { port } = await serverAccepting(t, [SPDY_PORT_FORWARD_TUNNEL_PROTOCOL, 'v4.channel.k8s.io'], (ws) => {
    const stream = createWebSocketStream(ws);
    stream.on('error', () => undefined);
    stream.pipe(stream); // echo
  });

  await t.test('through a ws client', async (t) => {
    const client = new WebSocket(`ws://127.0.0.1:${port}/x`, ['v4.channel.k8s.io']);
    t.teardown(() => client.terminate());
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const received: Buffer[] = [];
    let binaryOnly = true;
    await new Promise<void>((resolve, reject) => {
      client.once('error', reject);
      client.once('open', () => {
        client.send(all);
        client.send(Buffer.from([0xff, 0x00, 0x80]));
      });
      client.on('message', (data: Buffer, isBinary: boolean) => {
        binaryOnly &&= isBinary;
        received.push(data);
        if (Buffer.concat(received).length >= 259) resolve();
      });
    });
    t.ok(binaryOnly, 'server messages are binary');
    t.same(Buffer.concat(received), Buffer.concat([all, Buffer.from([0xff, 0x00, 0x80])]));
  });

  await t.test('through a raw socket offering SPDY/3.1+portforward.k8s.io (as kubectl does)', async (t) => {
    const res = await rawUpgrade(port, '/portforward', { 'Sec-WebSocket-Protocol': SPDY_PORT_FORWARD_TUNNEL_PROTOCOL });
    t.equal(res.status, 101);
    t.equal(res.headers['sec-websocket-protocol'], SPDY_PORT_FORWARD_TUNNEL_PROTOCOL);
    const socket = res.socket!;
    t.teardown(() => socket.destroy());
    // a SPDY control frame header, split over two messages the way kubectl splits frames
    const spdy = Buffer.from([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01]);
    socket.write(Buffer.concat([clientFrame(2, spdy.subarray(0, 2)), clientFrame(2, spdy.subarray(2))]));
    const frames: Buffer[] = [res.head ?? Buffer.alloc(0)];
    const payloads = await new Promise<Buffer[]>((resolve) => {
      const tryParse = () => {
        const buf = Buffer.concat(frames);
        const out: Buffer[] = [];
        let at = 0;
        while (at + 2 <= buf.length) {
          const opcode = buf[at]! & 0x0f;
          const len = buf[at + 1]! & 0x7f; // server frames are unmasked and short here
          if (at + 2 + len > buf.length) break;
          if (opcode === 2) out.push(buf.subarray(at + 2, at + 2 + len));
          at += 2 + len;
        }
        if (Buffer.concat(out).length >= spdy.length) resolve(out);
      };
      socket.on('data', (d: Buffer) => {
        frames.push(d);
        tryParse();
      });
      tryParse();
    });
    t.same(Buffer.concat(payloads), spdy, 'the byte stream came back unchanged, in binary frames');
  });
});
