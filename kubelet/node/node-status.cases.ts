/**
 * The node status computation as a pure function: conditions for a ready and a not-ready
 * runtime, heartbeat vs transition times, and change detection that ignores heartbeats.
 * Also the runtime health messages and the host-info helpers, table-driven, no server.
 */
import t from 'tap';
import type { RuntimeCondition } from '../cri/api.js';
import { goArch, goOs, prettyName } from './host-info.js';
import { computeNodeStatus, nodeStatusChanged, type NodeCondition, type NodeStatusInput } from './node-status.js';
import { checkRuntimeHealth } from './runtime-health.js';

const T0 = Date.UTC(2026, 0, 1);
const host = { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', operatingSystem: 'linux', architecture: 'amd64' };
const base: NodeStatusInput = {
  capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  address: '127.0.0.1',
  hostname: 'n1',
  kubeletPort: 10250,
  host,
  containerRuntimeVersion: 'simulated://0.1.0',
  kubeletVersion: 'v1.33.0-k8ts',
  notReadyErrors: [],
  now: T0,
};
const cond = (conditions: NodeCondition[], type: string) => conditions.find((c) => c.type === type)!;

t.test('a fresh ready node', async (t) => {
  const s = computeNodeStatus(base);
  t.same(s.capacity, { cpu: '4', memory: '8Gi', pods: '110' });
  t.same(s.allocatable, s.capacity);
  t.same(s.addresses, [
    { type: 'InternalIP', address: '127.0.0.1' },
    { type: 'Hostname', address: 'n1' },
  ]);
  t.same(s.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  t.same(s.nodeInfo, { ...host, containerRuntimeVersion: 'simulated://0.1.0', kubeletVersion: 'v1.33.0-k8ts', kubeProxyVersion: 'v1.33.0-k8ts' });
  t.same(
    s.conditions.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ],
  );
  for (const c of s.conditions) t.same([c.lastHeartbeatTime, c.lastTransitionTime], ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z']);
});

t.test('heartbeat and transition times', async (t) => {
  const first = computeNodeStatus(base);
  const cases: Array<{ name: string; errors: string[]; afterMs: number; readyStatus: string; transitionMoves: boolean; changed: boolean; message?: string }> = [
    { name: 'nothing changed', errors: [], afterMs: 10_000, readyStatus: 'True', transitionMoves: false, changed: false },
    { name: 'runtime went down', errors: ['container runtime is down'], afterMs: 10_000, readyStatus: 'False', transitionMoves: true, changed: true, message: 'container runtime is down' },
    { name: 'two errors', errors: ['a', 'b'], afterMs: 10_000, readyStatus: 'False', transitionMoves: true, changed: true, message: '[a, b]' },
  ];
  for (const c of cases) {
    const next = computeNodeStatus({ ...base, current: first, notReadyErrors: c.errors, now: T0 + c.afterMs });
    const ready = cond(next.conditions, 'Ready');
    t.equal(ready.status, c.readyStatus, `${c.name}: status`);
    t.equal(ready.lastHeartbeatTime, '2026-01-01T00:00:10Z', `${c.name}: heartbeat is always now`);
    t.equal(ready.lastTransitionTime, c.transitionMoves ? '2026-01-01T00:00:10Z' : '2026-01-01T00:00:00Z', `${c.name}: transition`);
    t.equal(cond(next.conditions, 'MemoryPressure').lastTransitionTime, '2026-01-01T00:00:00Z', `${c.name}: unchanged conditions keep their transition`);
    if (c.message) t.match(ready, { reason: 'KubeletNotReady', message: c.message });
    t.equal(nodeStatusChanged(first, next), c.changed, `${c.name}: changed`);
  }
});

t.test('change detection', async (t) => {
  const s = computeNodeStatus(base);
  const cases: Array<[string, Parameters<typeof nodeStatusChanged>[0], boolean]> = [
    ['no status yet', undefined, true],
    ['the same', structuredClone(s), false],
    ['capacity keys in another order', { ...structuredClone(s), capacity: { pods: '110', memory: '8Gi', cpu: '4' } }, false],
    ['foreign condition added', { ...structuredClone(s), conditions: [...s.conditions, { type: 'NetworkUnavailable', status: 'False' }] }, false],
    ['capacity differs', { ...structuredClone(s), capacity: { cpu: '2', memory: '8Gi', pods: '110' } }, true],
    ['address differs', { ...structuredClone(s), addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] }, true],
    ['ready set Unknown by the node controller', { ...structuredClone(s), conditions: s.conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' as const } : c)) }, true],
    ['runtime version differs', { ...structuredClone(s), nodeInfo: { ...s.nodeInfo, containerRuntimeVersion: 'x://1' } }, true],
  ];
  for (const [name, current, changed] of cases) t.equal(nodeStatusChanged(current, s), changed, name);
});

t.test('runtime health messages', async (t) => {
  const rc = (type: string, status: boolean, reason = '', message = ''): RuntimeCondition => ({ type, status, reason, message });
  const version = async () => ({ version: '0.1.0', runtimeName: 'simulated', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' });
  const cases: Array<[string, RuntimeCondition[] | Error, string[]]> = [
    ['ready', [rc('RuntimeReady', true), rc('NetworkReady', true)], []],
    ['no network condition is fine', [rc('RuntimeReady', true)], []],
    ['runtime not ready', [rc('RuntimeReady', false, 'Starting', 'warming up'), rc('NetworkReady', true)], ['container runtime not ready: RuntimeReady=false reason:Starting message:warming up']],
    ['no conditions', [], ['container runtime not ready: <nil>']],
    [
      'network not ready',
      [rc('RuntimeReady', true), rc('NetworkReady', false, 'NetworkPluginNotReady', 'cni plugin not initialized')],
      ['container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:cni plugin not initialized'],
    ],
    ['status() fails', new Error('connection refused'), ['container runtime is down']],
  ];
  for (const [name, conditions, errors] of cases) {
    const status = async () => {
      if (conditions instanceof Error) throw conditions;
      return { status: { conditions }, info: {} };
    };
    const health = await checkRuntimeHealth({ version, status });
    t.same(health.errors, errors, name);
    t.equal(health.containerRuntimeVersion, 'simulated://0.1.0');
  }
  const noVersion = await checkRuntimeHealth({ version: async () => Promise.reject(new Error('down')), status: async () => ({ status: { conditions: [rc('RuntimeReady', true)] }, info: {} }) });
  t.equal(noVersion.containerRuntimeVersion, undefined);
});

t.test('host info helpers', async (t) => {
  for (const [node, go] of [['x64', 'amd64'], ['arm64', 'arm64'], ['ia32', '386'], ['s390x', 's390x']]) t.equal(goArch(node), go);
  for (const [node, go] of [['linux', 'linux'], ['darwin', 'darwin'], ['win32', 'windows']]) t.equal(goOs(node), go);
  t.equal(prettyName('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'), 'Debian GNU/Linux 12 (bookworm)');
  t.equal(prettyName("PRETTY_NAME='Alpine Linux v3.20'"), 'Alpine Linux v3.20');
  t.equal(prettyName('ID=x'), undefined);
});
