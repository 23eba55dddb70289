/**
 * The node agent against a real API server (startCluster, memory store, no kubelets;
 * a node identity issued for the test) with a FakeClock and a tiny fake runtime: registration (labels, spec,
 * capacity, conditions, nodeInfo), the lease heartbeat, status re-posted on a runtime
 * readiness change, heartbeats only when the report interval passes, and re-registering
 * an existing Node.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { issueClientCert } from '../../cli/pki/pki.js';
import { startCluster } from '../../cli/start-cluster.js';
import { FakeClock } from '../../client/clock.js';
import { createClient } from '../../client/create-client.js';
import { parseKubeTime } from '../../client/leaderelection/kube-time.js';
import type { LeaseObject } from '../../client/leaderelection/lease-object.js';
import type { KubeClient } from '../../client/types.js';
import type { RuntimeCondition } from '../cri/api.js';
import { kubeletSettings } from '../settings.js';
import type { NodeObject } from './node-object.js';
import { startNodeAgent, type NodeAgentOptions } from './node-agent.js';

// not k8ts-node-N: startCluster would run a real kubelet for those; this test is the only agent of its node
const NODE = 'agent-test-node';
const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

function fakeRuntime() {
  const state = { ready: true, statusCalls: 0 };
  const runtime = {
    async version() {
      return { version: '0.1.0', runtimeName: 'simulated', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
    },
    async status() {
      state.statusCalls++;
      const conditions: RuntimeCondition[] = [
        state.ready ? { type: 'RuntimeReady', status: true, reason: '', message: '' } : { type: 'RuntimeReady', status: false, reason: 'RuntimeStopped', message: 'the runtime was stopped' },
        { type: 'NetworkReady', status: true, reason: '', message: '' },
      ];
      return { status: { conditions }, info: {} };
    },
  };
  return { state, runtime };
}

t.test('node agent against a real API server', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-node-agent-'));
  const cluster = await startCluster({ dataDir: join(dir, 'data'), port: 0, store: 'memory', nodes: 0, logLevel: 'silent', scheduler: false, controllers: false });
  const nodeCreds = await issueClientCert(cluster.pki, `system:node:${NODE}`, ['system:nodes']);
  const client = createClient({ server: cluster.url, ca: cluster.ca, cert: nodeCreds.cert, key: nodeCreds.key });
  const admin = createClient({ server: cluster.url, ca: cluster.ca, ...cluster.credentials('admin') });
  t.teardown(async () => {
    client.close();
    admin.close();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const { state, runtime } = fakeRuntime();
  const settings = kubeletSettings();
  const options = (c: KubeClient): NodeAgentOptions => ({
    client: c,
    nodeName: NODE,
    runtime,
    clock,
    settings,
    capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    podCIDR: '10.244.1.0/24',
    address: '127.0.0.1',
    hostname: 'host-1',
    kubeletPort: 10250,
    kubeletVersion: 'v1.33.0-k8ts',
    arch: 'amd64',
    os: 'linux',
    kernelVersion: '6.1.0-test',
    osImage: 'Test OS 1',
    machineID: 'machine-1',
    bootID: 'boot-1',
    logger: silentLogger,
    extraLabels: { 'k8ts.io/runtime': 'simulated' },
  });
  const nodes = admin.resource<NodeObject>('v1', 'Node');
  const leases = admin.resource<LeaseObject>('coordination.k8s.io/v1', 'Lease');
  const readyOf = (n: NodeObject) => n.status!.conditions!.find((c) => c.type === 'Ready')!;

  const agent = await startNodeAgent(options(client));
  await agent.settled();

  await t.test('registers with labels, spec, capacity, conditions and nodeInfo', async (t) => {
    const node = await nodes.get(NODE);
    t.equal(agent.nodeUid, node.metadata.uid);
    t.match(node.metadata.labels, {
      'kubernetes.io/hostname': NODE,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'beta.kubernetes.io/arch': 'amd64',
      'k8ts.io/runtime': 'simulated',
    });
    t.match(node.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    t.match(node.status, {
      capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: 'host-1' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'machine-1',
        bootID: 'boot-1',
        kernelVersion: '6.1.0-test',
        osImage: 'Test OS 1',
        containerRuntimeVersion: 'simulated://0.1.0',
        kubeletVersion: 'v1.33.0-k8ts',
        kubeProxyVersion: 'v1.33.0-k8ts',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    });
    t.same(
      node.status!.conditions!.map((c) => [c.type, c.status, c.reason]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
        ['Ready', 'True', 'KubeletReady'],
      ],
    );
    t.match(readyOf(node), { message: 'kubelet is posting ready status', lastHeartbeatTime: '2026-01-01T12:00:00Z', lastTransitionTime: '2026-01-01T12:00:00Z' });
  });

  await t.test('the lease is created and its renewTime moves with the clock', async (t) => {
    const lease = await leases.get(NODE, { namespace: 'kube-node-lease' });
    t.match(lease.spec, { holderIdentity: NODE, leaseDurationSeconds: 40, renewTime: '2026-01-01T12:00:00.000000Z' });
    t.same(lease.metadata!.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: NODE, uid: agent.nodeUid }]);
    await clock.advance(settings.leaseRenewIntervalMs);
    await agent.settled();
    const renewed = await leases.get(NODE, { namespace: 'kube-node-lease' });
    t.equal(renewed.spec!.renewTime, '2026-01-01T12:00:10.000000Z');
    t.equal(parseKubeTime(renewed.spec!.renewTime), clock.now());
  });

  await t.test('an unchanged status is not re-posted until the report interval passes', async (t) => {
    const before = await nodes.get(NODE);
    await clock.advance(settings.nodeStatusUpdateFrequencyMs);
    await agent.settled();
    const after = await nodes.get(NODE);
    t.equal(readyOf(after).lastHeartbeatTime, readyOf(before).lastHeartbeatTime, 'no post: nothing changed');
    await clock.advance(settings.nodeStatusReportFrequencyMs);
    await agent.settled();
    const reported = await nodes.get(NODE);
    t.not(readyOf(reported).lastHeartbeatTime, readyOf(before).lastHeartbeatTime, 'posted once the report interval passed');
    t.equal(readyOf(reported).lastTransitionTime, '2026-01-01T12:00:00Z', 'transition did not move');
  });

  await t.test('a runtime readiness change is posted at the next status tick', async (t) => {
    state.ready = false;
    await clock.advance(settings.nodeStatusUpdateFrequencyMs);
    await agent.settled();
    const notReady = readyOf(await nodes.get(NODE));
    t.match(notReady, { status: 'False', reason: 'KubeletNotReady', message: 'container runtime not ready: RuntimeReady=false reason:RuntimeStopped message:the runtime was stopped' });
    t.equal(parseKubeTime(notReady.lastTransitionTime), Math.floor(clock.now() / 1000) * 1000);
    state.ready = true;
    await clock.advance(settings.nodeStatusUpdateFrequencyMs);
    await agent.settled();
    t.match(readyOf(await nodes.get(NODE)), { status: 'True', reason: 'KubeletReady' });
  });

  await t.test('a restarted agent re-registers the existing node', async (t) => {
    await agent.stop();
    const pendingAfterStop = clock.pending;
    t.equal(pendingAfterStop, 0, 'stop() cancelled every timer');
    // someone else labelled the node meanwhile; our labels come back, theirs stay
    const node = await nodes.get(NODE);
    node.metadata.labels = { ...node.metadata.labels, team: 'blue', 'kubernetes.io/arch': 'wrong' };
    await nodes.update(node);
    const uid = node.metadata.uid;

    const again = await startNodeAgent({ ...options(client), capacity: { cpu: '8', memory: '16Gi', pods: '110' } });
    t.teardown(() => again.stop());
    await again.settled();
    const updated = await nodes.get(NODE);
    t.equal(updated.metadata.uid, uid, 'the same Node');
    t.equal(again.nodeUid, uid);
    t.match(updated.metadata.labels, { team: 'blue', 'kubernetes.io/arch': 'amd64' });
    t.match(updated.status!.capacity, { cpu: '8', memory: '16Gi' });
    await clock.advance(settings.leaseRenewIntervalMs);
    await again.settled();
    const lease = await leases.get(NODE, { namespace: 'kube-node-lease' });
    t.equal(parseKubeTime(lease.spec!.renewTime), clock.now(), 'the restarted agent renews the existing lease');
  });
});

t.test('bad options are rejected with a clear message', async (t) => {
  const { runtime } = fakeRuntime();
  const base = {
    client: {} as KubeClient,
    nodeName: 'n',
    runtime,
    clock: new FakeClock(),
    settings: kubeletSettings(),
    capacity: { cpu: '1', memory: '1Gi', pods: '10' },
    address: '127.0.0.1',
    hostname: 'h',
    kubeletPort: 10250,
    kubeletVersion: 'v1',
    logger: silentLogger,
  };
  await t.rejects(startNodeAgent({ ...base, nodeName: '', kubeletPort: 70000 }), { message: /nodeName must not be empty; .*kubeletPort must be a port number, got 70000/ });
  await t.rejects(startNodeAgent({ ...base, capacity: { cpu: '1', memory: '', pods: '1' } }), { message: /capacity.memory must be set/ });
  await t.rejects(startNodeAgent({ ...base, settings: kubeletSettings({ leaseRenewIntervalMs: 0 }) }), { message: /settings.leaseRenewIntervalMs must be positive/ });
});
