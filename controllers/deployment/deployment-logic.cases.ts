/**
 * The Deployment controller's pure parts, table-driven: the pod-template-hash, the
 * fenceposts, each step of a rolling update and of proportional scaling, the Recreate
 * checks, history cleanup, the annotations a new RS gets, and the status with its
 * conditions.
 */
import t from 'tap';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, setNewReplicaSetAnnotations } from './annotations.js';
import { calculateStatus, pausedConditionStatus, progressCheckAfter, rolloutStatus } from './deployment-status.js';
import { computeHash, equalIgnoreHash, safeEncodeString } from './pod-template-hash.js';
import { findActiveOrLatest, findNewReplicaSet } from './replica-sets.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, resolveFenceposts } from './rollout-math.js';
import { newReplicaSetTarget, oldPodsRunning, planOldReplicaSetsScaleDown, planScale, replicaSetsToCleanUp } from './scaling-plans.js';
import { deployment, replicaSet, T0, template } from './test-objects.js';
import type { ReplicaSet } from './types.js';
import { formatTime } from '../common/time.js';

const SHAPE = /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/;

t.test('pod-template-hash: stable, key-order independent, kube-shaped', async (t) => {
  t.equal(safeEncodeString('0123456789'), '456789bcdf', 'each digit maps onto the vowel-free alphabet');
  const a = { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] } };
  const b = { spec: { containers: [{ ports: [{ containerPort: 80 }], image: 'nginx', name: 'app' }] }, metadata: { labels: { tier: 'front', app: 'web' } } };
  t.equal(computeHash(a), computeHash(b), 'key order does not matter');
  t.equal(computeHash(a), computeHash(structuredClone(a)), 'same value, same hash');
  t.match(computeHash(a), SHAPE);
  t.not(computeHash(a), computeHash(template('nginx:2')), 'another template, another hash');
  t.not(computeHash(a, 1), computeHash(a), 'the collision count changes it');
  t.not(computeHash(a, 1), computeHash(a, 2));
  t.equal(computeHash(a, null), computeHash(a), 'no collision count: the template alone');
  t.equal(computeHash({ ...a, metadata: { ...a.metadata, annotations: {} } }), computeHash(a), 'an empty map counts as absent');
});

t.test('equalIgnoreHash and findNewReplicaSet', async (t) => {
  const withHash = template('nginx:1');
  withHash.metadata!.labels!['pod-template-hash'] = 'abc';
  t.ok(equalIgnoreHash(template('nginx:1'), withHash), 'the hash label is ignored');
  t.notOk(equalIgnoreHash(template('nginx:1'), template('nginx:2')));
  const older = replicaSet('web-old', { image: 'nginx:1', createdAt: T0 });
  const newer = replicaSet('web-new', { image: 'nginx:1', createdAt: T0 + 1000 });
  const other = replicaSet('web-other', { image: 'nginx:2' });
  t.equal(findNewReplicaSet(deployment({ image: 'nginx:1' }), [newer, other, older])?.metadata.name, 'web-old', 'the oldest of equal templates');
  t.equal(findNewReplicaSet(deployment({ image: 'nginx:3' }), [newer, other, older]), undefined);
});

t.test('fenceposts: surge rounds up, unavailable down, never both zero', async (t) => {
  const cases: Array<[number | string, number | string, number, number, number]> = [
    // maxSurge, maxUnavailable, replicas → surge, unavailable
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 4, 1, 1],
    [0, '1%', 2, 0, 1],
    [1, 0, 1, 1, 0],
    ['50%', '50%', 5, 3, 2],
    ['0%', '0%', 0, 0, 1],
  ];
  for (const [s, u, n, surge, unavailable] of cases) t.same(resolveFenceposts(s, u, n), { surge, unavailable }, `${s}/${u} of ${n}`);
  t.equal(maxUnavailable(deployment({ replicas: 3, maxSurge: 0, maxUnavailable: 5 })), 3, 'at most spec.replicas');
  t.equal(maxUnavailable(deployment({ replicas: 0 })), 0);
  t.equal(maxUnavailable(deployment({ strategy: 'Recreate' })), 0);
  t.equal(maxSurge(deployment({ strategy: 'Recreate' })), 0);
  t.throws(() => resolveFenceposts('x', 0, 3), /invalid value for IntOrString/);
});

