/**
 * The header rules of the kubelet proxy, table by table: what reaches the kubelet, how
 * its answer goes back, what counts as an upgrade, and nodes/proxy's name and path.
 */
import t from 'tap';
import { kubeletRequestHeaders, plainResponseHeaders, responseHead, upgradeOf } from './proxy-headers.js';
import { nodeProxyPath, splitSchemeNamePort } from './node-proxy-location.js';

const pairs = (flat: string[]) => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

t.test('kubeletRequestHeaders', async (t) => {
  const cases: Array<[string, string[], Parameters<typeof kubeletRequestHeaders>[1], Array<[string, string]>]> = [
    [
      'SPDY upgrade: credentials and hop headers dropped, protocol headers kept, Connection/Upgrade restored',
      ['Host', 'api:6443', 'Authorization', 'Bearer secret', 'Connection', 'Upgrade', 'Upgrade', 'SPDY/3.1', 'X-Stream-Protocol-Version', 'v4.channel.k8s.io', 'X-Stream-Protocol-Version', 'v3.channel.k8s.io', 'Content-Length', '0', 'User-Agent', 'kubectl/v1.27'],
      { host: '127.0.0.1:10250', upgrade: 'SPDY/3.1', method: 'POST' },
      [['Host', '127.0.0.1:10250'], ['X-Stream-Protocol-Version', 'v4.channel.k8s.io'], ['X-Stream-Protocol-Version', 'v3.channel.k8s.io'], ['User-Agent', 'kubectl/v1.27'], ['Content-Length', '0'], ['Connection', 'Upgrade'], ['Upgrade', 'SPDY/3.1']],
    ],
    [
      'WebSocket upgrade: Sec-WebSocket-* pass, cookies and impersonation do not',
      ['host', 'x', 'connection', 'Upgrade', 'upgrade', 'websocket', 'sec-websocket-key', 'abc==', 'sec-websocket-version', '13', 'sec-websocket-protocol', 'v5.channel.k8s.io', 'cookie', 'a=b', 'Impersonate-User', 'root', 'Impersonate-Group', 'system:masters'],
      { host: 'node:1', upgrade: 'websocket', forwardedFor: '10.0.0.9', method: 'GET' },
      [['Host', 'node:1'], ['sec-websocket-key', 'abc=='], ['sec-websocket-version', '13'], ['sec-websocket-protocol', 'v5.channel.k8s.io'], ['X-Forwarded-For', '10.0.0.9'], ['Connection', 'Upgrade'], ['Upgrade', 'websocket']],
    ],
    [
      'plain request: Content-Length kept, headers named by Connection dropped, X-Forwarded-For appended',
      ['Host', 'x', 'Connection', 'keep-alive, X-Secret', 'X-Secret', 's', 'Content-Length', '5', 'Content-Type', 'text/plain', 'X-Forwarded-For', '1.2.3.4', 'Transfer-Encoding', 'chunked', 'Proxy-Authorization', 'p'],
      { host: 'h:2', forwardedFor: '5.6.7.8' },
      [['Host', 'h:2'], ['Content-Length', '5'], ['Content-Type', 'text/plain'], ['X-Forwarded-For', '1.2.3.4, 5.6.7.8']],
    ],
  ];
  for (const [name, raw, options, want] of cases) t.same(pairs(kubeletRequestHeaders(raw, options)), want, name);
});

t.test('responseHead', async (t) => {
  t.equal(
    responseHead(101, 'Switching Protocols', ['Connection', 'Upgrade', 'Upgrade', 'SPDY/3.1', 'X-Stream-Protocol-Version', 'v4.channel.k8s.io'], false),
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n',
    '101 as the kubelet sent it',
  );
  t.equal(
    responseHead(400, '', ['Content-Type', 'text/plain', 'Transfer-Encoding', 'chunked', 'Connection', 'keep-alive'], true),
    'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n',
    'a refusal: framing dropped (Node decoded it), the close ends the body',
  );
});

t.test('plainResponseHeaders keep Content-Length and drop hop headers', async (t) => {
  t.same(plainResponseHeaders(['Content-Type', 'application/json', 'Content-Length', '2', 'Connection', 'close', 'Keep-Alive', 'timeout=5']), ['Content-Type', 'application/json', 'Content-Length', '2']);
});

t.test('upgradeOf', async (t) => {
  const cases: Array<[Record<string, string | undefined>, string | undefined]> = [
    [{ connection: 'Upgrade', upgrade: 'SPDY/3.1' }, 'SPDY/3.1'],
    [{ connection: 'keep-alive, Upgrade', upgrade: 'websocket' }, 'websocket'],
    [{ connection: 'keep-alive', upgrade: 'websocket' }, undefined],
    [{ connection: 'Upgrade' }, undefined],
    [{}, undefined],
  ];
  for (const [headers, want] of cases) t.equal(upgradeOf(headers), want, JSON.stringify(headers));
});

t.test('splitSchemeNamePort and nodeProxyPath', async (t) => {
  t.same(splitSchemeNamePort('n1'), { scheme: '', name: 'n1', port: '' });
  t.same(splitSchemeNamePort('n1:10250'), { scheme: '', name: 'n1', port: '10250' });
  t.same(splitSchemeNamePort('https:n1:10250'), { scheme: 'https', name: 'n1', port: '10250' });
  t.equal(splitSchemeNamePort('n1:'), undefined);
  t.equal(splitSchemeNamePort('ftp:n1:1'), undefined);
  t.equal(splitSchemeNamePort('a:b:c:d'), undefined);
  t.equal(nodeProxyPath('stats/summary', ''), '/stats/summary');
  t.equal(nodeProxyPath('logs/', 'x=1'), '/logs/?x=1', 'a trailing slash stays');
  t.equal(nodeProxyPath('', ''), '/');
  t.equal(nodeProxyPath('a%2Fb', ''), '/a%2Fb', 'still encoded');
});
