/**
 * The node lifecycle and taint eviction controllers against the fake cluster, on a
 * FakeClock: seeded nodes, Leases and pods → monitor passes / reconciles → exactly the
 * writes kube's controllers make, and none once converged (a healthy node costs nothing).
 */
import type { V1Pod } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { FakeClock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import { SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeObject } from '../../client/types.js';
import { formatTime } from '../common/time.js';
import { FakeCluster, type RecordedWrite } from '../common/testing/fake-cluster.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (ms: number) => formatTime(ms);
const micro = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

const conditions = (heartbeat: number, status = 'True') => [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: at(heartbeat), lastTransitionTime: at(T0 - 3600_000) },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: at(heartbeat), lastTransitionTime: at(T0 - 3600_000) },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: at(heartbeat), lastTransitionTime: at(T0 - 3600_000) },
  { type: 'Ready', status, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at(heartbeat), lastTransitionTime: at(T0 - 3600_000) },
];

const node = (name: string, o: { heartbeat?: number; unschedulable?: boolean; taints?: unknown[] } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, creationTimestamp: at(T0 - 3600_000) },
  spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
  status: { conditions: conditions(o.heartbeat ?? T0) },
});

const lease = (name: string, renew: number): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: 'kube-node-lease' },
  spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro(renew) },
});

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

const pod = (name: string, nodeName: string, tolerations: unknown[] = DEFAULT_TOLERATIONS): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: at(T0 - 600_000) },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }], tolerations },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: at(T0 - 600_000) },
      { type: 'Ready', status: 'True', lastTransitionTime: at(T0 - 590_000) },
    ],
  },
});

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

interface Recorded {
  kind: string | undefined;
  name: string | undefined;
  type: string;
  reason: string;
  message: string;
}

async function harness(t: Test, objects: KubeObject[]) {
  const clock = new FakeClock(T0);
  const fake = new FakeCluster();
  fake.now = () => clock.now();
  fake.seed(...objects);
  const informers = new SharedInformerFactory(fake.client, { clock });
  const events: Recorded[] = [];
  const recorder: EventRecorder = { event: (obj, type, reason, message) => events.push({ kind: obj.kind, name: obj.metadata?.name, type, reason, message }) };
  const lifecycle = new NodeLifecycleController({
    client: fake.client,
    informers,
    clock,
    recorder,
    settings: { nodeMonitorPeriodMs: 5_000, nodeMonitorGracePeriodMs: 40_000, evictionLimiterQPS: 0.1 },
  });
  const eviction = new TaintEvictionController({ client: fake.client, informers, clock, recorder });
  const abort = new AbortController();
  t.teardown(() => abort.abort());
  informers.start(abort.signal);
  await informers.waitForCacheSync(abort.signal);
  const writes = () => {
    const out = fake.writes.map(summary);
    fake.clearWrites();
    return out;
  };
  return { clock, fake, lifecycle, eviction, events, writes };
}

const summary = (w: RecordedWrite) => [w.verb, w.kind, w.name, ...(w.subresource ? [w.subresource] : [])].join(' ');
const taintsOf = (fake: FakeCluster, name: string) => ((fake.get('v1', 'Node', name)?.spec as { taints?: Array<{ key: string; effect: string; timeAdded?: string }> })?.taints ?? []).map((x) => `${x.key}:${x.effect}@${x.timeAdded ?? '-'}`);

