/**
 * The disruption controller's arithmetic, table-driven as kube's disruption_test.go:
 * a budget, its pods and their controllers in → expectedPods, desiredHealthy,
 * currentHealthy, disruptionsAllowed and disruptedPods out. Then the status written from
 * them: the DisruptionAllowed condition, observedGeneration, the fail-safe status, and
 * that a status already written reads as up to date (no second write, no loop).
 */
import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import t from 'tap';
import type { Lister } from '../../client/informers/index.js';
import type { KubeObject } from '../../client/types.js';
import {
  computeBudget,
  desiredStatus,
  failSafeStatus,
  formatTime,
  failSafeUpToDate,
  statusUpToDate,
  type BudgetCondition,
} from './budget-status.js';
import { listerFinders } from './controller-finders.js';
import { expectedPodCount, type ControllerFinder } from './expected-pods.js';
import { controllerRef, testBudget, testPod, testWorkload } from './test-objects.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const ago = (ms: number) => formatTime(NOW - ms);
const MINUTE = 60_000;

/** a Lister over a fixed array (what an informer's cache would hold) */
function arrayLister(objects: KubeObject[]): Lister<KubeObject> {
  const key = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  return {
    list: (opts = {}) => objects.filter((o) => opts.namespace === undefined || o.metadata?.namespace === opts.namespace),
    get: (name, namespace) => objects.find((o) => o.metadata?.name === name && o.metadata?.namespace === namespace),
    getByKey: (k) => objects.find((o) => key(o) === k),
    byIndex: () => [],
  };
}

function findersOver(workloads: KubeObject[]): ControllerFinder[] {
  const ofKind = (kind: string) => arrayLister(workloads.filter((w) => w.kind === kind));
  return listerFinders({ replicaSets: ofKind('ReplicaSet'), deployments: ofKind('Deployment'), statefulSets: ofKind('StatefulSet') });
}

const rsPod = (name: string, rs: string, ready = true) => testPod(name, { owner: controllerRef('ReplicaSet', rs), ready });

interface Case {
  name: string;
  pdb: V1PodDisruptionBudget;
  pods: V1Pod[];
  workloads?: KubeObject[];
  want: { expectedPods: number; desiredHealthy: number; currentHealthy: number; disruptionsAllowed: number; disruptedPods?: Record<string, string> };
  unmanaged?: string[];
  expired?: string[];
  recheckAt?: number;
}

