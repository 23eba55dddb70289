/**
 * The Job and TTL-after-finished controllers: their pure parts as tables (completion
 * indexes, pod-failure backoff, how many pods to run, which to remove, what counts as
 * failed) and the controllers against the fake cluster — seeded Job and pods → reconcile
 * → exactly kube's writes (pods with the tracking finalizer, the uncounted → counted
 * status dance, SuccessCriteriaMet/FailureTarget before Complete/Failed, suspend, TTL
 * deletion), and none once converged.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import type { KubeObject } from '../../client/types.js';
import { formatTime } from '../common/time.js';
import { startFakeController, writeLine } from '../common/testing/controller-harness.js';
import { firstPendingIndexes, formatIndexes, parseIndexes, podGenerateNameWithIndex } from './completion-indexes.js';
import { JobController } from './job-controller.js';
import { countUncounted, wireStatus } from './job-status.js';
import { activePodsForRemoval, isPodFailed, JOB_TRACKING_FINALIZER, wantActive } from './job-pods.js';
import { nextBackoffRecord, remainingBackoffMs } from './pod-failure-backoff.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { TtlAfterFinishedController, expiresAt } from './ttl-after-finished-controller.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const settle = () => new Promise((r) => setTimeout(r, 30));

t.test('completion indexes: compress, parse, pick the next', async (t) => {
  const cases: Array<[number[], string]> = [
    [[], ''],
    [[0], '0'],
    [[0, 1, 2], '0-2'],
    [[5, 1, 3, 4], '1,3-5'],
  ];
  for (const [list, text] of cases) {
    t.equal(formatIndexes(list), text, `format ${list}`);
    t.same(parseIndexes(text, 10), [...list].sort((a, b) => a - b), `parse ${text}`);
  }
  t.same(parseIndexes('0-3,8', 3), [0, 1, 2], 'out of range dropped');
  t.same(firstPendingIndexes(new Set([0, 2]), new Set([1]), 2, 6), [3, 4]);
  t.equal(podGenerateNameWithIndex('pi', 3), 'pi-3-');
  t.equal(podGenerateNameWithIndex('x'.repeat(60), 12).length, 58, 'cut to the generated-name limit');
});

t.test('pod failure backoff: 10 s doubling, capped, from the last failure', async (t) => {
  const cases: Array<{ failures: number; agoMs: number; want: number }> = [
    { failures: 0, agoMs: 0, want: 0 },
    { failures: 1, agoMs: 0, want: 10_000 },
    { failures: 2, agoMs: 0, want: 20_000 },
    { failures: 3, agoMs: 5_000, want: 35_000 },
    { failures: 20, agoMs: 0, want: 600_000 },
    { failures: 1, agoMs: 11_000, want: 0 },
  ];
  for (const c of cases) {
    t.equal(remainingBackoffMs({ failuresAfterLastSuccess: c.failures, lastFailureTime: NOW - c.agoMs }, NOW), c.want, `${c.failures} failures, ${c.agoMs} ms ago`);
  }
  const finished = (phase: string, at: number): V1Pod => ({ status: { phase, containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: formatTime(at) as unknown as Date } } }] } });
  const after = nextBackoffRecord({ failuresAfterLastSuccess: 2, lastFailureTime: NOW - 1000 }, [], [finished('Failed', NOW)], NOW);
  t.same(after, { failuresAfterLastSuccess: 3, lastFailureTime: NOW }, 'a failure adds one');
  t.same(nextBackoffRecord(after, [finished('Succeeded', NOW + 1000)], [], NOW), { failuresAfterLastSuccess: 0 }, 'a success resets');
});

t.test('how many pods, which to remove, what failed', async (t) => {
  const job = (spec: Partial<NonNullable<V1Job['spec']>>): V1Job => ({ spec: { template: {}, ...spec } });
  t.equal(wantActive(job({ parallelism: 2, completions: 5 }), 0, 4), 1, 'never more than the remaining completions');
  t.equal(wantActive(job({ parallelism: 3 }), 1, 0), 3, 'no completions: parallelism until one succeeds');
  t.equal(wantActive(job({ parallelism: 3 }), 1, 1), 1, 'then leave the rest running');
  const ix = (name: string, index: string | undefined, phase = 'Running'): V1Pod => ({ metadata: { name, ...(index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': index } } : {}) }, status: { phase } });
  const indexed = job({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
  const victims = activePodsForRemoval(indexed, [ix('a', '0'), ix('b', '0', 'Pending'), ix('c', '7'), ix('d', undefined), ix('e', '1')], 0);
  t.same(victims.map((p) => p.metadata?.name).sort(), ['b', 'c', 'd'], 'duplicates (the less advanced), out-of-range and unindexed pods');
  const deleting: V1Pod = { metadata: { deletionTimestamp: formatTime(NOW) as unknown as Date }, status: { phase: 'Running' } };
  t.ok(isPodFailed(deleting, job({})), 'a pod deleted before succeeding counts as failed');
  t.notOk(isPodFailed(deleting, job({ podReplacementPolicy: 'Failed' })), 'unless only Failed pods are replaced');
  const status = { succeeded: 1, uncountedTerminatedPods: { succeeded: ['a', 'b'], failed: ['c'] } };
  t.ok(countUncounted(status, new Set(['b'])));
  t.same(status, { succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: ['b'], failed: [] } }, 'uids without finalizer move into the counters');
  t.same(wireStatus({ active: 0, succeeded: 2, ready: 0, terminating: 0, completedIndexes: '', uncountedTerminatedPods: { succeeded: [], failed: [] } }), { succeeded: 2, ready: 0, terminating: 0, uncountedTerminatedPods: {} }, 'the wire form: Go omitempty');
});

t.test('podFailurePolicy: the first matching rule decides', async (t) => {
  const failedWith = (code: number, conditions: Array<{ type: string; status: string }> = []): V1Pod => ({
    metadata: { name: 'p', namespace: 'ns' },
    status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: code } } }] },
  });
  const policy = {
    rules: [
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } },
    ],
  };
  t.same(matchPodFailurePolicy(policy, failedWith(42)), { failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0', countFailed: true, action: 'FailJob' });
  t.same(matchPodFailurePolicy(policy, failedWith(1, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  t.same(matchPodFailurePolicy(policy, failedWith(3)), { countFailed: true, action: 'Count' });
  t.same(matchPodFailurePolicy(policy, failedWith(1)), { countFailed: true }, 'no rule: counted');
  t.same(matchPodFailurePolicy(undefined, failedWith(42)), { countFailed: true });
});

interface JobOpts {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  suspend?: boolean;
  indexed?: boolean;
  podFailurePolicy?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const job = (o: JobOpts = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default', uid: 'uid-pi', generation: 1 },
  spec: {
    completions: o.completions ?? 2,
    parallelism: o.parallelism ?? 2,
    backoffLimit: o.backoffLimit ?? 6,
    ...(o.suspend ? { suspend: true } : {}),
    ...(o.indexed ? { completionMode: 'Indexed' } : {}),
    ...(o.podFailurePolicy ? { podFailurePolicy: o.podFailurePolicy } : {}),
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-pi' } },
    template: {
      metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'uid-pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'uid-pi', 'job-name': 'pi' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] },
    },
  },
  ...(o.status ? { status: o.status } : {}),
});

async function setup(t: Test, ...objects: KubeObject[]) {
  const h = await startFakeController(t, { now: NOW, objects }, (env) => new JobController({ client: env.fake.client, informers: env.informers, recorder: env.recorder, clock: env.clock, settings: { syncBatchPeriodMs: 0 } }));
  const { clock, fake } = h;
  // creates go by generateName: their names are not known in advance
  const writes = () => fake.writes.map((w) => (w.verb === 'create' ? writeLine(w).slice(0, -(w.name.length + 1)) : writeLine(w)));
  const jobNow = () => fake.get<V1Job & KubeObject>('batch/v1', 'Job', 'pi', 'default')!;
  const pods = () => fake.list<V1Pod & KubeObject>('v1', 'Pod', 'default');
  /** the kubelet's part: a pod reaches a terminal phase */
  const finish = (pod: V1Pod & KubeObject, phase: 'Succeeded' | 'Failed', exitCode = phase === 'Succeeded' ? 0 : 1) => fake.set({ ...pod, status: { phase, containerStatuses: [{ name: 'pi', image: 'perl', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, finishedAt: formatTime(clock.now()) as unknown as Date } } }] } } as KubeObject);
  return { ...h, writes, jobNow, pods, finish };
}

