/**
 * The ReplicaSet controller's pure parts, table-driven: how many pods to create or delete,
 * slow-start batch sizes, which pods go first on a scale-down, and the status to write.
 */
import type { V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { compareForDeletion, podDeletionCost, podsToDelete, rankByRelatedPodsOnSameNode } from './pod-ranking.js';
import { calculateStatus, nextAvailableAt, replicaChange, statusUpToDate, type ReplicaSetLike } from './replica-set-status.js';
import { slowStartBatch, slowStartBatchSizes } from './slow-start-batch.js';
import { formatTime } from '../common/time.js';
import { testPod } from '../common/testing/objects.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = formatTime;

interface PodOpts {
  node?: string;
  phase?: string;
  /** seconds before NOW the pod became ready; undefined = not ready */
  readyAgo?: number;
  createdAgo?: number;
  restarts?: number;
  cost?: string;
  labels?: Record<string, string>;
  deleting?: boolean;
}

const pod = (name: string, o: PodOpts = {}): V1Pod =>
  testPod<V1Pod>(name, {
    labels: o.labels ?? { app: 'web' },
    metadata: {
      creationTimestamp: iso(NOW - (o.createdAgo ?? 100) * 1000),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
      ...(o.deleting ? { deletionTimestamp: iso(NOW) } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: o.node ?? 'node-1' },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readyAgo !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(NOW - o.readyAgo * 1000) }] : [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: o.readyAgo !== undefined, restartCount: o.restarts ?? 0 }],
    },
  });

t.test('replicaChange: diff between active pods and spec.replicas, capped by burstReplicas', async (t) => {
  const cases: Array<[string, number, number, number, ReturnType<typeof replicaChange>]> = [
    ['steady', 3, 3, 500, undefined],
    ['too few', 1, 3, 500, { create: 2 }],
    ['too many', 5, 3, 500, { delete: 2 }],
    ['create capped by burst', 0, 1000, 500, { create: 500 }],
    ['delete capped by burst', 10, 0, 4, { delete: 4 }],
    ['scale to zero', 2, 0, 500, { delete: 2 }],
  ];
  for (const [name, active, replicas, burst, want] of cases) t.same(replicaChange(active, replicas, burst), want, name);
});

t.test('slow start: batches of 1, 2, 4, … and a failing batch stops the rest', async (t) => {
  t.same(slowStartBatchSizes(0, 1), []);
  t.same(slowStartBatchSizes(1, 1), [1]);
  t.same(slowStartBatchSizes(3, 1), [1, 2]);
  t.same(slowStartBatchSizes(10, 1), [1, 2, 4, 3]);
  t.same(slowStartBatchSizes(500, 1), [1, 2, 4, 8, 16, 32, 64, 128, 245]);

  let calls = 0;
  const ok = await slowStartBatch(10, 1, async () => {
    calls++;
  });
  t.same([ok, calls], [{ successes: 10 }, 10], 'all succeed');

  // the 2nd call fails: batch 1 ok, batch 2 (calls 2 and 3) has one failure → stop after 3 calls
  calls = 0;
  const failing = await slowStartBatch(10, 1, async () => {
    if (++calls === 2) throw new Error('exceeded quota');
  });
  t.equal(calls, 3, 'no batch starts after a failure');
  t.equal(failing.successes, 2);
  t.match(failing.error, { message: 'exceeded quota' });
});

t.test('pod-deletion-cost annotation', async (t) => {
  const cases: Array<[string | undefined, number]> = [
    [undefined, 0],
    ['10', 10],
    ['-5', -5],
    ['0', 0],
    ['+10', 0],
    ['008', 0],
    ['abc', 0],
    ['', 0],
    ['2147483648', 0],
    ['-2147483648', -2147483648],
  ];
  for (const [value, want] of cases) t.equal(podDeletionCost(pod('p', value === undefined ? {} : { cost: value })), want, `${value}`);
});

t.test('deletion order: each rule decides when the earlier ones tie', async (t) => {
  // [why, first (deleted before), second]
  const cases: Array<[string, V1Pod, V1Pod]> = [
    ['unassigned before assigned', pod('a', { node: '', readyAgo: 5 }), pod('b', { phase: 'Pending' })],
    ['Pending before Unknown', pod('a', { phase: 'Pending' }), pod('b', { phase: 'Unknown' })],
    ['Unknown before Running', pod('a', { phase: 'Unknown', readyAgo: 10 }), pod('b', { phase: 'Running' })],
    ['not ready before ready', pod('a', { createdAgo: 1000 }), pod('b', { readyAgo: 5, createdAgo: 1 })],
    ['lower deletion cost first', pod('a', { readyAgo: 1000, cost: '-1' }), pod('b', { readyAgo: 1 })],
    ['ready more recently first (log scale: 4 s vs 1000 s)', pod('z', { readyAgo: 4 }), pod('a', { readyAgo: 1000 })],
    ['same log2 ready rank → smaller uid first', pod('a', { readyAgo: 90 }), pod('b', { readyAgo: 70 })],
    ['more restarts first', pod('z', { readyAgo: 10, restarts: 3 }), pod('a', { readyAgo: 10, restarts: 1 })],
    ['newer first (log scale: 2 s vs 2000 s)', pod('z', { createdAgo: 2 }), pod('a', { createdAgo: 2000 })],
    ['same log2 age → smaller uid first', pod('a', { createdAgo: 90 }), pod('b', { createdAgo: 70 })],
  ];
  for (const [why, first, second] of cases) {
    t.ok(compareForDeletion({ pod: first, rank: 0 }, { pod: second, rank: 0 }, NOW) < 0, why);
    t.ok(compareForDeletion({ pod: second, rank: 0 }, { pod: first, rank: 0 }, NOW) > 0, `${why} (reversed)`);
  }
  t.ok(compareForDeletion({ pod: pod('a', { readyAgo: 5 }), rank: 2 }, { pod: pod('b', { readyAgo: 5 }), rank: 1 }, NOW) < 0, 'doubled-up pods first');
  t.ok(compareForDeletion({ pod: pod('a', { readyAgo: 90 }), rank: 0 }, { pod: pod('b', { readyAgo: 70 }), rank: 0 }) > 0, 'without now: plain time order, newer first');
  t.equal(compareForDeletion({ pod: pod('a'), rank: 0 }, { pod: pod('a'), rank: 0 }, NOW), 0, 'equal pods tie');
});