const cases: Case[] = [
  {
    name: 'minAvailable 1 over two ready pods',
    pdb: testBudget('pdb', { minAvailable: 1 }),
    pods: [testPod('p1'), testPod('p2')],
    want: { expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 },
  },
  {
    name: 'minAvailable above the healthy pods allows nothing (never negative)',
    pdb: testBudget('pdb', { minAvailable: 3 }),
    pods: [testPod('p1'), testPod('p2')],
    want: { expectedPods: 2, desiredHealthy: 3, currentHealthy: 2, disruptionsAllowed: 0 },
  },
  {
    name: 'minAvailable 0 but no pods: nothing allowed while nothing is expected',
    pdb: testBudget('pdb', { minAvailable: 0 }),
    pods: [],
    want: { expectedPods: 0, desiredHealthy: 0, currentHealthy: 0, disruptionsAllowed: 0 },
  },
  {
    name: 'minAvailable 50% of a ReplicaSet of 3 (rounded up to 2)',
    pdb: testBudget('pdb', { minAvailable: '50%' }),
    pods: [rsPod('p1', 'rs'), rsPod('p2', 'rs'), rsPod('p3', 'rs')],
    workloads: [testWorkload('ReplicaSet', 'rs', 3)],
    want: { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 },
  },
  {
    name: 'minAvailable 50% counts the scale, not the pods that exist',
    pdb: testBudget('pdb', { minAvailable: '50%' }),
    pods: [rsPod('p1', 'rs'), rsPod('p2', 'rs')],
    workloads: [testWorkload('ReplicaSet', 'rs', 6)],
    want: { expectedPods: 6, desiredHealthy: 3, currentHealthy: 2, disruptionsAllowed: 0 },
  },
  {
    name: 'maxUnavailable 1 of a Deployment of 3 (pod → ReplicaSet → Deployment)',
    pdb: testBudget('pdb', { maxUnavailable: 1 }),
    pods: [rsPod('p1', 'rs'), rsPod('p2', 'rs'), rsPod('p3', 'rs')],
    workloads: [testWorkload('ReplicaSet', 'rs', 3, controllerRef('Deployment', 'd')), testWorkload('Deployment', 'd', 3)],
    want: { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 },
  },
  {
    name: "a Deployment's scale wins over its ReplicaSet's, counted once for two ReplicaSets",
    pdb: testBudget('pdb', { maxUnavailable: 1 }),
    pods: [rsPod('p1', 'old'), rsPod('p2', 'new'), rsPod('p3', 'new')],
    workloads: [
      testWorkload('ReplicaSet', 'old', 1, controllerRef('Deployment', 'd')),
      testWorkload('ReplicaSet', 'new', 2, controllerRef('Deployment', 'd')),
      testWorkload('Deployment', 'd', 4),
    ],
    want: { expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 },
  },
  {
    name: 'maxUnavailable 34% of 3 rounds up to 2',
    pdb: testBudget('pdb', { maxUnavailable: '34%' }),
    pods: [rsPod('p1', 'rs'), rsPod('p2', 'rs'), rsPod('p3', 'rs')],
    workloads: [testWorkload('ReplicaSet', 'rs', 3)],
    want: { expectedPods: 3, desiredHealthy: 1, currentHealthy: 3, disruptionsAllowed: 2 },
  },
  {
    name: 'maxUnavailable larger than the scale wants 0 healthy',
    pdb: testBudget('pdb', { maxUnavailable: 5 }),
    pods: [testPod('s-0', { owner: controllerRef('StatefulSet', 's') }), testPod('s-1', { owner: controllerRef('StatefulSet', 's') })],
    workloads: [testWorkload('StatefulSet', 's', 2)],
    want: { expectedPods: 2, desiredHealthy: 0, currentHealthy: 2, disruptionsAllowed: 2 },
  },
  {
    name: 'maxUnavailable over bare pods: unmanaged, nothing expected, nothing allowed',
    pdb: testBudget('pdb', { maxUnavailable: 1 }),
    pods: [testPod('p1'), testPod('p2')],
    want: { expectedPods: 0, desiredHealthy: 0, currentHealthy: 2, disruptionsAllowed: 0 },
    unmanaged: ['p1', 'p2'],
  },
  {
    name: 'not-ready pods are not healthy',
    pdb: testBudget('pdb', { minAvailable: 1 }),
    pods: [testPod('p1'), testPod('p2', { ready: false }), testPod('p3', { ready: false })],
    want: { expectedPods: 3, desiredHealthy: 1, currentHealthy: 1, disruptionsAllowed: 0 },
  },
  {
    name: 'pods being deleted are not healthy (but still expected)',
    pdb: testBudget('pdb', { minAvailable: 1 }),
    pods: [testPod('p1'), testPod('p2', { deleting: true }), testPod('p3')],
    want: { expectedPods: 3, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 },
  },
  {
    name: 'a pod evicted 30s ago is not healthy and stays recorded until its entry expires',
    pdb: testBudget('pdb', { minAvailable: 1, status: { disruptedPods: { p1: ago(30_000) } } }),
    pods: [testPod('p1'), testPod('p2')],
    want: { expectedPods: 2, desiredHealthy: 1, currentHealthy: 1, disruptionsAllowed: 0, disruptedPods: { p1: ago(30_000) } },
    recheckAt: NOW - 30_000 + 2 * MINUTE,
  },
  {
    name: 'an eviction record older than 2 minutes whose pod is still there expires: the pod counts again',
    pdb: testBudget('pdb', { minAvailable: 1, status: { disruptedPods: { p1: ago(3 * MINUTE) } } }),
    pods: [testPod('p1'), testPod('p2')],
    want: { expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: {} },
    expired: ['p1'],
  },
  {
    name: 'records of pods already being deleted or gone are dropped',
    pdb: testBudget('pdb', { minAvailable: 1, status: { disruptedPods: { p1: ago(10_000), gone: ago(10_000) } } }),
    pods: [testPod('p1', { deleting: true }), testPod('p2'), testPod('p3')],
    want: { expectedPods: 3, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: {} },
  },
];

t.test('status computation', async (t) => {
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const expected = await expectedPodCount(c.pdb, c.pods, findersOver(c.workloads ?? []));
      const got = computeBudget({ pdb: c.pdb, pods: c.pods, expectedCount: expected.expectedCount, desiredHealthy: expected.desiredHealthy, now: NOW });
      t.same(
        { expectedPods: got.expectedPods, desiredHealthy: got.desiredHealthy, currentHealthy: got.currentHealthy, disruptionsAllowed: got.disruptionsAllowed },
        { expectedPods: c.want.expectedPods, desiredHealthy: c.want.desiredHealthy, currentHealthy: c.want.currentHealthy, disruptionsAllowed: c.want.disruptionsAllowed },
      );
      t.same(got.disruptedPods, c.want.disruptedPods ?? {}, 'disruptedPods');
      t.same(expected.unmanagedPods, c.unmanaged ?? [], 'unmanaged pods');
      t.same(got.expiredPods, c.expired ?? [], 'expired eviction records');
      t.equal(got.recheckAt, c.recheckAt, 'recheck time');
    });
  }
});

