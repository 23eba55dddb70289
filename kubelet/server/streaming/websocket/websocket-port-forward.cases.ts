/**
 * Plain WebSocket port-forward end to end: port header messages, data both ways per port,
 * error text, the close once every port is done, and a client that leaves.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import t, { type Test } from 'tap';
import { acceptWebSocket } from './accept-websocket.js';
import { parsePortForwardPorts, PORT_FORWARD_QUERY_PARAMETER } from './port-forward-ports.js';
import { PORT_FORWARD_SUBPROTOCOLS } from './subprotocols.js';
import { QueuedClient } from './testing-client.js';
import { startUpgradeServer } from './testing-server.js';
import { portHeader, websocketPortForward, type WebSocketPortForward } from './websocket-port-forward.js';

async function connect(t: Test, protocol: string, query: string) {
  let serverSide!: (f: WebSocketPortForward) => void;
  const ready = new Promise<WebSocketPortForward>((resolve) => (serverSide = resolve));
  const server = await startUpgradeServer((req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ports = parsePortForwardPorts(url.searchParams.getAll(PORT_FORWARD_QUERY_PARAMETER));
    if (!ports.ok) return socket.destroy();
    acceptWebSocket(req, socket, head, PORT_FORWARD_SUBPROTOCOLS).then(
      ({ ws, protocol: chosen }) => serverSide(websocketPortForward(ws, chosen, ports.ports)),
      () => undefined,
    );
  });
  const client = new QueuedClient(`ws://127.0.0.1:${server.port}/portforward?${query}`, protocol);
  t.teardown(async () => {
    client.ws.terminate();
    await server.close();
  });
  await client.opened;
  return { client, forward: await ready };
}

const frame = (channel: number, payload: Buffer | string) => ({ binary: true, data: Buffer.concat([Buffer.from([channel]), Buffer.from(payload)]) });

t.test('v4 binary: port headers first, then data both ways per port, errors, close when done', async (t) => {
  const { client, forward } = await connect(t, 'v4.channel.k8s.io', 'port=80&port=443,8080');
  t.same(
    forward.ports.map((p) => p.port),
    [80, 443, 8080],
  );
  const headers = [await client.next(), await client.next(), await client.next(), await client.next(), await client.next(), await client.next()];
  t.same(headers, [frame(0, portHeader(80)), frame(1, portHeader(80)), frame(2, portHeader(443)), frame(3, portHeader(443)), frame(4, portHeader(8080)), frame(5, portHeader(8080))]);
  t.same(portHeader(443), Buffer.from([0xbb, 0x01]), 'little-endian uint16');

  // port 80: an upper-casing backend
  forward.ports[0]!.data.on('data', (c: Buffer) => forward.ports[0]!.data.write(c.toString().toUpperCase()));
  const port443 = new Promise<string>((resolve) => forward.ports[1]!.data.once('data', (c: Buffer) => resolve(c.toString())));
  client.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('abc')]));
  client.ws.send(Buffer.concat([Buffer.from([1]), Buffer.from('to an error channel: ignored')]));
  client.ws.send(Buffer.concat([Buffer.from([2]), Buffer.from('x')]));
  t.same(await client.next(), frame(0, 'ABC'));
  t.equal(await port443, 'x');

  forward.ports[1]!.error.write('error forwarding port 443: connect ECONNREFUSED');
  t.same(await client.next(), frame(3, 'error forwarding port 443: connect ECONNREFUSED'));

  for (const p of forward.ports) p.data.end();
  t.equal(await client.next(), undefined);
  t.equal(await client.closed, 1000, 'closed normally once every port is done');
  await forward.closed;
});

t.test('v5: the close signal half-closes one port; v4 ignores it', async (t) => {
  const { client, forward } = await connect(t, 'v5.channel.k8s.io', 'port=80&port=81');
  for (let i = 0; i < 4; i++) await client.next();
  const ended = new Promise<string>((resolve) => {
    let got = '';
    forward.ports[0]!.data.on('data', (c: Buffer) => (got += c.toString()));
    forward.ports[0]!.data.on('end', () => resolve(got));
  });
  client.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('last bytes')]));
  client.ws.send(Buffer.from([255, 0]));
  t.equal(await ended, 'last bytes', 'port 80 saw its data, then EOF');
  t.equal(forward.ports[1]!.data.readableEnded, false, 'port 81 stays open');
  for (const p of forward.ports) p.data.end();
  t.equal(await client.closed, 1000);
  await forward.closed;

  const v4 = await connect(t, 'v4.channel.k8s.io', 'port=80');
  for (let i = 0; i < 2; i++) await v4.client.next();
  v4.client.ws.send(Buffer.from([255, 0]));
  v4.client.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('still open')]));
  const data = await new Promise<string>((resolve) => v4.forward.ports[0]!.data.once('data', (c: Buffer) => resolve(c.toString())));
  t.equal(data, 'still open', 'v4 has no close signal: channel 255 is dropped');
  v4.forward.ports[0]!.data.end();
  await v4.forward.closed;
});

t.test('v4 base64: headers and data as text', async (t) => {
  const { client, forward } = await connect(t, 'v4.base64.channel.k8s.io', 'port=5432');
  t.same(await client.next(), { binary: false, data: Buffer.from('0' + portHeader(5432).toString('base64')) });
  t.same(await client.next(), { binary: false, data: Buffer.from('1' + portHeader(5432).toString('base64')) });
  const got = new Promise<string>((resolve) => forward.ports[0]!.data.once('data', (c: Buffer) => resolve(c.toString())));
  client.ws.send('0' + Buffer.from('select 1').toString('base64'));
  t.equal(await got, 'select 1');
  forward.ports[0]!.data.write('ok');
  t.same(await client.next(), { binary: false, data: Buffer.from('0' + Buffer.from('ok').toString('base64')) });
});

t.test('the client leaving ends every data stream and resolves closed', async (t) => {
  const { client, forward } = await connect(t, 'v4.channel.k8s.io', 'port=1,2');
  const ended = forward.ports.map((p) => new Promise<void>((resolve) => p.data.once('end', () => resolve())));
  for (const p of forward.ports) p.data.resume();
  client.ws.terminate();
  await forward.closed;
  await Promise.all(ended);
  t.pass('data readables ended');
  forward.ports[0]!.data.write('late write is dropped quietly');
});