t.test('a node whose kubelet goes silent: Unknown, pods not ready, tainted; back again: untainted', async (t) => {
  const h = await harness(t, [node('n1'), node('n2'), lease('n1', T0), lease('n2', T0), pod('web-1', 'n1'), pod('web-2', 'n2')]);
  const renewN2 = () => h.fake.set(lease('n2', h.clock.now()));

  await h.lifecycle.monitorNodeHealth();
  for (const n of ['n1', 'n2']) await h.lifecycle.reconcile(n);
  t.same(h.writes(), [], 'healthy nodes: no writes');
  t.same(h.events.map((e) => e.reason), ['RegisteredNode', 'RegisteredNode']);
  t.same(h.events[0], { kind: 'Node', name: 'n1', type: 'Normal', reason: 'RegisteredNode', message: 'Registered Node n1 in Controller' });
  h.events.length = 0;

  // n2 keeps renewing its Lease every 10 s; n1 is silent. At +40 s still within grace.
  for (let i = 0; i < 4; i++) {
    await h.clock.advance(10_000);
    renewN2();
    await flush();
  }
  await h.lifecycle.monitorNodeHealth();
  t.same(h.writes(), [], 'exactly the grace period: nothing yet');

  await h.clock.advance(1_000);
  await h.lifecycle.monitorNodeHealth();
  await flush();
  t.same(h.writes(), ['updateStatus Node n1 status', 'updateStatus Pod web-1 status'], 'n1 Unknown, its pod not ready; n2 untouched');
  const n1 = h.fake.get('v1', 'Node', 'n1') as { status: { conditions: Array<Record<string, string>> } };
  t.same(
    n1.status.conditions.map((c) => [c.type, c.status, c.reason, c.message, c.lastTransitionTime]),
    ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => [type, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', at(T0 + 41_000)]),
  );
  const web1 = h.fake.get<V1Pod & KubeObject>('v1', 'Pod', 'web-1', 'default');
  t.same(web1?.status?.conditions?.find((c) => c.type === 'Ready'), { type: 'Ready', status: 'False', lastTransitionTime: at(T0 + 41_000) });
  t.same(
    h.events.map((e) => [e.kind, e.name, e.type, e.reason, e.message]),
    [
      ['Node', 'n1', 'Normal', 'NodeNotReady', 'Node n1 status is now: NodeNotReady'],
      ['Pod', 'web-1', 'Warning', 'NodeNotReady', 'Node is not ready'],
    ],
  );

  // the node workers mirror the condition as a NoSchedule taint
  await h.lifecycle.reconcile('n1');
  await flush();
  t.same(h.writes(), ['patch Node n1']);
  t.same(taintsOf(h.fake, 'n1'), [`node.kubernetes.io/unreachable:NoSchedule@${at(T0 + 41_000)}`]);

  // the next pass observes Ready Unknown: the NoExecute taint (the zone's limiter has a token)
  await h.clock.advance(5_000);
  renewN2();
  await flush();
  await h.lifecycle.monitorNodeHealth();
  await flush();
  t.same(h.writes(), ['patch Node n1']);
  t.same(taintsOf(h.fake, 'n1'), [`node.kubernetes.io/unreachable:NoSchedule@${at(T0 + 41_000)}`, `node.kubernetes.io/unreachable:NoExecute@${at(T0 + 46_000)}`]);

  // converged: more passes and reconciles write nothing
  for (let i = 0; i < 3; i++) {
    await h.clock.advance(5_000);
    renewN2();
    await flush();
    await h.lifecycle.monitorNodeHealth();
    for (const n of ['n1', 'n2']) await h.lifecycle.reconcile(n);
  }
  t.same(h.writes(), [], 'steady state: no writes');

  // the kubelet comes back: renews its Lease and posts Ready
  h.fake.set({ ...h.fake.get('v1', 'Node', 'n1')!, status: { conditions: conditions(h.clock.now()) } });
  h.fake.set(lease('n1', h.clock.now()));
  await flush();
  await h.lifecycle.monitorNodeHealth();
  await flush();
  await h.lifecycle.reconcile('n1');
  await flush();
  t.same(h.writes(), ['patch Node n1', 'patch Node n1'], 'NoExecute removed by the pass, NoSchedule by the worker');
  t.same(taintsOf(h.fake, 'n1'), []);
});

t.test('cordon: spec.unschedulable ↔ the unschedulable NoSchedule taint', async (t) => {
  const h = await harness(t, [node('n1', { unschedulable: true, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), lease('n1', T0)]);
  await h.lifecycle.reconcile('n1');
  await flush();
  t.same(h.writes(), ['patch Node n1']);
  t.same(taintsOf(h.fake, 'n1'), ['dedicated:NoSchedule@-', `node.kubernetes.io/unschedulable:NoSchedule@${at(T0)}`]);
  await h.lifecycle.reconcile('n1');
  t.same(h.writes(), [], 'in order: no write');
  const cordoned = h.fake.get('v1', 'Node', 'n1')!;
  h.fake.set({ ...cordoned, spec: { ...(cordoned.spec as object), unschedulable: false } });
  await flush();
  await h.lifecycle.reconcile('n1');
  t.same(h.writes(), ['patch Node n1']);
  t.same(taintsOf(h.fake, 'n1'), ['dedicated:NoSchedule@-']);
});

t.test('a conflict on the taint patch is retried on a fresh read', async (t) => {
  const h = await harness(t, [node('n1', { unschedulable: true }), lease('n1', T0)]);
  // someone else changes the node after our cache saw it
  const stale = structuredClone(h.fake.get('v1', 'Node', 'n1')!);
  h.fake.set({ ...stale, metadata: { ...stale.metadata, labels: { x: 'y' } } });
  // reconcile right away, before the informer catches up
  await h.lifecycle.reconcile('n1');
  t.same(h.writes(), ['patch Node n1', 'patch Node n1'], 'first patch 409s on the old resourceVersion, second succeeds');
  t.same(taintsOf(h.fake, 'n1'), [`node.kubernetes.io/unschedulable:NoSchedule@${at(T0)}`]);
});

t.test('all nodes down: master disruption mode, no NoExecute taints', async (t) => {
  const h = await harness(t, [node('n1'), lease('n1', T0)]);
  await h.lifecycle.monitorNodeHealth();
  await h.clock.advance(41_000);
  await h.lifecycle.monitorNodeHealth();
  await flush();
  await h.clock.advance(5_000);
  await h.lifecycle.monitorNodeHealth();
  await flush();
  t.same(h.writes(), ['updateStatus Node n1 status'], 'the status is written, but no NoExecute taint: the only zone is fully disrupted');
});

t.test('taint eviction: now, after tolerationSeconds, never; cancelled when the taint goes', async (t) => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(T0) };
  const h = await harness(t, [
    node('n1', { taints: [taint] }),
    pod('bare', 'n1', []),
    pod('five', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]),
    pod('default', 'n1'),
    pod('forever', 'n1', [{ operator: 'Exists' }]),
    pod('elsewhere', 'n2', []),
  ]);
  const results: Record<string, unknown> = {};
  for (const name of ['bare', 'five', 'default', 'forever', 'elsewhere']) results[name] = await h.eviction.reconcile(`default/${name}`);
  t.same(results, { bare: undefined, five: { requeueAfter: 5_000 }, default: { requeueAfter: 300_000 }, forever: undefined, elsewhere: undefined });
  t.same(h.writes(), ['patch Pod bare status', 'delete Pod bare'], 'the untolerating pod goes at once, marked DisruptionTarget first');
  t.same(h.events.map((e) => [e.name, e.reason, e.message]), [['bare', 'TaintManagerEviction', 'Marking for deletion Pod default/bare']]);
  t.notOk(h.fake.get('v1', 'Pod', 'bare', 'default'));

  const patched = h.fake.writes;
  t.same(patched, []);
  await h.clock.advance(5_000);
  await flush();
  t.same(await h.eviction.reconcile('default/five'), undefined);
  const writes = [...h.fake.writes];
  t.same(writes.map(summary), ['patch Pod five status', 'delete Pod five']);
  t.same((writes[0]!.body as { status: { conditions: Array<Record<string, string>> } }).status.conditions.at(-1), {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'DeletionByTaintManager',
    message: 'Taint manager: deleting due to NoExecute taint',
    lastTransitionTime: at(T0 + 5_000),
  });
  h.writes();

  // the node is ready again: the scheduled deletion of `default` is cancelled
  h.events.length = 0;
  h.fake.set({ ...h.fake.get('v1', 'Node', 'n1')!, spec: {} });
  await flush();
  t.same(await h.eviction.reconcile('default/default'), undefined);
  t.same(h.events.map((e) => [e.name, e.reason, e.message]), [['default', 'TaintManagerEviction', 'Cancelling deletion of Pod default/default']]);
  for (const name of ['default', 'forever', 'elsewhere']) await h.eviction.reconcile(`default/${name}`);
  t.same(h.writes(), [], 'steady state: no writes');
});

t.test('taint eviction: the node event enqueues its pods; the running controller evicts on the Clock', async (t) => {
  const h = await harness(t, [node('n1'), pod('short', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }]), pod('default', 'n1')]);
  const abort = new AbortController();
  t.teardown(() => abort.abort());
  const running = h.eviction.run(abort.signal);
  await flush();
  t.same(h.writes(), []);
  h.fake.set({ ...h.fake.get('v1', 'Node', 'n1')!, spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(T0) }] } });
  await flush();
  t.same(h.writes(), [], 'tolerated for now');
  await h.clock.advance(2_000);
  await flush();
  t.same(h.writes(), ['patch Pod short status', 'delete Pod short']);
  await h.clock.advance(10_000);
  await flush();
  t.same(h.writes(), [], 'the 300 s pod stays');
  abort.abort();
  await running;
});
