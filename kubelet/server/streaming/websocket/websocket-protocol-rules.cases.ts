/**
 * Table tests for the pure rules of the WebSocket streaming layer: subprotocol choice,
 * upgrade checks, channel framing, resize decoding, the final Status bytes and the
 * port-forward `port` query.
 */
import t from 'tap';
import { decodeChannelMessage, encodeChannelMessage } from './channel-codec.js';
import { encodeFinishStatus } from './finish-status.js';
import { parsePortForwardPorts } from './port-forward-ports.js';
import {
  channelProtocolTraits,
  chooseSubprotocol,
  parseOfferedSubprotocols,
  PORT_FORWARD_SUBPROTOCOLS,
  REMOTE_COMMAND_SUBPROTOCOLS,
  SPDY_PORT_FORWARD_TUNNEL_PROTOCOL,
  unsupportedSubprotocolMessage,
} from './subprotocols.js';
import { TerminalSizeDecoder } from './terminal-size-decoder.js';
import { checkWebSocketUpgrade } from './upgrade-request.js';

t.test('parseOfferedSubprotocols splits on commas and trims, keeping any characters', async (t) => {
  const cases: Array<[string | string[] | undefined, string[]]> = [
    [undefined, []],
    ['', []],
    ['  ', []],
    ['v5.channel.k8s.io', ['v5.channel.k8s.io']],
    ['v4.channel.k8s.io, v5.channel.k8s.io ,channel.k8s.io', ['v4.channel.k8s.io', 'v5.channel.k8s.io', 'channel.k8s.io']],
    ['SPDY/3.1+portforward.k8s.io', ['SPDY/3.1+portforward.k8s.io']],
    [['a', 'b, c'], ['a', 'b', 'c']],
  ];
  for (const [header, expected] of cases) t.same(parseOfferedSubprotocols(header), expected, JSON.stringify(header));
});

t.test('chooseSubprotocol takes the first offered protocol that is supported (client order)', async (t) => {
  const cases: Array<{ offered: string[]; supported: readonly string[]; expected: string | undefined }> = [
    { offered: ['v5.channel.k8s.io'], supported: REMOTE_COMMAND_SUBPROTOCOLS, expected: 'v5.channel.k8s.io' },
    { offered: ['v4.channel.k8s.io', 'v5.channel.k8s.io'], supported: REMOTE_COMMAND_SUBPROTOCOLS, expected: 'v4.channel.k8s.io' },
    { offered: ['nope', 'base64.channel.k8s.io'], supported: REMOTE_COMMAND_SUBPROTOCOLS, expected: 'base64.channel.k8s.io' },
    { offered: [], supported: REMOTE_COMMAND_SUBPROTOCOLS, expected: '' },
    { offered: [], supported: ['v5.channel.k8s.io'], expected: undefined },
    { offered: ['v5.channel.k8s.io'], supported: PORT_FORWARD_SUBPROTOCOLS, expected: 'v5.channel.k8s.io' },
    { offered: ['v9.channel.k8s.io'], supported: PORT_FORWARD_SUBPROTOCOLS, expected: undefined },
    { offered: [SPDY_PORT_FORWARD_TUNNEL_PROTOCOL], supported: [SPDY_PORT_FORWARD_TUNNEL_PROTOCOL], expected: SPDY_PORT_FORWARD_TUNNEL_PROTOCOL },
    { offered: ['V5.CHANNEL.K8S.IO'], supported: REMOTE_COMMAND_SUBPROTOCOLS, expected: undefined },
  ];
  for (const c of cases) t.equal(chooseSubprotocol(c.offered, c.supported), c.expected, JSON.stringify(c.offered));
  t.equal(
    unsupportedSubprotocolMessage(['a', 'b'], ['v4.channel.k8s.io', '']),
    'requested protocol(s) are not supported: [a b]; supports [v4.channel.k8s.io ]',
  );
});