t.test('newRSNewReplicas: grow within replicas+maxSurge', async (t) => {
  const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  const cases: Array<[string, number, number, number]> = [
    // name, new RS size, old RS size → new size
    ['fresh rollout: surge', 0, 10, 3],
    ['at the surge limit: stay', 3, 10, 3],
    ['old shrank: grow by what it freed', 3, 8, 5],
    ['never past replicas', 9, 2, 10],
  ];
  for (const [name, n, o, want] of cases) t.equal(newRSNewReplicas(d, [replicaSet('web-old', { replicas: o }), replicaSet('web-new', { replicas: n })], replicaSet('web-new', { replicas: n })), want, name);
  t.equal(newRSNewReplicas(deployment({ strategy: 'Recreate', replicas: 4 }), [], replicaSet('web-new')), 4, 'Recreate: everything');
});

/**
 * Play a rolling update to the end: each round does what one sync does (grow the new RS,
 * else shrink old ones), then the pods of the sizes asked become available (`instant`) or
 * not. Records the sizes after each write.
 */
function playRollingUpdate(d: ReturnType<typeof deployment>, oldSize: number) {
  let oldRS = replicaSet('web-old', { replicas: oldSize, createdAt: T0 });
  let newRS = replicaSet('web-new', { replicas: 0, createdAt: T0 + 1000 });
  const trace: string[] = [];
  const resize = (rs: ReplicaSet, to: number): ReplicaSet => ({ ...rs, spec: { ...rs.spec, replicas: to } });
  const settle = (rs: ReplicaSet): ReplicaSet => ({ ...rs, status: { replicas: rs.spec.replicas!, availableReplicas: rs.spec.replicas!, readyReplicas: rs.spec.replicas! } });
  let minAvailableSeen = Infinity;
  let maxTotalSeen = 0;
  for (let round = 0; round < 50; round++) {
    const all = [oldRS, newRS];
    const target = newReplicaSetTarget(d, all, newRS);
    if (target !== newRS.spec.replicas) {
      newRS = resize(newRS, target);
    } else {
      const steps = planOldReplicaSetsScaleDown(d, all, oldRS.spec.replicas! > 0 ? [oldRS] : [], newRS);
      if (steps.length === 0) break;
      for (const step of steps) oldRS = resize(oldRS, step.to);
    }
    trace.push(`${newRS.spec.replicas}/${oldRS.spec.replicas}`);
    maxTotalSeen = Math.max(maxTotalSeen, newRS.spec.replicas! + oldRS.spec.replicas!);
    oldRS = settle(oldRS);
    newRS = settle(newRS);
    minAvailableSeen = Math.min(minAvailableSeen, newRS.status!.availableReplicas! + oldRS.status!.availableReplicas!);
  }
  return { trace, minAvailableSeen, maxTotalSeen };
}

t.test('rolling update, step by step (new/old after each write)', async (t) => {
  const cases = [
    { name: '3 replicas, 25%/25% (surge 1, unavailable 0)', d: deployment({ replicas: 3 }), trace: ['1/3', '1/2', '2/2', '2/1', '3/1', '3/0'], minAvailable: 3, maxTotal: 4 },
    { name: '4 replicas, maxSurge 0, maxUnavailable 1', d: deployment({ replicas: 4, maxSurge: 0, maxUnavailable: 1 }), trace: ['0/3', '1/3', '1/2', '2/2', '2/1', '3/1', '3/0', '4/0'], minAvailable: 3, maxTotal: 4 },
    { name: '10 replicas, maxSurge 3, maxUnavailable 2', d: deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 }), trace: ['3/10', '3/5', '8/5', '8/0', '10/0'], minAvailable: 8, maxTotal: 13 },
  ];
  for (const c of cases) {
    const r = playRollingUpdate(c.d, c.d.spec.replicas!);
    t.same(r.trace, c.trace, c.name);
    t.ok(r.minAvailableSeen >= c.minAvailable, `${c.name}: never fewer than ${c.minAvailable} available`);
    t.ok(r.maxTotalSeen <= c.maxTotal, `${c.name}: never more than ${c.maxTotal} pods`);
  }
});

