/**
 * The Job, TTL-after-finished and CronJob controllers end to end, with the real kubectl on
 * a one-node simulated cluster. The simulated runtime makes a container exit with the
 * code in the pod annotation `sim.k8ts.io/exit-code` after `sim.k8ts.io/run-ms`, so a
 * Job's template says whether its pods succeed or fail:
 *   - a Job whose pods exit 0 completes (`kubectl wait --for=condition=complete`), with
 *     SuccessCriteriaMet then Complete, its pods counted and their tracking finalizers
 *     removed; once finished nothing more is written;
 *   - a Job whose pods exit 1 fails after backoffLimit with BackoffLimitExceeded;
 *   - an Indexed Job runs one pod per index (hostname `<job>-<index>`) and reports
 *     completedIndexes; ttlSecondsAfterFinished: 0 gets the finished Job deleted (with
 *     the garbage collector removing its pods); deleting a running Job does not leave
 *     its pods stuck on the tracking finalizer;
 *   - `kubectl create job --from=cronjob/x` works against the CronJob;
 *   - on a second cluster whose clock is a FakeClock, a `* * * * *` CronJob fires when the
 *     clock passes the minute (no real minute is waited), naming the Job after the
 *     scheduled minute and recording it in status.active / lastScheduleTime.
 */
import t from 'tap';
import { FakeClock } from '../client/clock.js';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, sleep, until } from './helpers/poll.js';
import { fastNodes, untilNodes } from './helpers/workloads.js';

const VERSION = '1.33';

interface JobOpts {
  exitCode?: number;
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  indexed?: boolean;
  ttl?: number;
}

const jobSpec = (o: JobOpts) => ({
  ...(o.completions !== undefined && { completions: o.completions }),
  ...(o.parallelism !== undefined && { parallelism: o.parallelism }),
  ...(o.backoffLimit !== undefined && { backoffLimit: o.backoffLimit }),
  ...(o.indexed && { completionMode: 'Indexed' }),
  ...(o.ttl !== undefined && { ttlSecondsAfterFinished: o.ttl }),
  template: {
    metadata: { annotations: { 'sim.k8ts.io/run-ms': '200', 'sim.k8ts.io/exit-code': String(o.exitCode ?? 0) } },
    spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'work', image: 'busybox:1.36' }] },
  },
});

const jobJson = (name: string, o: JobOpts = {}) => JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: jobSpec(o) });

const cronJobJson = (name: string, o: JobOpts = {}) =>
  JSON.stringify({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name }, spec: { schedule: '* * * * *', jobTemplate: { spec: jobSpec(o) } } });

const conditionTypes = (job: any): string[] => (job?.status?.conditions ?? []).filter((c: any) => c.status === 'True').map((c: any) => c.type);

const podsOf = async (e: E2e, job: string): Promise<any[]> => (await jsonOf(e, ['get', 'pods', '-l', `job-name=${job}`]))?.items ?? [];

