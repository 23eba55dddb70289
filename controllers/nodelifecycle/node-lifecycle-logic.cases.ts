/**
 * The node lifecycle's pure parts, table-driven: node + Lease + memory + now → conditions
 * to write; conditions → NoSchedule/NoExecute taints; zone states; pods marked not ready;
 * pods + taints → when they are evicted.
 */
import type { V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { formatTime } from '../common/time.js';
import { evictionPlan, minTolerationMs } from './eviction-plan.js';
import { podMarkedNotReady } from './mark-pods-not-ready.js';
import { checkNodeHealth, type NodeCondition, type NodeHealth, type NodeLike } from './node-health.js';
import { noExecuteAction } from './no-execute-taints.js';
import { desiredNoScheduleTaints, noScheduleTaintChanges } from './no-schedule-taints.js';
import { swapTaints, type Taint } from './taints.js';
import { computeZoneState, zoneKey, zoneTaintRate } from './zone-state.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const s = (n: number) => T0 + n * 1000;
const at = (n: number) => formatTime(s(n));
const GRACE = { nodeMonitorGracePeriodMs: 40_000, nodeStartupGracePeriodMs: 60_000 };

const ready = (heartbeat: number, status = 'True'): NodeCondition => ({ type: 'Ready', status, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at(heartbeat), lastTransitionTime: at(-100) });
const pressure = (type: string, heartbeat: number): NodeCondition => ({ type, status: 'False', reason: `Kubelet${type}`, message: 'fine', lastHeartbeatTime: at(heartbeat), lastTransitionTime: at(-100) });

const node = (conditions: NodeCondition[] | undefined, created = -200): NodeLike => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1', creationTimestamp: at(created) },
  ...(conditions ? { status: { conditions } } : {}),
});
const lease = (renew: number) => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: new Date(s(renew)).toISOString().replace('Z', '000Z') } });
const healthyConditions = (hb: number) => [pressure('MemoryPressure', hb), pressure('DiskPressure', hb), pressure('PIDPressure', hb), ready(hb)];

t.test('node health: signs of life and the grace period', async (t) => {
  // first sight: the grace period counts from now
  const first = checkNodeHealth({ node: node(healthyConditions(0)), lease: lease(0), saved: undefined, now: s(0), ...GRACE });
  t.equal(first.health.probeTimestamp, s(0));
  t.notOk(first.conditions, 'a healthy node: nothing to write');

  // the Lease keeps it alive though the status heartbeat is old
  let saved: NodeHealth = first.health;
  const renewed = checkNodeHealth({ node: node(healthyConditions(0)), lease: lease(30), saved, now: s(35), ...GRACE });
  t.equal(renewed.health.probeTimestamp, s(35), 'a newer Lease renewTime is a sign of life');
  t.notOk(renewed.conditions);
  saved = renewed.health;

  // the same Lease again: no new sign of life, still within grace at +40 s
  const quiet = checkNodeHealth({ node: node(healthyConditions(0)), lease: lease(30), saved, now: s(75), ...GRACE });
  t.equal(quiet.health.probeTimestamp, s(35));
  t.notOk(quiet.conditions, 'exactly the grace period: not yet');

  // past the grace period: every kubelet condition Unknown, Ready first in kube's order of checks
  const dead = checkNodeHealth({ node: node(healthyConditions(0)), lease: lease(30), saved, now: s(76), ...GRACE });
  t.same(dead.observedReady.status, 'True');
  t.same(dead.currentReady?.status, 'Unknown');
  t.same(
    dead.conditions?.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime]),
    ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => [type, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', at(0), at(76)]),
  );
  t.equal(dead.healthAfterWrite?.readyTransitionTimestamp, s(76));

  // once written Unknown, the next pass writes nothing
  const after = checkNodeHealth({ node: node(dead.conditions), lease: lease(30), saved: dead.healthAfterWrite, now: s(81), ...GRACE });
  t.notOk(after.conditions, 'already Unknown: no second write');
  t.equal(after.observedReady.status, 'Unknown');

  // the kubelet comes back: a renewed Lease resets the probe time; the kubelet posts Ready itself
  const back = checkNodeHealth({ node: node(dead.conditions), lease: lease(90), saved: after.health, now: s(91), ...GRACE });
  t.equal(back.health.probeTimestamp, s(91));
  t.notOk(back.conditions);
});

t.test('node health: a new Ready heartbeat is a sign of life; a new transition time is remembered', async (t) => {
  const saved: NodeHealth = { probeTimestamp: s(0), readyTransitionTimestamp: s(-50), savedReady: ready(0), leaseRenewTime: undefined };
  const beat = checkNodeHealth({ node: node([ready(20)]), lease: undefined, saved, now: s(30), ...GRACE });
  t.equal(beat.health.probeTimestamp, s(30));
  t.equal(beat.health.readyTransitionTimestamp, s(-50), 'same transition time: kept');
  const flipped = { ...ready(25, 'False'), lastTransitionTime: at(25) };
  const transition = checkNodeHealth({ node: node([flipped]), lease: undefined, saved: beat.health, now: s(31), ...GRACE });
  t.equal(transition.health.readyTransitionTimestamp, s(31));
});

