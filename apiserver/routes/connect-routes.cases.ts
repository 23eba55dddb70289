/**
 * pods/exec, attach, portforward and nodes/proxy through a real API server (startCluster)
 * to a fake kubelet: an HTTPS server on 127.0.0.1 with a serving certificate from the
 * cluster CA that requires the API server's client certificate, records what it was asked,
 * answers WebSocket upgrades with `ws` (echoing binary messages), SPDY/3.1 upgrades with a
 * raw 101 (echoing bytes), refuses one pod's exec in plain text the way the simulated
 * runtime does, and serves /stats/summary and an echo for plain requests.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { WebSocket, WebSocketServer } from 'ws';
import { issueCertificate } from '../../cli/pki/x509.js';
import { startCluster } from '../../index.js';
import { hasKubectl, kubectlFor } from '../../test/helpers/kubectl.js';

/** what the quitting kubelet writes before it closes */
const LAST_WORDS = 1 << 20;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  clientCN: string | undefined;
}

interface Reply {
  code: number;
  body: string;
  headers: IncomingMessage['headers'];
}

/** reads a raw HTTP response head (and what follows it so far) from a socket */
function readHead(socket: Duplex): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.removeListener('data', onData);
      socket.pause();
      resolve({ head: buf.subarray(0, end).toString('latin1'), rest: buf.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed before a response head: ${buf.toString('latin1')}`)));
  });
}

/** reads from a socket until `want` bytes arrived */
function readBytes(socket: Duplex, want: number, already: Buffer = Buffer.alloc(0)): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf: Buffer = already;
    if (buf.length >= want) return resolve(buf);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < want) return;
      socket.removeListener('data', onData);
      resolve(buf);
    };
    socket.on('data', onData);
    socket.resume();
    socket.once('error', reject);
  });
}

t.test('Connecter subresources are proxied to the kubelet', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-connect-'));
  const cluster = await startCluster({ dataDir, port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false });
  // the kubelet side of a session left open: stopping the cluster must close it
  let leftOpen: Promise<unknown> | undefined;
  t.teardown(async () => {
    await cluster.stop();
    await leftOpen;
    await rm(dataDir, { recursive: true, force: true });
  });
  const admin = cluster.credentials('admin');
  const api = new URL(cluster.url);

  // ---- the fake kubelet
  const seen: Seen[] = [];
  const kubeletSockets = new Set<Duplex>();
  const kubeletClosed: Array<Promise<unknown>> = [];
  const serving = await issueCertificate(cluster.pki.ca, { commonName: 'system:node:kn', organizations: ['system:nodes'], usage: 'server', ipAddresses: ['127.0.0.1'], dnsNames: ['kn'], validDays: 1 });
  const kubelet = createHttpsServer({ cert: serving.cert, key: serving.key, ca: cluster.ca, requestCert: true, rejectUnauthorized: true });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false) });
  const note = (req: IncomingMessage) => {
    const cert = (req.socket as TLSSocket).getPeerCertificate();
    const cn = cert?.subject?.CN;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, clientCN: Array.isArray(cn) ? cn[0] : cn });
  };
  kubelet.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    note(req);
    socket.on('error', () => undefined);
    kubeletSockets.add(socket);
    kubeletClosed.push(once(socket, 'close'));
    if ((req.url ?? '').startsWith('/exec/default/simulated/')) {
      const text = 'exec is not supported by the simulated runtime';
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
      return;
    }
    if (req.headers.upgrade?.toLowerCase() === 'websocket') {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => undefined);
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      });
      return;
    }
    const version = String(req.headers['x-stream-protocol-version'] ?? '').split(',')[0]!.trim();
    if ((req.url ?? '').startsWith('/exec/default/quitter/')) {
      // says a lot and hangs up at once, as a kubelet does after the exit status
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${version}\r\n\r\n`);
      socket.end(Buffer.alloc(LAST_WORDS, 7));
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${version}\r\n\r\n`);
    if (head.length) socket.write(head);
    socket.pipe(socket);
  });
  kubelet.on('request', (req: IncomingMessage, res) => {
    note(req);
    if (req.url === '/stats/summary') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ node: { nodeName: 'kn', cpu: { usageNanoCores: 42 } } }));
      return;
    }
    if (req.url?.startsWith('/echo')) {
      res.writeHead(201, { 'content-type': 'text/plain', 'x-kubelet': 'yes' });
      req.pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
  });
  kubelet.listen(0, '127.0.0.1');
  await once(kubelet, 'listening');
  const kubeletPort = (kubelet.address() as { port: number }).port;
  t.teardown(async () => {
    for (const s of kubeletSockets) s.destroy();
    await new Promise((r) => kubelet.close(r));
  });

  // ---- the API's objects
  const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}, creds: { cert?: string; key?: string } = admin): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest({ host: api.hostname, port: api.port, path, method, ca: cluster.ca, ...creds, agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const create = async (path: string, obj: unknown) => {
    const r = await call('POST', path, JSON.stringify(obj));
    if (r.code !== 201) throw new Error(`POST ${path}: ${r.code} ${r.body}`);
  };
  const node = (name: string, port: number) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } });
  await create('/api/v1/nodes', node('kn', kubeletPort));
  await create('/api/v1/nodes', node('dead-node', 1)); // nothing listens on port 1
  const pod = (name: string, nodeName: string | undefined, containers: string[]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
  });
  await create('/api/v1/namespaces/default/pods', pod('web', 'kn', ['app']));
  await create('/api/v1/namespaces/default/pods', pod('simulated', 'kn', ['app']));
  await create('/api/v1/namespaces/default/pods', pod('quitter', 'kn', ['app']));
  await create('/api/v1/namespaces/default/pods', pod('pair', 'kn', ['a', 'b']));
  await create('/api/v1/namespaces/default/pods', pod('pending', undefined, ['app']));
  await create('/api/v1/namespaces/default/pods', pod('orphan', 'dead-node', ['app']));
  const base = '/api/v1/namespaces/default/pods';

  /** a raw TLS upgrade request to the API server; resolves with the response head and the socket */
  const rawUpgrade = async (method: string, path: string, headers: string[], creds: { cert?: string; key?: string } = admin) => {
    const socket = tlsConnect({ host: api.hostname, port: Number(api.port), ca: cluster.ca, ...creds, ALPNProtocols: ['http/1.1'] });
    socket.on('error', () => undefined);
    await once(socket, 'secureConnect');
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${api.host}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`);
    const { head, rest } = await readHead(socket);
    return { socket, head, rest };
  };
  const spdy = ['Connection: Upgrade', 'Upgrade: SPDY/3.1', 'X-Stream-Protocol-Version: v4.channel.k8s.io', 'X-Stream-Protocol-Version: v3.channel.k8s.io', 'Content-Length: 0'];

  t.test('SPDY/3.1 POST: 101 from the kubelet, bytes both ways, a dropped client closes the kubelet side', async (t) => {
    const before = seen.length;
    const closedBefore = kubeletClosed.length;
    const { socket, head, rest } = await rawUpgrade('POST', `${base}/web/exec?command=sh&command=-c&command=echo%20hi&stdin=true&stdout=true&tty=true`, spdy);
    t.match(head, /^HTTP\/1\.1 101 Switching Protocols\r\n/, 'the kubelet\'s 101');
    t.match(head, /X-Stream-Protocol-Version: v4\.channel\.k8s\.io/, 'the kubelet chose the protocol');
    const asked = seen[before]!;
    t.equal(asked.method, 'POST');
    t.equal(asked.url, '/exec/default/web/app?command=sh&command=-c&command=echo+hi&input=1&output=1&tty=1', 'kube\'s kubelet path and query');
    t.equal(asked.clientCN, 'kube-apiserver-kubelet-client', 'the API server\'s kubelet-client certificate');
    t.equal(asked.headers.upgrade, 'SPDY/3.1');
    t.same(asked.headers['x-stream-protocol-version'], 'v4.channel.k8s.io, v3.channel.k8s.io', 'both offered versions passed on');
    t.equal(asked.headers.host, `127.0.0.1:${kubeletPort}`);
    const payload = Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 1, 2, 3, 255]);
    socket.write(payload);
    const echoed = await readBytes(socket, payload.length, rest);
    t.same([...echoed], [...payload], 'bytes went to the kubelet and back');
    socket.destroy();
    await kubeletClosed[closedBefore];
    t.pass('the kubelet side closed when the client dropped');
  });

  t.test('a kubelet that writes and hangs up at once: every byte reaches the client', async (t) => {
    const { socket, rest } = await rawUpgrade('POST', `${base}/quitter/exec?command=ls&stdout=true`, spdy);
    let got = rest.length;
    socket.on('data', (c: Buffer) => (got += c.length));
    socket.resume();
    await once(socket, 'close');
    t.equal(got, LAST_WORDS);
  });

  t.test('WebSocket GET: the kubelet picks the subprotocol, binary messages echo', async (t) => {
    const before = seen.length;
    const ws = new WebSocket(`wss://${api.host}${base}/web/attach?container=app&stdin=true&stdout=true&stderr=true`, ['v5.channel.k8s.io'], { ca: cluster.ca, cert: admin.cert, key: admin.key });
    ws.on('error', () => undefined);
    await once(ws, 'open');
    t.equal(ws.protocol, 'v5.channel.k8s.io');
    t.equal(seen[before]!.url, '/attach/default/web/app?error=1&input=1&output=1');
    t.equal(seen[before]!.method, 'GET');
    ws.send(Buffer.from([0, 104, 105]));
    const [data] = (await once(ws, 'message')) as [Buffer];
    t.same([...data], [0, 104, 105]);
    ws.close(1000);
    await once(ws, 'close');
  });

  t.test('port-forward over SPDY carries the ports', async (t) => {
    const before = seen.length;
    const { socket, head } = await rawUpgrade('POST', `${base}/web/portforward?ports=8080&ports=53`, ['Connection: Upgrade', 'Upgrade: SPDY/3.1', 'X-Stream-Protocol-Version: portforward.k8s.io']);
    t.match(head, /^HTTP\/1\.1 101 /);
    t.match(head, /X-Stream-Protocol-Version: portforward\.k8s\.io/);
    t.equal(seen[before]!.url, '/portForward/default/web?port=8080%2C53');
    socket.destroy();
  });

  t.test('the kubelet\'s plain-text refusal reaches the client unchanged', async (t) => {
    const { socket, head, rest } = await rawUpgrade('POST', `${base}/simulated/exec?command=ls&stdout=true`, spdy);
    t.match(head, /^HTTP\/1\.1 400 Bad Request\r\n/);
    socket.resume();
    const chunks: Buffer[] = [rest];
    socket.on('data', (c: Buffer) => chunks.push(c));
    await once(socket, 'close');
    t.equal(Buffer.concat(chunks).toString(), 'exec is not supported by the simulated runtime');
  });

  t.test('errors before the kubelet is asked, as Status', async (t) => {
    const cases: Array<[string, string, string, string[], number, string | RegExp]> = [
      ['an unknown pod', 'POST', `${base}/nope/exec?command=ls&stdout=true`, spdy, 404, 'pods "nope" not found'],
      ['an unscheduled pod', 'POST', `${base}/pending/exec?command=ls&stdout=true`, spdy, 400, 'pod pending does not have a host assigned'],
      ['several containers', 'POST', `${base}/pair/exec?command=ls&stdout=true`, spdy, 400, 'a container name must be specified for pod pair, choose one of: [a b]'],
      ['an unknown container', 'POST', `${base}/web/attach?container=zz&stdout=true`, spdy, 400, 'container zz is not valid for pod web'],
      ['a bad port', 'POST', `${base}/web/portforward?ports=http`, spdy, 400, 'strconv.ParseInt: parsing "http": invalid syntax'],
      ['a kubelet that cannot be reached', 'POST', `${base}/orphan/exec?command=ls&stdout=true`, spdy, 503, /unable to reach the kubelet on node "dead-node" \(127\.0\.0\.1:1\): ECONNREFUSED/],
      ['SPDY upgrade of a list', 'POST', `${base}`, spdy, 400, /cannot be upgraded to "SPDY\/3\.1"/],
      ['SPDY upgrade of an unknown path', 'POST', '/api/v1/namespaces/default/nothings/x', spdy, 404, 'the server could not find the requested resource'],
      ['PUT is not a Connecter method', 'PUT', `${base}/web/exec`, spdy, 405, 'the server does not allow this method on the requested resource'],
    ];
    for (const [name, method, path, headers, code, want] of cases) {
      const { socket, head, rest } = await rawUpgrade(method, path, headers);
      t.match(head, new RegExp(`^HTTP/1\\.1 ${code} `), `${name}: code`);
      socket.resume();
      const chunks: Buffer[] = [rest];
      socket.on('data', (c: Buffer) => chunks.push(c));
      await once(socket, 'close');
      const status = JSON.parse(Buffer.concat(chunks).toString()) as { kind: string; code: number; message: string };
      t.equal(status.kind, 'Status', name);
      t.equal(status.code, code, name);
      if (typeof want === 'string') t.equal(status.message, want, `${name}: message`);
      else t.match(status.message, want, `${name}: message`);
    }
  });

  t.test('upgrade requests are authenticated like any other', async (t) => {
    const before = seen.length;
    const { socket, head } = await rawUpgrade('POST', `${base}/web/exec?command=ls&stdout=true`, spdy, {});
    t.match(head, /^HTTP\/1\.1 401 /, 'no credentials: 401');
    socket.destroy();
    t.equal(seen.length, before, 'the kubelet was never asked');
  });

  t.test('a request that does not upgrade', async (t) => {
    const r = await call('POST', `${base}/web/exec?command=ls&stdout=true`);
    t.equal(r.code, 400);
    t.equal(JSON.parse(r.body).message, 'Upgrade request required');
    const missing = await call('GET', `${base}/nope/exec?command=ls`);
    t.equal(missing.code, 404, 'the pod is looked up first, as in kube');
  });

  t.test('nodes/proxy: plain requests both ways', async (t) => {
    const before = seen.length;
    const summary = await call('GET', '/api/v1/nodes/kn/proxy/stats/summary');
    t.equal(summary.code, 200);
    t.match(summary.headers['content-type'], /application\/json/);
    t.same(JSON.parse(summary.body), { node: { nodeName: 'kn', cpu: { usageNanoCores: 42 } } });
    t.equal(seen[before]!.url, '/stats/summary');
    t.equal(seen[before]!.headers.authorization, undefined);
    const echoed = await call('POST', '/api/v1/nodes/kn/proxy/echo?x=1', 'a body for the kubelet', { 'content-type': 'text/plain' });
    t.equal(echoed.code, 201);
    t.equal(echoed.body, 'a body for the kubelet');
    t.equal(echoed.headers['x-kubelet'], 'yes');
    t.equal(seen[before + 1]!.url, '/echo?x=1');
    const withPort = await call('GET', `/api/v1/nodes/kn:${kubeletPort}/proxy/stats/summary`);
    t.equal(withPort.code, 200, 'NAME:PORT with the kubelet port');
    const notFound = await call('GET', '/api/v1/nodes/kn/proxy/nothing');
    t.equal(notFound.code, 404);
    t.equal(notFound.body, '404 page not found\n', 'the kubelet\'s own answer');
    const dead = await call('GET', '/api/v1/nodes/dead-node/proxy/stats/summary');
    t.equal(dead.code, 503);
  });

  for (const version of ['1.27', '1.33']) {
    t.test(`kubectl ${version} shows the kubelet's refusal`, { skip: hasKubectl(version) ? false : `kubectl ${version} not installed` }, async (t) => {
      const { kubectl, cleanup } = await kubectlFor(version, cluster.kubeconfigPath);
      t.teardown(cleanup);
      const r = await kubectl(['exec', 'simulated', '--', 'ls']);
      t.not(r.code, 0);
      t.match(r.stderr, /exec is not supported by the simulated runtime/, r.stderr);
    });
  }

  // left open on purpose: stopping the cluster (teardown) must close it, not wait for it
  t.test('a session still open when the server stops', async (t) => {
    const closedBefore = kubeletClosed.length;
    const { head } = await rawUpgrade('POST', `${base}/web/exec?command=sh&stdin=true`, spdy);
    t.match(head, /^HTTP\/1\.1 101 /);
    leftOpen = kubeletClosed[closedBefore]!;
  });

  t.test('watch over WebSocket still works', async (t) => {
    const ws = new WebSocket(`wss://${api.host}${base}?watch=true`, { ca: cluster.ca, cert: admin.cert, key: admin.key });
    ws.on('error', () => undefined);
    const [data] = (await once(ws, 'message')) as [Buffer];
    const event = JSON.parse(data.toString()) as { type: string; object: { kind: string } };
    t.equal(event.type, 'ADDED');
    t.equal(event.object.kind, 'Pod');
    ws.close(1000);
    await once(ws, 'close');
  });
});