t.test('old ReplicaSets: unhealthy replicas go first, and not while the new RS is unavailable', async (t) => {
  const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  const cases = [
    { name: 'at minAvailable with an unavailable new RS: nothing', old: replicaSet('web-old', { replicas: 8 }), newRS: replicaSet('web-new', { replicas: 3, available: 0 }), want: [] },
    { name: 'new RS unavailable: only down to minAvailable (13 - 8 - 3)', old: replicaSet('web-old', { replicas: 10 }), newRS: replicaSet('web-new', { replicas: 3, available: 0 }), want: [['web-old', 8]] },
    { name: 'unhealthy old pods go first, then availability allows more', old: replicaSet('web-old', { replicas: 10, available: 7 }), newRS: replicaSet('web-new', { replicas: 3, available: 3 }), want: [['web-old', 7], ['web-old', 5]] },
    { name: 'only unhealthy ones when availability is at the floor', old: replicaSet('web-old', { replicas: 10, available: 8 }), newRS: replicaSet('web-new', { replicas: 3, available: 0 }), want: [['web-old', 8]] },
    { name: 'healthy: down to minAvailable', old: replicaSet('web-old', { replicas: 10 }), newRS: replicaSet('web-new', { replicas: 3, available: 3 }), want: [['web-old', 5]] },
  ];
  for (const c of cases) {
    const steps = planOldReplicaSetsScaleDown(d, [c.old, c.newRS], [c.old], c.newRS);
    t.same(steps.map((s) => [s.rs.metadata.name, s.to]), c.want, c.name);
  }
});

t.test('proportional scaling (kube scale())', async (t) => {
  const rolling = { replicas: 0, maxSurge: 3, maxUnavailable: 2 };
  const cases = [
    {
      name: 'one active RS takes spec.replicas',
      d: deployment({ replicas: 5 }),
      newRS: replicaSet('web-new', { replicas: 3, createdAt: T0 + 1 }),
      old: [replicaSet('web-old', { replicas: 0 })],
      want: [['web-new', 5, undefined]],
    },
    {
      name: 'no active RS: the newest takes spec.replicas',
      d: deployment({ replicas: 2 }),
      newRS: undefined,
      old: [replicaSet('web-a', { replicas: 0, createdAt: T0 }), replicaSet('web-b', { replicas: 0, createdAt: T0 + 1000 })],
      want: [['web-b', 2, undefined]],
    },
    {
      name: 'saturated new RS: old ones to 0',
      d: deployment({ replicas: 3 }),
      newRS: replicaSet('web-new', { replicas: 3, desired: 3 }),
      old: [replicaSet('web-old', { replicas: 1 })],
      want: [['web-old', 0, undefined]],
    },
    {
      name: 'scale up 10 → 20 mid-rollout: 8+5 of 13 become 14+9 of 23',
      d: deployment({ ...rolling, replicas: 20 }),
      newRS: replicaSet('web-new', { replicas: 5, max: 13, createdAt: T0 + 1000 }),
      old: [replicaSet('web-old', { replicas: 8, max: 13, createdAt: T0 })],
      want: [
        ['web-old', 14, 'up'],
        ['web-new', 9, 'up'],
      ],
    },
    {
      name: 'scale down 20 → 10 mid-rollout: 14+9 of 23 become 8+5 of 13',
      d: deployment({ ...rolling, replicas: 10 }),
      newRS: replicaSet('web-new', { replicas: 9, max: 23, createdAt: T0 + 1000 }),
      old: [replicaSet('web-old', { replicas: 14, max: 23, createdAt: T0 })],
      want: [
        ['web-old', 8, 'down'],
        ['web-new', 5, 'down'],
      ],
    },
    {
      name: 'equal sizes scaling up: the newer first, and the leftover goes to it',
      d: deployment({ ...rolling, replicas: 5 }),
      newRS: replicaSet('web-new', { replicas: 2, max: 4, createdAt: T0 + 1000 }),
      old: [replicaSet('web-old', { replicas: 2, max: 4, createdAt: T0 })],
      want: [
        ['web-new', 4, 'up'],
        ['web-old', 4, 'up'],
      ],
    },
    {
      name: 'to zero: everything goes',
      d: deployment({ ...rolling, replicas: 0 }),
      newRS: replicaSet('web-new', { replicas: 2, max: 4, createdAt: T0 + 1000 }),
      old: [replicaSet('web-old', { replicas: 2, max: 4, createdAt: T0 })],
      want: [
        ['web-old', 0, 'down'],
        ['web-new', 0, 'down'],
      ],
    },
  ];
  for (const c of cases) {
    t.same(
      planScale(c.d, c.newRS, c.old).map((s) => [s.rs.metadata.name, s.to, s.operation]),
      c.want,
      c.name,
    );
  }
  t.equal(findActiveOrLatest(undefined, []), undefined);
});