t.test('node health: a node that never posted status gets the startup grace from its creation', async (t) => {
  const young = checkNodeHealth({ node: node(undefined, -30), lease: undefined, saved: undefined, now: s(0), ...GRACE });
  t.equal(young.gracePeriodMs, 60_000);
  t.equal(young.health.probeTimestamp, s(-30), 'probe time = creationTimestamp');
  t.notOk(young.conditions);
  t.equal(young.observedReady.status, 'Unknown');
  t.notOk(young.currentReady);

  const old = checkNodeHealth({ node: node(undefined, -61), lease: undefined, saved: undefined, now: s(0), ...GRACE });
  t.same(
    old.conditions?.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime]),
    ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => [type, 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', at(-61)]),
  );
  t.equal(old.currentReady?.status, 'Unknown');

  const withLease = checkNodeHealth({ node: node(undefined, -61), lease: lease(-1), saved: undefined, now: s(0), ...GRACE });
  t.notOk(withLease.conditions, 'a kubelet renewing its Lease is alive even before its first status');
});

t.test('NoSchedule taints mirror conditions and spec.unschedulable', async (t) => {
  const cases: Array<[string, { conditions?: NodeCondition[]; unschedulable?: boolean; taints?: Taint[] }, string[], string[], string[]]> = [
    ['healthy: none', { conditions: healthyConditions(0) }, [], [], []],
    ['Ready False → not-ready', { conditions: [ready(0, 'False')] }, ['node.kubernetes.io/not-ready'], ['node.kubernetes.io/not-ready'], []],
    ['Ready Unknown → unreachable', { conditions: [ready(0, 'Unknown')] }, ['node.kubernetes.io/unreachable'], ['node.kubernetes.io/unreachable'], []],
    ['cordoned → unschedulable', { conditions: [ready(0)], unschedulable: true }, ['node.kubernetes.io/unschedulable'], ['node.kubernetes.io/unschedulable'], []],
    [
      'pressure and network conditions',
      { conditions: [{ type: 'MemoryPressure', status: 'True' }, { type: 'DiskPressure', status: 'True' }, { type: 'PIDPressure', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' }] },
      ['node.kubernetes.io/memory-pressure', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/network-unavailable'],
      ['node.kubernetes.io/memory-pressure', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/network-unavailable'],
      [],
    ],
    [
      'uncordoned and ready again: remove ours, keep the user\'s and NoExecute ones',
      {
        conditions: [ready(0)],
        taints: [
          { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        ],
      },
      [],
      [],
      ['node.kubernetes.io/unschedulable', 'node.kubernetes.io/unreachable'],
    ],
    ['already tainted: nothing to do', { conditions: [ready(0, 'Unknown')], taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at(0) }] }, ['node.kubernetes.io/unreachable'], [], []],
  ];
  for (const [name, n, desired, add, remove] of cases) {
    const obj = { spec: { unschedulable: n.unschedulable ?? false, taints: n.taints ?? [] }, status: { conditions: n.conditions ?? [] } };
    t.same(desiredNoScheduleTaints(obj).map((x) => x.key), desired, `${name}: desired`);
    const changes = noScheduleTaintChanges(obj);
    t.same(changes.toAdd.map((x) => x.key), add, `${name}: to add`);
    t.same(changes.toRemove.map((x) => x.key), remove, `${name}: to remove`);
  }
});

t.test('NoExecute taints follow the observed Ready status', async (t) => {
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(0) };
  const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: at(0) };
  t.same(noExecuteAction([], 'True'), undefined);
  t.same(noExecuteAction([], 'Unknown')?.kind, 'taint');
  t.same(noExecuteAction([], 'Unknown')?.toAdd, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]);
  t.same(noExecuteAction([], 'False')?.toAdd, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]);
  t.same(noExecuteAction([unreachable], 'Unknown'), undefined, 'already tainted');
  t.same(noExecuteAction([unreachable], 'False')?.kind, 'swap', 'unreachable → not-ready at once');
  t.same(noExecuteAction([notReady], 'Unknown')?.kind, 'swap');
  t.same(noExecuteAction([notReady], 'True')?.kind, 'untaint');
  t.same(noExecuteAction([unreachable], 'True')?.toRemove.map((x) => x.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
});

t.test('swapTaints stamps timeAdded on what it adds and keeps the rest as it is', async (t) => {
  const user: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const old: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: at(-5) };
  t.same(swapTaints([user, old], [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], s(0)), [
    user,
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(0) },
  ]);
  t.equal(swapTaints([user, old], [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], [], s(0)), undefined, 'already there: no write');
  t.same(swapTaints([old], [], [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], s(0)), []);
  t.equal(swapTaints(undefined, [], [{ key: 'x', effect: 'NoExecute' }], s(0)), undefined);
});

