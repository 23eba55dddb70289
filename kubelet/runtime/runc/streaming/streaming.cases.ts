/**
 * The pure parts of the runc runtime's streaming: runc exec's argv, exit codes from
 * signals, conmon's attach packets and resize message, and the port-forward error text.
 */
import t from 'tap';
import { parseAttachPacket, resizeControlMessage } from './conmon-attach-protocol.js';
import { runcExecArgv } from './exec-argv.js';
import { exitCodeOf } from './exit-status.js';
import { FrameSplitter } from './seqpacket-relay.js';
import { goDialError, portForwardErrorMessage } from './port-forward-error.js';

t.test('runc exec argv', async (t) => {
  const base = { root: '/state/runc', logPath: '/b/exec-1.log', pidFile: '/b/exec-1.pid', containerId: 'abc', cmd: ['sh', '-c', 'echo hi'] };
  const cases: Array<{ name: string; tty: boolean; want: string[] }> = [
    {
      name: 'pipes',
      tty: false,
      want: ['--root', '/state/runc', '--log', '/b/exec-1.log', '--log-format', 'json', 'exec', '--pid-file', '/b/exec-1.pid', 'abc', 'sh', '-c', 'echo hi'],
    },
    {
      name: 'terminal',
      tty: true,
      want: ['--root', '/state/runc', '--log', '/b/exec-1.log', '--log-format', 'json', 'exec', '--pid-file', '/b/exec-1.pid', '--tty', 'abc', 'sh', '-c', 'echo hi'],
    },
  ];
  for (const c of cases) t.same(runcExecArgv({ ...base, tty: c.tty }), c.want, c.name);
  t.same(runcExecArgv({ ...base, cmd: ['--help'], tty: false }).slice(-2), ['abc', '--help'], 'a command that looks like a flag stays after the id');
});

t.test('exit codes', async (t) => {
  const cases: Array<[number | null, NodeJS.Signals | number | null, number]> = [
    [0, null, 0],
    [3, null, 3],
    [137, null, 137],
    [null, 'SIGKILL', 137],
    [null, 'SIGTERM', 143],
    [null, 'SIGHUP', 129],
    [null, 9, 137],
    [0, 15, 143],
    [null, null, -1],
  ];
  for (const [code, signal, want] of cases) t.equal(exitCodeOf(code, signal), want, `${code}/${signal}`);
});

t.test("conmon's attach packets", async (t) => {
  t.same(parseAttachPacket(Buffer.from('\x02hi\n', 'latin1')), { stream: 'stdout', data: Buffer.from('hi\n') });
  t.same(parseAttachPacket(Buffer.from('\x03err\n', 'latin1')), { stream: 'stderr', data: Buffer.from('err\n') });
  t.same(parseAttachPacket(Buffer.from([2])), { stream: 'stdout', data: Buffer.alloc(0) }, 'an empty payload');
  t.same(parseAttachPacket(Buffer.from([2, 0xff, 0x00, 0xc3])), { stream: 'stdout', data: Buffer.from([0xff, 0x00, 0xc3]) }, 'binary bytes untouched');
  t.same(parseAttachPacket(Buffer.from([1, 65])), { stream: 'unknown', id: 1 });
  t.same(parseAttachPacket(Buffer.alloc(0)), { stream: 'empty' });
});

t.test("conmon's resize message: type 1, height, then width", async (t) => {
  const cases: Array<[{ width: number; height: number }, string]> = [
    [{ width: 120, height: 40 }, '1 40 120\n'],
    [{ width: 80.7, height: 24.2 }, '1 24 80\n'],
    [{ width: -5, height: 70000 }, '1 65535 0\n'],
    [{ width: Number.NaN, height: Number.POSITIVE_INFINITY }, '1 0 0\n'],
  ];
  for (const [size, want] of cases) t.equal(resizeControlMessage(size), want, JSON.stringify(size));
});

t.test('port-forward errors in the kubelet shape', async (t) => {
  t.equal(goDialError('ECONNREFUSED', 'x'), 'connect: connection refused');
  t.equal(goDialError('EHOSTUNREACH', 'x'), 'connect: no route to host');
  t.equal(goDialError('ENETUNREACH', 'x'), 'connect: network is unreachable');
  t.equal(goDialError('ETIMEDOUT', 'x'), 'i/o timeout');
  t.equal(goDialError('EWHATEVER', 'connect EWHATEVER 1.2.3.4:5'), 'connect EWHATEVER 1.2.3.4:5', 'unknown codes keep the system text');
  t.equal(goDialError(undefined, 'boom'), 'boom');
  t.equal(
    portForwardErrorMessage({ host: '10.252.0.5', port: 80, sandboxId: 'abc', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.252.0.5:80' }),
    'failed to connect to 10.252.0.5:80 inside namespace "abc", IPv4: dial tcp4 10.252.0.5:80: connect: connection refused',
  );
});

t.test('the attach relay frames: length-prefixed packets split and joined across reads', async (t) => {
  const frame = (payload: Buffer) => Buffer.concat([Buffer.alloc(4), payload]).fill(0, 0, 4).map((b, i) => (i < 4 ? (payload.length >>> (8 * (3 - i))) & 0xff : b));
  const payloads = [Buffer.alloc(0), Buffer.from('\x02hello\n', 'latin1'), Buffer.alloc(70_000, 7), Buffer.from([3, 0xff])];
  const wire = Buffer.concat(payloads.map((p) => Buffer.from(frame(p))));
  for (const step of [1, 3, 4, 5, 4096, wire.length]) {
    const splitter = new FrameSplitter();
    const got: Buffer[] = [];
    for (let i = 0; i < wire.length; i += step) got.push(...splitter.push(wire.subarray(i, i + step)));
    t.same(got.map((b) => b.toString('hex')), payloads.map((b) => b.toString('hex')), `reads of ${step} bytes`);
  }
});