t.test('the Job controllers with the real kubectl', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(120_000);
  const e = await e2eCluster(t, VERSION, fastNodes(1, { controllers: { leaderElection: false, only: ['job', 'cronjob', 'ttl-after-finished', 'garbage-collector'], job: { podFailureBackoffMs: 100, maxPodFailureBackoffMs: 400, syncBatchPeriodMs: 50 } } }));
  await untilNodes(e, 1);
  // independent: started together, checked one by one
  await Promise.all([
    e.ok(['apply', '-f', '-'], jobJson('ok', { completions: 2, parallelism: 2 })),
    e.ok(['apply', '-f', '-'], jobJson('bad', { exitCode: 1, backoffLimit: 1 })),
    e.ok(['apply', '-f', '-'], jobJson('idx', { completions: 3, parallelism: 3, indexed: true })),
    e.ok(['apply', '-f', '-'], jobJson('ttl', { ttl: 0 })),
    e.ok(['apply', '-f', '-'], cronJobJson('nightly')).then(() => e.ok(['create', 'job', 'manual', '--from=cronjob/nightly'])),
  ]);

  await t.test('a Job whose pods exit 0 completes', async (t) => {
    await e.ok(['wait', '--for=condition=complete', 'job/ok', '--timeout=30s']);
    const job = await jsonOf(e, ['get', 'job', 'ok']);
    t.equal(job?.status?.succeeded, 2, 'two pods succeeded');
    t.same(conditionTypes(job), ['SuccessCriteriaMet', 'Complete'], 'SuccessCriteriaMet, then Complete');
    t.equal(job?.status?.conditions?.find((c: any) => c.type === 'Complete')?.reason, 'CompletionsReached');
    t.ok(job?.status?.completionTime && job?.status?.startTime, 'start and completion times');
    t.same(job?.status?.uncountedTerminatedPods ?? {}, {}, 'nothing uncounted');
    const pods = await podsOf(e, 'ok');
    t.equal(pods.length, 2, 'one pod per completion');
    t.ok(pods.every((p) => !(p.metadata.finalizers ?? []).includes('batch.kubernetes.io/job-tracking')), 'tracking finalizers removed');
    t.ok(pods.every((p) => p.metadata.labels['batch.kubernetes.io/job-name'] === 'ok' && p.metadata.labels['batch.kubernetes.io/controller-uid'] === job?.metadata?.uid), 'job labels');
    t.ok(pods.every((p) => p.metadata.ownerReferences?.[0]?.kind === 'Job' && p.metadata.ownerReferences[0].controller === true), 'owned by the Job');
    const events = await e.ok(['get', 'events', '--field-selector', 'involvedObject.name=ok', '-o', 'jsonpath={range .items[*]}{.reason} {.source.component}{"\\n"}{end}']);
    t.match(events, /SuccessfulCreate job-controller/);
    t.match(events, /Completed job-controller/);

    // steady state: a finished Job is not written again
    const before = job?.metadata?.resourceVersion;
    await sleep(1_000);
    t.equal((await jsonOf(e, ['get', 'job', 'ok']))?.metadata?.resourceVersion, before, 'no writes once finished');
  });

  await t.test('a Job whose pods exit 1 fails after backoffLimit', async (t) => {
    await e.ok(['wait', '--for=condition=failed', 'job/bad', '--timeout=30s']);
    const job = await jsonOf(e, ['get', 'job', 'bad']);
    t.equal(job?.status?.failed, 2, 'backoffLimit 1: the second failure fails the Job');
    const failed = job?.status?.conditions?.find((c: any) => c.type === 'Failed');
    t.equal(failed?.reason, 'BackoffLimitExceeded');
    t.equal(failed?.message, 'Job has reached the specified backoff limit');
    t.ok(conditionTypes(job).includes('FailureTarget'), 'FailureTarget came first');
    t.notOk(job?.status?.completionTime, 'no completionTime on failure');
  });

  await t.test('an Indexed Job runs one pod per index', async (t) => {
    await e.ok(['wait', '--for=condition=complete', 'job/idx', '--timeout=30s']);
    const job = await jsonOf(e, ['get', 'job', 'idx']);
    t.equal(job?.status?.completedIndexes, '0-2', 'completedIndexes');
    t.equal(job?.status?.succeeded, 3);
    const pods = await podsOf(e, 'idx');
    t.same(pods.map((p) => p.spec.hostname).sort(), ['idx-0', 'idx-1', 'idx-2'], 'hostname <job>-<index>');
    t.same(pods.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2'], 'index annotation');
    t.ok(pods.every((p) => p.metadata.generateName === `idx-${p.metadata.annotations['batch.kubernetes.io/job-completion-index']}-`), 'generateName <job>-<index>-');
    t.ok(
      pods.every((p) => p.spec.containers[0].env?.some((v: any) => v.name === 'JOB_COMPLETION_INDEX')),
      'JOB_COMPLETION_INDEX in the env',
    );
  });

  await t.test('ttlSecondsAfterFinished deletes the finished Job', async (t) => {
    // TTL deletes in the foreground: the garbage collector removes the pods, then the Job
    const deleted = await until(
      async () => (await e.kubectl(['get', 'job', 'ttl'])).code,
      (code) => code !== 0,
      15_000,
    );
    t.not(deleted, 0, 'ttlSecondsAfterFinished: 0 deletes the finished Job');
    t.same(await podsOf(e, 'ttl'), [], 'and its pods');
  });

  await t.test('kubectl create job --from=cronjob', async (t) => {
    await e.ok(['wait', '--for=condition=complete', 'job/manual', '--timeout=30s']);
    const job = await jsonOf(e, ['get', 'job', 'manual']);
    t.equal(job?.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    t.equal(job?.status?.succeeded, 1);
  });

  await t.test('deleting a running Job releases and removes its pods', async (t) => {
    await e.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'long' }, spec: { template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'work', image: 'busybox:1.36' }] } } } }));
    await until(
      () => podsOf(e, 'long'),
      (pods) => pods.length === 1 && pods[0].status?.phase === 'Running',
    );
    // steady state while running: no more writes to the Job
    await sleep(300);
    const before = (await jsonOf(e, ['get', 'job', 'long']))?.metadata?.resourceVersion;
    await sleep(1_000);
    t.equal((await jsonOf(e, ['get', 'job', 'long']))?.metadata?.resourceVersion, before, 'a running Job is not rewritten');
    await e.ok(['delete', 'job', 'long']);
    const pods = await until(
      () => podsOf(e, 'long'),
      (pods) => pods.length === 0,
      15_000,
    );
    t.same(pods, [], 'the tracking finalizer did not keep the pod');
  });
});