t.test('a Job runs its pods to completion, counting them through the finalizer', async (t) => {
  const s = await setup(t, job());
  await s.controller.reconcile('default/pi');
  t.same(s.writes(), ['create Pod', 'create Pod', 'updateStatus Job/status pi'], 'two pods, then the status');
  t.ok(s.pods().every((p) => p.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER) && p.metadata.generateName === 'pi-'), 'finalizer and generateName');
  t.match(s.jobNow().status, { active: 2, ready: 0, terminating: 0, startTime: formatTime(NOW), uncountedTerminatedPods: {} });
  await settle();
  s.fake.clearWrites();
  await s.controller.reconcile('default/pi');
  t.same(s.writes(), [], 'steady state: nothing written');

  for (const pod of s.pods()) s.finish(pod, 'Succeeded');
  await settle();
  s.clock.step(5000);
  await s.controller.reconcile('default/pi');
  const w = s.writes();
  t.equal(w[0], 'updateStatus Job/status pi', 'first the uncounted uids');
  t.same(w.slice(1, 3).sort(), s.pods().map((p) => `patch Pod ${p.metadata?.name}`).sort(), 'then the finalizers off');
  t.equal(w[3], 'updateStatus Job/status pi', 'then the counts and Complete');
  t.equal(w.length, 4);
  const first = s.fake.writes[0]!.body as V1Job;
  t.equal(first.status?.uncountedTerminatedPods?.succeeded?.length, 2, 'first write: the uids, uncounted');
  t.same(first.status?.conditions?.map((c) => c.type), ['SuccessCriteriaMet']);
  const done = s.jobNow();
  t.equal(done.status?.succeeded, 2);
  t.same(done.status?.uncountedTerminatedPods, {});
  t.same(done.status?.conditions?.map((c) => [c.type, c.reason]), [['SuccessCriteriaMet', 'CompletionsReached'], ['Complete', 'CompletionsReached']]);
  t.equal(done.status?.completionTime, formatTime(NOW + 5000));
  t.ok(s.pods().every((p) => !p.metadata?.finalizers?.length), 'finalizers removed');
  t.ok(s.events.includes('Normal Completed Job completed'));
  await settle();
  s.fake.clearWrites();
  await s.controller.reconcile('default/pi');
  t.same(s.writes(), [], 'finished: nothing more');
});