t.test('protocol traits per version', async (t) => {
  const cases: Array<[string, { binary: boolean; statusAsJson: boolean; closeSignal: boolean }]> = [
    ['v5.channel.k8s.io', { binary: true, statusAsJson: true, closeSignal: true }],
    ['v4.channel.k8s.io', { binary: true, statusAsJson: true, closeSignal: false }],
    ['v4.base64.channel.k8s.io', { binary: false, statusAsJson: true, closeSignal: false }],
    ['v3.channel.k8s.io', { binary: true, statusAsJson: false, closeSignal: false }],
    ['v2.channel.k8s.io', { binary: true, statusAsJson: false, closeSignal: false }],
    ['channel.k8s.io', { binary: true, statusAsJson: false, closeSignal: false }],
    ['base64.channel.k8s.io', { binary: false, statusAsJson: false, closeSignal: false }],
    ['', { binary: true, statusAsJson: false, closeSignal: false }],
  ];
  for (const [p, expected] of cases) t.same(channelProtocolTraits(p), expected, p || '(none)');
});

t.test('checkWebSocketUpgrade', async (t) => {
  const good = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
  t.same(checkWebSocketUpgrade('GET', good), { ok: true });
  t.same(checkWebSocketUpgrade('GET', { ...good, upgrade: 'WebSocket', connection: 'keep-alive, upgrade' }), { ok: true });
  const bad: Array<[string, string, Record<string, string>, number, RegExp]> = [
    ['POST', 'method', good, 400, /GET/],
    ['GET', 'no upgrade', { ...good, upgrade: '' }, 400, /Upgrade header/],
    ['GET', 'spdy upgrade', { ...good, upgrade: 'SPDY/3.1' }, 400, /Upgrade header/],
    ['GET', 'connection close', { ...good, connection: 'close' }, 400, /Connection header/],
    ['GET', 'version 8', { ...good, 'sec-websocket-version': '8' }, 400, /Version/],
    ['GET', 'no key', { ...good, 'sec-websocket-key': '' }, 400, /Key/],
  ];
  for (const [method, name, headers, code, message] of bad) {
    const r = checkWebSocketUpgrade(method, headers);
    t.equal(r.ok, false, name);
    if (!r.ok) {
      t.equal(r.code, code, name);
      t.match(r.message, message, name);
    }
  }
  const v = checkWebSocketUpgrade('GET', { ...good, 'sec-websocket-version': '8' });
  t.same(!v.ok && v.headers, { 'Sec-WebSocket-Version': '13' });
});

t.test('channel framing: encode', async (t) => {
  t.same(encodeChannelMessage(true, 1, Buffer.from('hi')), Buffer.from([1, 0x68, 0x69]));
  t.same(encodeChannelMessage(true, 3, Buffer.alloc(0)), Buffer.from([3]));
  t.equal(encodeChannelMessage(false, 1, Buffer.from('\n')), '1Cg==');
  t.equal(encodeChannelMessage(false, 2, Buffer.alloc(0)), '2');
  // a subarray must encode only its own bytes
  const big = Buffer.from('xxhelloxx');
  t.equal(encodeChannelMessage(false, 1, big.subarray(2, 7)), '1' + Buffer.from('hello').toString('base64'));
});

t.test('channel framing: decode', async (t) => {
  const cases: Array<[string, boolean, boolean, Buffer, unknown]> = [
    ['binary stdin', true, false, Buffer.from([0, 102, 111, 111]), { kind: 'data', channel: 0, payload: Buffer.from('foo') }],
    ['empty message skipped', true, false, Buffer.alloc(0), { kind: 'skip', reason: 'empty message' }],
    ['channel byte only', true, false, Buffer.from([0]), { kind: 'data', channel: 0, payload: Buffer.alloc(0) }],
    ['v5 close stdin', true, true, Buffer.from([255, 0]), { kind: 'close', channel: 0 }],
    ['v4 has no close signal', true, false, Buffer.from([255, 0]), { kind: 'data', channel: 255, payload: Buffer.from([0]) }],
    ['v5 malformed close', true, true, Buffer.from([255, 0, 1]), { kind: 'skip', reason: 'close signal with 2 bytes, expected 1' }],
    ['base64 stdin', false, false, Buffer.from('0Zm9vCg=='), { kind: 'data', channel: 0, payload: Buffer.from('foo\n') }],
    ['base64 with CRLF', false, false, Buffer.from('0Zm9v\r\nCg=='), { kind: 'data', channel: 0, payload: Buffer.from('foo\n') }],
    ['base64 resize', false, false, Buffer.from('4' + Buffer.from('{"Width":1}').toString('base64')), { kind: 'data', channel: 4, payload: Buffer.from('{"Width":1}') }],
    ['base64 invalid', false, false, Buffer.from('0Zm9v*'), { kind: 'skip', reason: 'illegal base64 data' }],
    ['base64 missing padding', false, false, Buffer.from('0Zm9vCg'), { kind: 'skip', reason: 'illegal base64 data' }],
    ['base64 bad channel', false, false, Buffer.from('xZm9v'), { kind: 'skip', reason: 'invalid channel character "x"' }],
  ];
  for (const [name, binary, close, message, expected] of cases) t.same(decodeChannelMessage(binary, close, message), expected, name);
});