t.test('Recreate: old pods running?', async (t) => {
  const newRS = replicaSet('web-new', { replicas: 0 });
  const old = replicaSet('web-old', { replicas: 0, actual: 0 });
  const pod = (phase: string) => ({ status: { phase } });
  const cases: Array<[string, ReplicaSet[], Array<[string, string[]]>, boolean]> = [
    ['an old RS still reports replicas', [replicaSet('web-old', { replicas: 0, actual: 1 })], [], true],
    ['a pod of an old RS is running', [old], [['uid-web-old', ['Running']]], true],
    ['old pods finished', [old], [['uid-web-old', ['Succeeded', 'Failed']]], false],
    ['only the new RS has pods', [old], [['uid-web-new', ['Running']]], false],
    ['an unknown pod still counts', [old], [['uid-web-old', ['Unknown']]], true],
  ];
  for (const [name, olds, pods, want] of cases) {
    t.equal(oldPodsRunning(newRS, olds, new Map(pods.map(([uid, phases]) => [uid, phases.map(pod)]))), want, name);
  }
});

t.test('history cleanup: beyond revisionHistoryLimit, lowest revision first, only if scaled down', async (t) => {
  const olds = [
    replicaSet('web-r1', { revision: 1, replicas: 0 }),
    replicaSet('web-r2', { revision: 2, replicas: 1 }),
    replicaSet('web-r3', { revision: 3, replicas: 0 }),
    replicaSet('web-r4', { revision: 4, replicas: 0 }),
  ];
  const names = (rss: ReplicaSet[]) => rss.map((rs) => rs.metadata.name);
  t.same(names(replicaSetsToCleanUp(deployment({ revisionHistoryLimit: 1 }), olds)), ['web-r1', 'web-r3'], 'r2 still has replicas');
  t.same(names(replicaSetsToCleanUp(deployment({ revisionHistoryLimit: 4 }), olds)), []);
  t.same(names(replicaSetsToCleanUp(deployment({ revisionHistoryLimit: 0 }), olds)), ['web-r1', 'web-r3', 'web-r4']);
  const unobserved = replicaSet('web-r0', { revision: 0, replicas: 0, generation: 2 });
  unobserved.status!.observedGeneration = 1;
  t.same(names(replicaSetsToCleanUp(deployment({ revisionHistoryLimit: 0 }), [unobserved])), [], 'a scale-down the RS controller has not seen yet');
  t.same(names(replicaSetsToCleanUp(deployment({ revisionHistoryLimit: 2147483647 }), olds)), [], 'MaxInt32 keeps everything');
});

t.test('new RS annotations: copied from the Deployment, revision, history on rollback', async (t) => {
  const d = deployment({ annotations: { 'kubernetes.io/change-cause': 'kubectl set image', 'kubectl.kubernetes.io/last-applied-configuration': '{}', [REVISION_ANNOTATION]: '7', team: 'a' } });
  const fresh = replicaSet('web-new');
  fresh.metadata.annotations = {};
  t.ok(setNewReplicaSetAnnotations(d, fresh, 3, false, 3, 4));
  t.same(fresh.metadata.annotations, {
    'kubernetes.io/change-cause': 'kubectl set image',
    team: 'a',
    [REVISION_ANNOTATION]: '3',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  });
  t.notOk(setNewReplicaSetAnnotations(d, fresh, 3, true, 3, 4), 'nothing new: no change');
  const back = replicaSet('web-old', { revision: 1 });
  back.metadata.annotations![REVISION_HISTORY_ANNOTATION] = '';
  setNewReplicaSetAnnotations(deployment(), back, 3, true, 3, 4);
  t.equal(back.metadata.annotations![REVISION_ANNOTATION], '3', 'rollback: the old RS gets the next revision');
  t.equal(back.metadata.annotations![REVISION_HISTORY_ANNOTATION], '1', 'and remembers the one it had');
  setNewReplicaSetAnnotations(deployment(), back, 5, true, 3, 4);
  t.equal(back.metadata.annotations![REVISION_HISTORY_ANNOTATION], '1,3');
  const lower = replicaSet('web-x', { revision: 9 });
  t.notOk(setNewReplicaSetAnnotations(deployment(), lower, 4, true, 3, 4), 'a higher revision is kept');
});

