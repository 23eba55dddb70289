import t from 'tap';
import { parsePorts, parseStreamRequest, StreamRequestError } from './stream-request.js';
import { negotiateSpdyProtocol, SPDY_PORT_FORWARD_PROTOCOLS, SPDY_REMOTE_COMMAND_PROTOCOLS } from './stream-protocols.js';
import { exitStatus, successStatus } from './exit-status.js';

t.test('parseStreamRequest: kube kubelet paths and stdio flags', async (t) => {
  const cases: Array<[string, string, unknown]> = [
    ['apiserver-style exec', '/exec/ns/p/c?command=sh&command=-c&command=echo%20hi&input=1&output=1&error=1', { kind: 'exec', namespace: 'ns', pod: 'p', container: 'c', command: ['sh', '-c', 'echo hi'], stdin: true, stdout: true, stderr: true, tty: false }],
    ['PodExecOptions-style flags', '/exec/ns/p/c?command=ls&stdout=true&stderr=false', { kind: 'exec', namespace: 'ns', pod: 'p', container: 'c', command: ['ls'], stdin: false, stdout: true, stderr: false, tty: false }],
    ['tty drops stderr', '/exec/ns/p/c?command=sh&input=1&output=1&error=1&tty=1', { kind: 'exec', namespace: 'ns', pod: 'p', container: 'c', command: ['sh'], stdin: true, stdout: true, stderr: false, tty: true }],
    ['with a uid segment', '/exec/ns/p/uid-1/c?command=ls&output=1', { kind: 'exec', namespace: 'ns', pod: 'p', uid: 'uid-1', container: 'c', command: ['ls'], stdin: false, stdout: true, stderr: false, tty: false }],
    ['attach has no command', '/attach/ns/p/c?input=1&output=1&tty=1', { kind: 'attach', namespace: 'ns', pod: 'p', container: 'c', command: [], stdin: true, stdout: true, stderr: false, tty: true }],
    ['escaped segments', '/exec/ns/my%2Dpod/c?command=x&output=1', { kind: 'exec', namespace: 'ns', pod: 'my-pod', container: 'c', command: ['x'], stdin: false, stdout: true, stderr: false, tty: false }],
    ['portForward', '/portForward/ns/p', { kind: 'portForward', namespace: 'ns', pod: 'p', ports: [] }],
    ['portForward ports for websocket clients', '/portForward/ns/p?ports=80,443&port=8080', { kind: 'portForward', namespace: 'ns', pod: 'p', ports: [80, 443, 8080] }],
    ['not a streaming path', '/containerLogs/ns/p/c', undefined],
    ['exec without container', '/exec/ns/p', undefined],
    ['too many segments', '/exec/ns/p/u/c/x?command=a&output=1', undefined],
  ];
  for (const [name, url, want] of cases) t.same(parseStreamRequest(url), want, name);
});

t.test('parseStreamRequest: kube messages for bad requests', async (t) => {
  const cases: Array<[string, number, RegExp]> = [
    ['/exec/ns/p/c?command=ls', 400, /at least 1 of stdin, stdout, stderr/],
    ['/exec/ns/p/c?output=1', 400, /at least 1 command/],
    ['/portForward/ns/p?ports=0', 400, /invalid port "0"/],
    ['/portForward/ns/p?ports=http', 400, /invalid port "http"/],
    ['/portForward/ns/p?ports=70000', 400, /invalid port "70000"/],
    ['/exec/%zz/p/c?command=a&output=1', 400, /malformed path/],
  ];
  for (const [url, code, message] of cases) {
    let caught: unknown;
    try {
      parseStreamRequest(url);
    } catch (err) {
      caught = err;
    }
    t.ok(caught instanceof StreamRequestError, `${url}: a StreamRequestError`);
    t.equal((caught as StreamRequestError).code, code, `${url}: code`);
    t.match((caught as Error).message, message, `${url}: message`);
  }
  t.same(parsePorts(['80, 81', '', '82']), [80, 81, 82], 'lists and repeats, blanks skipped');
});

t.test('negotiateSpdyProtocol: the first client version the server supports', async (t) => {
  const cases: Array<[string, string | string[] | undefined, readonly string[], unknown]> = [
    ['1.27 exec', 'v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io', SPDY_REMOTE_COMMAND_PROTOCOLS, { protocol: 'v4.channel.k8s.io' }],
    ['1.30 fallback offers v5 first: v4', 'v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io', SPDY_REMOTE_COMMAND_PROTOCOLS, { protocol: 'v4.channel.k8s.io' }],
    ['repeated headers as an array', ['v2.channel.k8s.io', 'v4.channel.k8s.io'], SPDY_REMOTE_COMMAND_PROTOCOLS, { protocol: 'v2.channel.k8s.io' }],
    ['port-forward', 'portforward.k8s.io', SPDY_PORT_FORWARD_PROTOCOLS, { protocol: 'portforward.k8s.io' }],
    ['missing header', undefined, SPDY_PORT_FORWARD_PROTOCOLS, { code: 400, message: 'unable to upgrade: X-Stream-Protocol-Version is required' }],
    ['nothing in common', 'v9.channel.k8s.io', SPDY_PORT_FORWARD_PROTOCOLS, { code: 403, message: 'unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io], server accepts [portforward.k8s.io]' }],
  ];
  for (const [name, header, supported, want] of cases) t.same(negotiateSpdyProtocol(header, supported), want, name);
});

t.test('exit statuses kubectl turns into its exit code', async (t) => {
  t.same(successStatus(), { metadata: {}, status: 'Success' });
  t.same(exitStatus(['sh', '-c', 'exit 0'], 0), { metadata: {}, status: 'Success' }, 'exit 0 is success');
  const failed = exitStatus(['sh', '-c', 'exit 3'], 3);
  t.equal(failed.reason, 'NonZeroExitCode');
  t.same(failed.details, { causes: [{ reason: 'ExitCode', message: '3' }] });
  t.match(failed.message, /non-zero exit code.*exit code 3/);
});
