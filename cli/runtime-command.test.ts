/**
 * `k8ts runtime`: flag parsing (table-driven), and the served runtime answering a client
 * over its socket (in-process: the signal handling is the only part not exercised).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { connectRuntime } from '../kubelet/cri/socket-client.js';
import { hostNames } from '../kubelet/runtime/runc/host-names.js';
import { RUNC_RUNTIME_NAME } from '../kubelet/runtime/runc/index.js';
import { assertNoTrace, snapshotHostTrace } from '../kubelet/runtime/runc/testing/host-trace.js';
import { runcHostProblems } from '../kubelet/runtime/runc/testing/runc-host.js';
import { CLUSTER_ID_FILE } from './cluster-id.js';
import { StartupError, UsageError } from './errors.js';
import { DEFAULT_RUNTIME_POD_CIDR, parseRuntimeCommand, startRuntimeService } from './runtime-command.js';
import { DEFAULTS } from './options.js';

t.test('parses flags', async (t) => {
  const good: Array<[string[], object]> = [
    [['--socket', '/run/k8ts.sock'], { socket: '/run/k8ts.sock', runtime: 'simulated', dataDir: DEFAULTS.dataDir, podCIDR: DEFAULT_RUNTIME_POD_CIDR, logLevel: DEFAULTS.logLevel }],
    [['--socket=/s', '--runtime', 'simulated', '--data-dir', '/d', '--pod-cidr', '10.9.0.0/24', '--log-level', 'debug'], { socket: '/s', runtime: 'simulated', dataDir: '/d', podCIDR: '10.9.0.0/24', logLevel: 'debug' }],
    [['--socket', '/s', '--runtime', 'runc', '--node-name', 'edge-1'], { socket: '/s', runtime: 'runc', dataDir: DEFAULTS.dataDir, podCIDR: DEFAULT_RUNTIME_POD_CIDR, logLevel: DEFAULTS.logLevel, nodeName: 'edge-1' }],
  ];
  for (const [args, options] of good) t.same(parseRuntimeCommand(args), { kind: 'serve', options }, args.join(' '));
  t.same(parseRuntimeCommand(['--help']), { kind: 'help' });
  t.same(parseRuntimeCommand(['-h', '--socket', 'x']), { kind: 'help' });

  const bad: Array<[string[], RegExp]> = [
    [[], /needs --socket PATH/],
    [['--socket'], /--socket needs a value/],
    [['--socket', '--runtime', 'simulated'], /--socket needs a value/],
    [['--socket', 's', '--socket', 't'], /given more than once/],
    [['--socket', 's', '--runtime', 'docker'], /--runtime must be one of simulated, runc/],
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

const runcProblems = runcHostProblems();
t.test('serves the runc runtime on the socket, and leaves nothing behind when stopped', { skip: runcProblems.length > 0 && `needs ${runcProblems.join(', ')}` }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-rtcmd-runc-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const podCIDR = `10.247.${process.pid % 250}.0/24`;
  const options = { socket: join(dir, 'runtime.sock'), runtime: 'runc' as const, dataDir: dir, podCIDR, logLevel: 'silent' as const, nodeName: 'edge-1' };
  const serving = await startRuntimeService(options);
  const client = await connectRuntime(serving.socketPath);
  t.equal((await client.version({ version: 'v1' })).runtimeName, RUNC_RUNTIME_NAME, 'the runc runtime answers over the socket');
  const identity = { namespace: 'cli', name: 'socket-pod', uid: 'uid-socket-pod' };
  const { podSandboxId } = await client.runPodSandbox({
    config: { metadata: { ...identity, attempt: 0 }, hostname: 'socket-pod', logDirectory: join(dir, 'logs'), portMappings: [], labels: {}, annotations: {} },
    runtimeHandler: '',
  });
  const ip = (await client.podSandboxStatus({ podSandboxId, verbose: false })).status.network?.ip ?? '';
  t.match(ip, new RegExp(`^10\\.247\\.${process.pid % 250}\\.\\d+$`), 'the sandbox has an IP from --pod-cidr');
  await client.close();
  await serving.stop();
  const stateDir = join(dir, 'nodes', 'edge-1', 'runtime');
  const clusterId = (await readFile(join(dir, CLUSTER_ID_FILE), 'utf8')).trim();
  assertNoTrace(t, await snapshotHostTrace(hostNames(stateDir, clusterId, 'edge-1'), stateDir, { podCIDR }), 'stopping removed the sandbox and everything else');
});