t.test('ranking by pods of the same workload on the node', async (t) => {
  const mine = [pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n3' })];
  const related = [...mine, pod('old-1', { node: 'n1' }), pod('old-2', { node: 'n1' }), pod('old-3', { node: 'n2' }), pod('gone', { node: 'n3', deleting: true })];
  t.same(
    rankByRelatedPodsOnSameNode(mine, related).map((r) => [r.pod.metadata?.name, r.rank]),
    [
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ],
    'inactive related pods do not count',
  );
  t.same(
    podsToDelete(mine, related, 2, NOW).map((p) => p.metadata?.name),
    ['a', 'b'],
    'the most crowded nodes lose pods first',
  );
  const set = [pod('ready-old', { readyAgo: 1000 }), pod('pending', { phase: 'Pending' }), pod('ready-new', { readyAgo: 2 }), pod('unready')];
  t.same(
    podsToDelete(set, set, 3, NOW).map((p) => p.metadata?.name),
    ['pending', 'unready', 'ready-new'],
  );
  t.same(podsToDelete(set, set, 9, NOW).length, 4, 'all of them when asked for more');
});

const rs = (o: { replicas?: number; minReadySeconds?: number; generation?: number; status?: ReplicaSetLike['status'] } = {}): ReplicaSetLike => ({
  metadata: { name: 'web', namespace: 'default', generation: o.generation ?? 1 },
  spec: { replicas: o.replicas ?? 3, minReadySeconds: o.minReadySeconds ?? 0, template: { metadata: { labels: { app: 'web', tier: 'front' } } } },
  ...(o.status ? { status: o.status } : {}),
});

t.test('status: counts, ReplicaFailure, minReadySeconds', async (t) => {
  const pods = [
    pod('a', { readyAgo: 60, labels: { app: 'web', tier: 'front' } }),
    pod('b', { readyAgo: 5, labels: { app: 'web', tier: 'front', extra: 'x' } }),
    pod('c', { labels: { app: 'web' } }),
  ];
  t.match(calculateStatus(rs(), pods, undefined, NOW), { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
  t.match(calculateStatus(rs({ minReadySeconds: 10 }), pods, undefined, NOW), { readyReplicas: 2, availableReplicas: 1 }, 'b has been ready 5 s < 10 s');
  t.equal(nextAvailableAt(rs({ minReadySeconds: 10 }), pods, NOW), NOW + 5000, 'b becomes available in 5 s');
  t.equal(nextAvailableAt(rs(), pods, NOW), undefined, 'nothing to wait for without minReadySeconds');

  const failed = calculateStatus(rs({ replicas: 5 }), pods, new Error('pods "web-x" is forbidden: exceeded quota'), NOW);
  t.same(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: iso(NOW), reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota' }]);
  t.equal(calculateStatus(rs({ replicas: 1 }), pods, new Error('boom'), NOW).conditions?.[0]?.reason, 'FailedDelete');
  const again = calculateStatus(rs({ replicas: 5, status: failed }), pods, new Error('another message'), NOW + 60_000);
  t.same(again.conditions, failed.conditions, 'an existing failure condition is kept as it is');
  const cleared = calculateStatus(rs({ replicas: 5, status: failed }), pods, undefined, NOW);
  t.notOk('conditions' in cleared, 'cleared once creating works again');
});

t.test('status is written only when it changed', async (t) => {
  const pods = [pod('a', { readyAgo: 60 })];
  const current = { replicas: 1, fullyLabeledReplicas: 0, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 };
  const cases: Array<[string, ReplicaSetLike, boolean]> = [
    ['same counts and generation', rs({ status: current }), true],
    ['a new generation', rs({ generation: 2, status: current }), false],
    ['a count differs', rs({ status: { ...current, readyReplicas: 0 } }), false],
    ['no status yet', rs(), false],
  ];
  for (const [name, set, upToDate] of cases) t.equal(statusUpToDate(set, calculateStatus(set, pods, undefined, NOW)), upToDate, name);
});