t.test('status: counts and the Available condition', async (t) => {
  const now = T0 + 60_000;
  const d = deployment({ replicas: 4, generation: 2 });
  const s = calculateStatus([replicaSet('web-old', { replicas: 1, available: 1 }), replicaSet('web-new', { replicas: 3, available: 2, actual: 3 })], replicaSet('web-new', { replicas: 3, available: 2 }), d, now);
  t.match(s, { observedGeneration: 2, replicas: 4, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 });
  t.match(s.conditions, [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: formatTime(now) }]);
  const short = calculateStatus([replicaSet('web-new', { replicas: 4, available: 2 })], undefined, d, now);
  t.match(short.conditions, [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }]);
  t.equal(short.updatedReplicas, 0, 'no new RS: nothing updated');
});

t.test('status: the Progressing condition through a rollout', async (t) => {
  const t1 = T0 + 10_000;
  const t2 = T0 + 20_000;
  const created = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: 'Created new replica set "web-new"', lastUpdateTime: formatTime(T0), lastTransitionTime: formatTime(T0) };
  const base = { observedGeneration: 1, replicas: 3, updatedReplicas: 1, availableReplicas: 3, readyReplicas: 3, conditions: [created] };
  const newRS = replicaSet('web-new', { replicas: 1, available: 0 });
  const oldRS = replicaSet('web-old', { replicas: 3 });

  // more pods available than before: progressing, lastUpdateTime moves, lastTransitionTime stays
  const progressed = rolloutStatus([oldRS, replicaSet('web-new', { replicas: 1, available: 1 })], newRS, deployment({ status: base }), t1);
  t.match(progressed.conditions?.find((c) => c.type === 'Progressing'), { status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-new" is progressing.', lastUpdateTime: formatTime(t1), lastTransitionTime: formatTime(T0) });

  // done
  const doneRS = replicaSet('web-new', { replicas: 3 });
  const done = rolloutStatus([replicaSet('web-old', { replicas: 0 }), doneRS], doneRS, deployment({ status: base }), t2);
  t.match(done.conditions?.find((c) => c.type === 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-new" has successfully progressed.', lastUpdateTime: formatTime(t2), lastTransitionTime: formatTime(T0) });
  t.same(rolloutStatus([replicaSet('web-old', { replicas: 0 }), doneRS], doneRS, deployment({ status: done }), t2 + 5000), done, 'complete and unchanged: the same status (no write)');

  // no progress: fine until the deadline, then timed out
  const stuck = deployment({ status: { ...base, availableReplicas: 3 }, progressDeadlineSeconds: 30 });
  const before = rolloutStatus([oldRS, newRS], newRS, stuck, T0 + 29_000);
  t.equal(before.conditions?.find((c) => c.type === 'Progressing')?.reason, 'NewReplicaSetCreated');
  t.equal(progressCheckAfter(stuck, before, T0 + 20_000), 11_000, 'look again a second after the deadline');
  const after = rolloutStatus([oldRS, newRS], newRS, stuck, T0 + 31_000);
  t.match(after.conditions?.find((c) => c.type === 'Progressing'), { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-new" has timed out progressing.' });

  // ReplicaFailure is copied from the RS, and removed when it clears
  const failing = replicaSet('web-new', { replicas: 1, available: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: formatTime(T0) }] });
  const withFailure = rolloutStatus([oldRS, failing], failing, deployment({ status: base }), t1);
  t.match(withFailure.conditions?.find((c) => c.type === 'ReplicaFailure'), { status: 'True', reason: 'FailedCreate', message: 'quota', lastUpdateTime: formatTime(T0) });
  const cleared = rolloutStatus([oldRS, newRS], newRS, deployment({ status: withFailure }), t2);
  t.notOk(cleared.conditions?.some((c) => c.type === 'ReplicaFailure'));
  t.notOk(rolloutStatus([oldRS, newRS], newRS, deployment({ status: base, progressDeadlineSeconds: 2147483647 }), t1).conditions?.some((c) => c.type === 'Progressing'), 'no deadline: no Progressing condition');
});

t.test('paused and resumed conditions', async (t) => {
  const paused = pausedConditionStatus(deployment({ paused: true }), T0);
  t.match(paused?.conditions, [{ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }]);
  t.equal(pausedConditionStatus(deployment({ paused: true, status: paused! }), T0), undefined, 'already marked');
  t.match(pausedConditionStatus(deployment({ status: paused! }), T0)?.conditions, [{ type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' }]);
  const timedOut = { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] };
  t.equal(pausedConditionStatus(deployment({ paused: true, status: timedOut }), T0), undefined, 'a timeout is not overwritten');
});