t.test('TerminalSizeDecoder: a JSON stream, split or packed, case-insensitive, stops on garbage', async (t) => {
  const d = new TerminalSizeDecoder();
  t.same(d.push('{"Width":80,"Height":24}'), [{ width: 80, height: 24 }]);
  t.same(d.push('{"Width":10'), []);
  t.same(d.push(',"Height":5}{"width":1,"height":2}\n'), [
    { width: 10, height: 5 },
    { width: 1, height: 2 },
  ]);
  t.same(d.push('{"Height":7}'), [{ width: 0, height: 7 }], 'missing fields are zero');
  t.same(d.push('{"Width":"x"}'), [], 'a wrong type stops decoding');
  t.equal(d.stopped, true);
  t.same(d.push('{"Width":3,"Height":3}'), [], 'nothing after a failure');

  const e = new TerminalSizeDecoder();
  t.same(e.push('{"Width":70000}'), [], 'out of uint16 range fails');
  t.equal(e.stopped, true);
  const f = new TerminalSizeDecoder();
  t.same(f.push('{"Title":"a}b","Width":2,"Height":3}'), [{ width: 2, height: 3 }], 'braces inside strings');
  const g = new TerminalSizeDecoder();
  t.same(g.push('[1] '), []);
  t.equal(g.stopped, true, 'a non-object fails');
});

t.test('final Status bytes per protocol version', async (t) => {
  const failure = {
    status: 'Failure' as const,
    message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: '3' }] },
  };
  t.equal(encodeFinishStatus(true, { status: 'Success' })?.toString(), '{"metadata":{},"status":"Success"}');
  t.equal(
    encodeFinishStatus(true, failure)?.toString(),
    '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
  );
  t.equal(
    encodeFinishStatus(true, { status: 'Failure', message: 'boom', reason: 'InternalError', code: 500 })?.toString(),
    '{"metadata":{},"status":"Failure","message":"boom","reason":"InternalError","code":500}',
  );
  t.equal(encodeFinishStatus(false, { status: 'Success' }), undefined, 'v1-v3: nothing on success');
  t.equal(encodeFinishStatus(false, failure)?.toString(), failure.message, 'v1-v3: the message text');
});

t.test('parsePortForwardPorts: kube messages', async (t) => {
  const cases: Array<[string[], unknown]> = [
    [['80'], { ok: true, ports: [80] }],
    [['80,443'], { ok: true, ports: [80, 443] }],
    [['80', '443,8080'], { ok: true, ports: [80, 443, 8080] }],
    [['080'], { ok: true, ports: [80] }],
    [['65535'], { ok: true, ports: [65535] }],
    [[], { ok: false, message: 'query parameter "port" is required' }],
    [[''], { ok: false, message: 'query parameter "port" cannot be empty' }],
    [['80,abc'], { ok: false, message: 'unable to parse "80,abc" as a port: strconv.ParseUint: parsing "abc": invalid syntax' }],
    [['80,'], { ok: false, message: 'unable to parse "80," as a port: strconv.ParseUint: parsing "": invalid syntax' }],
    [['-1'], { ok: false, message: 'unable to parse "-1" as a port: strconv.ParseUint: parsing "-1": invalid syntax' }],
    [['+1'], { ok: false, message: 'unable to parse "+1" as a port: strconv.ParseUint: parsing "+1": invalid syntax' }],
    [['65536'], { ok: false, message: 'unable to parse "65536" as a port: strconv.ParseUint: parsing "65536": value out of range' }],
    [['99999999999999999999'], { ok: false, message: 'unable to parse "99999999999999999999" as a port: strconv.ParseUint: parsing "99999999999999999999": value out of range' }],
    [['22,0'], { ok: false, message: 'port "22,0" must be > 0' }],
  ];
  for (const [values, expected] of cases) t.same(parsePortForwardPorts(values), expected, JSON.stringify(values));
});