t.test('zones', async (t) => {
  t.equal(zoneKey(undefined), '');
  t.equal(zoneKey({ 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'a' }), 'r:\u0000:a');
  const c = (status: string) => ({ type: 'Ready', status });
  t.equal(computeZoneState([c('True'), c('Unknown')], 0.55).state, 'Normal', 'one of two down: normal');
  t.equal(computeZoneState([c('Unknown')], 0.55).state, 'FullDisruption');
  t.equal(computeZoneState([c('True'), c('Unknown'), c('Unknown'), c('False')], 0.55).state, 'PartialDisruption');
  t.equal(computeZoneState([c('True'), c('True'), c('Unknown'), c('Unknown'), c('False')], 0.55).state, 'PartialDisruption', '3/5 = 0.6');
  t.equal(computeZoneState([c('True'), c('True'), c('True'), c('Unknown'), c('Unknown'), c('False')], 0.55).state, 'Normal', '3/6 = 0.5');
  const rates = { evictionLimiterQPS: 0.1, secondaryEvictionLimiterQPS: 0.01, largeClusterSizeThreshold: 50 };
  t.equal(zoneTaintRate('Normal', 3, rates), 0.1);
  t.equal(zoneTaintRate('PartialDisruption', 10, rates), 0, 'small zone: stop');
  t.equal(zoneTaintRate('PartialDisruption', 51, rates), 0.01);
  t.equal(zoneTaintRate('FullDisruption', 3, rates), 0.1);
});

const pod = (o: { node?: string; ready?: string; tolerations?: V1Pod['spec'] extends infer S ? S extends { tolerations?: infer X } ? X : never : never; scheduledAt?: number } = {}): V1Pod => ({
  metadata: { name: 'p', namespace: 'default', creationTimestamp: at(-1000) as unknown as Date },
  spec: { containers: [], nodeName: o.node ?? 'n1', ...(o.tolerations ? { tolerations: o.tolerations } : {}) },
  status: {
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: at(o.scheduledAt ?? -1000) as unknown as Date },
      ...(o.ready ? [{ type: 'Ready', status: o.ready, lastTransitionTime: at(-900) as unknown as Date }] : []),
    ],
  },
});

t.test('MarkPodsNotReady turns only ready pods of the node not ready', async (t) => {
  const marked = podMarkedNotReady(pod({ ready: 'True' }), 'n1', s(5));
  t.same(marked?.status?.conditions?.find((c) => c.type === 'Ready'), { type: 'Ready', status: 'False', lastTransitionTime: at(5) });
  t.same(marked?.status?.conditions?.[0]?.type, 'PodScheduled', 'other conditions untouched');
  t.equal(podMarkedNotReady(pod({ ready: 'False' }), 'n1', s(5)), undefined, 'already not ready');
  t.equal(podMarkedNotReady(pod({}), 'n1', s(5)), undefined, 'no Ready condition');
  t.equal(podMarkedNotReady(pod({ ready: 'True', node: 'n2' }), 'n1', s(5)), undefined, 'another node');
});

t.test('eviction plan: pods + taints → when', async (t) => {
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(0) };
  const notReadyAt10: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: at(10) };
  const defaults = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ];
  const plan = (p: V1Pod, taints: Taint[], now = s(1)) => evictionPlan({ pod: p, taints, now });
  t.same(plan(pod({ tolerations: defaults }), []), { kind: 'none' });
  t.same(plan(pod({ tolerations: defaults }), [{ key: 'x', effect: 'NoSchedule' }]), { kind: 'none' }, 'NoSchedule taints do not evict');
  t.same(plan(pod({}), [unreachable]), { kind: 'now' }, 'no toleration: at once');
  t.same(plan(pod({ tolerations: defaults }), [unreachable]), { kind: 'at', at: s(300) }, 'the default 300 s from timeAdded');
  t.same(plan(pod({ tolerations: defaults }), [unreachable], s(300)), { kind: 'now' });
  t.same(plan(pod({ tolerations: [{ operator: 'Exists' }] }), [unreachable]), { kind: 'never' }, 'tolerates everything forever');
  t.same(plan(pod({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }] }), [unreachable]), { kind: 'now' }, '0 s: at once');
  t.same(
    plan(pod({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] }), [unreachable, notReadyAt10]),
    { kind: 'now' },
    'one taint not tolerated: at once',
  );
  t.same(
    plan(pod({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 60 }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 }] }), [unreachable, notReadyAt10]),
    { kind: 'at', at: s(20) },
    'min over the tolerations used, from the earliest timeAdded',
  );
  t.same(plan(pod({ tolerations: defaults, scheduledAt: 100 }), [unreachable], s(101)), { kind: 'at', at: s(400) }, 'scheduled onto a tainted node: counted from scheduling');
  const noStamp: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  t.same(evictionPlan({ pod: pod({ tolerations: defaults }), taints: [noStamp], now: s(50), firstSeen: () => s(40) }), { kind: 'at', at: s(340) }, 'no timeAdded: from when it was first seen');
  t.equal(minTolerationMs([]), 0);
  t.equal(minTolerationMs([{ key: 'a' }]), -1);
});
