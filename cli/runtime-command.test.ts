/**
 * `k8ts runtime`: flag parsing (table-driven), and the served runtime answering a client
 * over its socket (in-process: the signal handling is the only part not exercised).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { connectRuntime } from '../kubelet/cri/socket-client.js';
import { StartupError, UsageError } from './errors.js';
import { DEFAULT_RUNTIME_POD_CIDR, parseRuntimeCommand, startRuntimeService } from './runtime-command.js';
import { DEFAULTS } from './options.js';

t.test('parses flags', async (t) => {
  const good: Array<[string[], object]> = [
    [['--socket', '/run/k8ts.sock'], { socket: '/run/k8ts.sock', runtime: 'simulated', dataDir: DEFAULTS.dataDir, podCIDR: DEFAULT_RUNTIME_POD_CIDR, logLevel: DEFAULTS.logLevel }],
    [['--socket=/s', '--runtime', 'simulated', '--data-dir', '/d', '--pod-cidr', '10.9.0.0/24', '--log-level', 'debug'], { socket: '/s', runtime: 'simulated', dataDir: '/d', podCIDR: '10.9.0.0/24', logLevel: 'debug' }],
  ];
  for (const [args, options] of good) t.same(parseRuntimeCommand(args), { kind: 'serve', options }, args.join(' '));
  t.same(parseRuntimeCommand(['--help']), { kind: 'help' });
  t.same(parseRuntimeCommand(['-h', '--socket', 'x']), { kind: 'help' });

  const bad: Array<[string[], RegExp]> = [
    [[], /needs --socket PATH/],
    [['--socket'], /--socket needs a value/],
    [['--socket', '--runtime', 'simulated'], /--socket needs a value/],
    [['--socket', 's', '--socket', 't'], /given more than once/],
    [['--socket', 's', '--runtime', 'runc'], /cannot be served yet/],
    [['--socket', 's', '--runtime', 'docker'], /--runtime must be one of simulated/],
    [['--socket', 's', '--log-level', 'loud'], /--log-level must be one of/],
    [['--socket', 's', '--nodes', '3'], /unknown flag --nodes/],
    [['--socket', 's', 'extra'], /unexpected argument "extra"/],
    [['-s', 'x'], /unknown flag -s/],
  ];
  for (const [args, message] of bad) t.throws(() => parseRuntimeCommand(args), { name: 'UsageError', message }, args.join(' ') || '(none)');
});

t.test('serves the simulated runtime on the socket until stopped', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-rtcmd-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const options = { socket: join(dir, 'runtime.sock'), runtime: 'simulated' as const, dataDir: dir, podCIDR: '10.9.0.0/24', logLevel: 'silent' as const };
  const serving = await startRuntimeService(options);
  const client = await connectRuntime(serving.socketPath);
  const version = await client.version({ version: 'v1' });
  t.ok(version.runtimeName, `runtime answers: ${version.runtimeName}`);
  await t.rejects(startRuntimeService(options), StartupError, 'a second one on the same socket is refused');
  await client.close();
  await serving.stop();

  await t.rejects(startRuntimeService({ ...options, podCIDR: 'nonsense' }), UsageError, 'a bad --pod-cidr is a usage error');
});