t.test('failures past backoffLimit fail the Job; below it, the backoff delays replacements', async (t) => {
  const s = await setup(t, job({ completions: 1, parallelism: 1, backoffLimit: 1 }));
  await s.controller.reconcile('default/pi');
  await settle();
  s.finish(s.pods()[0]!, 'Failed');
  await settle();
  s.fake.clearWrites();
  const result = await s.controller.reconcile('default/pi');
  t.same(result, { requeueAfter: 10_000 }, 'the first failure waits 10 s');
  t.equal(s.jobNow().status?.failed, 1, 'counted');
  t.notOk(s.writes().includes('create Pod'), 'no replacement yet');
  await settle();
  s.clock.step(10_000);
  s.fake.clearWrites();
  await s.controller.reconcile('default/pi');
  t.ok(s.writes().includes('create Pod'), 'replaced after the backoff');
  await settle();
  s.finish(s.pods().find((p) => p.status?.phase !== 'Failed')!, 'Failed');
  await settle();
  await s.controller.reconcile('default/pi');
  const failed = s.jobNow();
  t.equal(failed.status?.failed, 2);
  t.same(failed.status?.conditions?.map((c) => [c.type, c.reason]), [['FailureTarget', 'BackoffLimitExceeded'], ['Failed', 'BackoffLimitExceeded']]);
  t.ok(s.events.includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'));
});

t.test('a FailJob rule fails the Job at the first matching failure', async (t) => {
  const s = await setup(t, job({ completions: 2, parallelism: 2, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }));
  await s.controller.reconcile('default/pi');
  await settle();
  const [first, second] = s.pods();
  s.finish(first!, 'Failed', 42);
  await settle();
  await s.controller.reconcile('default/pi');
  const target = s.jobNow().status?.conditions?.find((c) => c.type === 'FailureTarget');
  t.equal(target?.reason, 'PodFailurePolicy');
  t.equal(target?.message, `Container pi for pod default/${first!.metadata?.name} failed with exit code 42 matching FailJob rule at index 0`);
  const other = s.fake.get('v1', 'Pod', second!.metadata!.name!, 'default');
  t.ok(!other || other.metadata?.deletionTimestamp, 'the other pod is stopped');
  t.notOk(s.jobNow().status?.conditions?.some((c) => c.type === 'Failed'), 'not Failed while a pod may still be terminating');
  s.fake.remove('v1', 'Pod', second!.metadata!.name!, 'default');
  await settle();
  await s.controller.reconcile('default/pi');
  t.same(s.jobNow().status?.conditions?.map((c) => [c.type, c.reason]), [['FailureTarget', 'PodFailurePolicy'], ['Failed', 'PodFailurePolicy']]);
});

t.test('suspend deletes the active pods (finalizer first) and says so', async (t) => {
  const s = await setup(t, job({ completions: 2, parallelism: 2 }));
  await s.controller.reconcile('default/pi');
  await settle();
  s.fake.set({ ...s.jobNow(), spec: { ...s.jobNow().spec!, suspend: true } } as KubeObject);
  await settle();
  s.fake.clearWrites();
  await s.controller.reconcile('default/pi');
  t.same(s.writes().filter((w) => w.startsWith('delete')).length, 2, 'both pods deleted');
  t.ok(s.writes().indexOf('updateStatus Job/status pi') > 0);
  t.same(s.jobNow().status?.conditions?.map((c) => [c.type, c.status, c.reason]), [['Suspended', 'True', 'JobSuspended']]);
  t.ok(s.events.includes('Normal Suspended Job suspended'));
  t.equal(s.jobNow().status?.failed, undefined, 'pods the controller removed are not failures');
});

t.test("a deleted Job's pods lose their tracking finalizer (orphan cleanup)", async (t) => {
  const s = await setup(t, job({ completions: 1, parallelism: 1 }));
  await s.controller.reconcile('default/pi');
  await settle();
  const [pod] = s.pods();
  s.fake.remove('batch/v1', 'Job', 'pi', 'default');
  await settle();
  s.fake.clearWrites();
  await s.controller.syncOrphanPod(`default/${pod!.metadata?.name}`);
  t.same(s.writes(), [`patch Pod ${pod!.metadata?.name}`]);
  t.same(s.pods()[0]?.metadata?.finalizers ?? [], [], 'finalizer removed: the garbage collector can delete it');
});

t.test('an Indexed Job creates one pod per index', async (t) => {
  const s = await setup(t, job({ completions: 3, parallelism: 3, indexed: true }));
  await s.controller.reconcile('default/pi');
  const pods = s.pods();
  t.same(pods.map((p) => p.spec?.hostname).sort(), ['pi-0', 'pi-1', 'pi-2']);
  t.same(pods.map((p) => p.metadata?.labels?.['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2']);
  t.ok(pods.every((p) => p.spec?.containers[0]?.env?.[0]?.valueFrom?.fieldRef?.fieldPath === "metadata.labels['batch.kubernetes.io/job-completion-index']"));
  await settle();
  s.finish(pods.find((p) => p.spec?.hostname === 'pi-1')!, 'Succeeded');
  await settle();
  await s.controller.reconcile('default/pi');
  t.equal(s.jobNow().status?.completedIndexes, '1');
  t.equal(s.jobNow().status?.succeeded, 1);
});

t.test('ttl-after-finished deletes an expired Job in the foreground', async (t) => {
  const finished = (ttl: number): KubeObject => ({
    ...job(),
    spec: { ...(job().spec as object), ttlSecondsAfterFinished: ttl },
    status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: formatTime(NOW) }] },
  });
  t.equal(expiresAt(finished(60) as V1Job), NOW + 60_000);
  t.equal(expiresAt(job() as V1Job), undefined, 'unfinished: never');
  const { clock, fake, controller } = await startFakeController(t, { now: NOW + 30_000, objects: [finished(60)] }, (env) => new TtlAfterFinishedController({ client: env.fake.client, informers: env.informers, clock: env.clock }));
  t.same(await controller.reconcile('default/pi'), { requeueAfter: 30_000 }, 'not yet: requeued for the expiry');
  t.same(fake.writes, []);
  clock.step(30_000);
  await controller.reconcile('default/pi');
  t.same(
    fake.writes.map((w) => [w.verb, w.name, (w.body as { propagationPolicy?: string }).propagationPolicy]),
    [['delete', 'pi', 'Foreground']],
  );
});