t.test('expected pods: errors that make the budget SyncFailed', async (t) => {
  const errors: Array<[string, V1PodDisruptionBudget, V1Pod[], KubeObject[], RegExp]> = [
    ['controller not found', testBudget('pdb', { maxUnavailable: 1 }), [rsPod('p1', 'missing')], [], /^found no controllers for pod "p1"$/],
    [
      'controller uid differs (recreated under the same name)',
      testBudget('pdb', { minAvailable: '50%' }),
      [rsPod('p1', 'rs')],
      [{ ...testWorkload('ReplicaSet', 'rs', 3), metadata: { name: 'rs', namespace: 'default', uid: 'other' } }],
      /^found no controllers for pod "p1"$/,
    ],
    ['a percentage without %', testBudget('pdb', { maxUnavailable: 'x' }), [], [], /invalid type: string is not a percentage/],
  ];
  for (const [name, pdb, pods, workloads, want] of errors) {
    await t.rejects(expectedPodCount(pdb, pods, findersOver(workloads)), want, name);
  }
});

const conditionOf = (status: { conditions?: BudgetCondition[] }) => status.conditions?.find((c) => c.type === 'DisruptionAllowed');

t.test('the status written: condition, observedGeneration, then up to date', async (t) => {
  const pdb = testBudget('pdb', { minAvailable: 1, generation: 3 });
  const pods = [testPod('p1'), testPod('p2')];
  const counts = computeBudget({ pdb, pods, expectedCount: 2, desiredHealthy: 1, now: NOW });
  t.notOk(statusUpToDate(pdb, counts), 'a fresh budget needs a status');
  const status = desiredStatus(pdb, counts, NOW);
  t.same(status, {
    observedGeneration: 3,
    disruptionsAllowed: 1,
    currentHealthy: 2,
    desiredHealthy: 1,
    expectedPods: 2,
    conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 3, reason: 'SufficientPods', message: '', lastTransitionTime: formatTime(NOW) }],
  });
  const written = { ...pdb, status } as unknown as V1PodDisruptionBudget;
  t.ok(statusUpToDate(written, counts), 'the same counts again: nothing to write');

  // a new generation must be observed even with the same counts
  const bumped = { ...written, metadata: { ...written.metadata, generation: 4 } };
  t.notOk(statusUpToDate(bumped, counts), 'a new generation needs observing');

  // one pod goes unready: False/InsufficientPods, with a new transition time
  const later = NOW + MINUTE;
  const fewer = computeBudget({ pdb: written, pods: [testPod('p1'), testPod('p2', { ready: false })], expectedCount: 2, desiredHealthy: 1, now: later });
  const next = desiredStatus(written, fewer, later);
  t.match(conditionOf(next), { status: 'False', reason: 'InsufficientPods', lastTransitionTime: formatTime(later) });
  // and the same verdict later keeps the transition time
  const again = desiredStatus({ ...written, status: next } as unknown as V1PodDisruptionBudget, fewer, later + MINUTE);
  t.equal(conditionOf(again)?.lastTransitionTime, formatTime(later), 'no flip, no new transition time');
});

t.test('an eviction recorded by the API server is kept in the status written', async (t) => {
  const pdb = testBudget('pdb', { minAvailable: 1, status: { disruptedPods: { p1: ago(5_000) }, disruptionsAllowed: 0, observedGeneration: 1 } });
  const counts = computeBudget({ pdb, pods: [testPod('p1'), testPod('p2')], expectedCount: 2, desiredHealthy: 1, now: NOW });
  const status = desiredStatus(pdb, counts, NOW);
  t.same(status.disruptedPods, { p1: ago(5_000) });
  t.equal(status.currentHealthy, 1);
  t.equal(status.disruptionsAllowed, 0);
});

t.test('fail-safe status: no disruptions, SyncFailed with the reason, generation not observed', async (t) => {
  const pdb = testBudget('pdb', {
    maxUnavailable: 1,
    generation: 2,
    status: {
      observedGeneration: 1,
      disruptionsAllowed: 2,
      currentHealthy: 3,
      desiredHealthy: 1,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: ago(MINUTE) }],
    },
  });
  const status = failSafeStatus(pdb, 'found no controllers for pod "p1"', NOW);
  t.same(status, {
    observedGeneration: 1,
    disruptionsAllowed: 0,
    currentHealthy: 3,
    desiredHealthy: 1,
    expectedPods: 3,
    conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "p1"', observedGeneration: 1, lastTransitionTime: formatTime(NOW) }],
  });
  const failed = { ...pdb, status } as unknown as V1PodDisruptionBudget;
  t.notOk(failSafeUpToDate(pdb, 'found no controllers for pod "p1"'), 'a healthy budget needs the fail-safe status');
  t.ok(failSafeUpToDate(failed, 'found no controllers for pod "p1"'), 'the same failure again writes nothing');
  t.notOk(failSafeUpToDate(failed, 'another reason'), 'a new reason is written');
});