t.test('a CronJob fires when the clock passes its schedule', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(60_000);
  const clock = new FakeClock(Date.now());
  const e = await e2eCluster(t, VERSION, { clock, controllers: { leaderElection: false, only: ['cronjob'] } });
  await e.ok(['apply', '-f', '-'], cronJobJson('every-minute'));
  const cj = await until(
    () => jsonOf(e, ['get', 'cronjob', 'every-minute']),
    (c) => Boolean(c?.metadata?.uid),
  );
  t.equal((await jsonOf(e, ['get', 'jobs']))?.items?.length ?? 0, 0, 'nothing before the minute');
  // let the controller see the CronJob (it requeues itself for the next minute), then pass
  // just that minute: a fixed 61 s would pass two boundaries when the test starts in a
  // minute's last second
  await sleep(300);
  const nextMinuteMs = (Math.floor(Date.parse(cj!.metadata.creationTimestamp) / 60_000) + 1) * 60_000;
  await clock.advance(Math.max(0, nextMinuteMs + 500 - clock.now()));
  const jobs = await until(
    async () => (await jsonOf(e, ['get', 'jobs']))?.items ?? [],
    (l) => l.length > 0,
    10_000,
  );
  t.equal(jobs.length, 1, 'one Job for the minute');
  const job = jobs[0];
  const created = Date.parse(cj!.metadata.creationTimestamp);
  const minute = Math.floor(created / 60_000) + 1;
  t.equal(job?.metadata?.name, `every-minute-${minute}`, 'named after the scheduled minute');
  t.equal(job?.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(minute * 60_000).toISOString().replace('.000Z', 'Z'));
  t.equal(job?.metadata?.ownerReferences?.[0]?.kind, 'CronJob');
  const status = (
    await until(
      () => jsonOf(e, ['get', 'cronjob', 'every-minute']),
      (c) => (c?.status?.active?.length ?? 0) === 1,
      10_000,
    )
  )?.status;
  t.equal(status?.active?.[0]?.name, job?.metadata?.name, 'status.active lists it');
  t.equal(status?.lastScheduleTime, new Date(minute * 60_000).toISOString().replace('.000Z', 'Z'), 'lastScheduleTime');
  const events = await e.ok(['get', 'events', '--field-selector', 'involvedObject.name=every-minute', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
  t.match(events, new RegExp(`SuccessfulCreate: Created job every-minute-${minute}`));
});
