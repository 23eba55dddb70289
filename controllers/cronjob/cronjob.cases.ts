/**
 * The CronJob controller: schedules (robfig's rules on cron-parser: the day OR rule,
 * descriptors, @every, time zones, what is rejected), the run-time arithmetic (most recent
 * unmet run, >100 missed, the starting deadline, the requeue delay), the concurrency and
 * history decisions as tables; and the controller against the fake cluster — seeded
 * CronJob and Jobs, a FakeClock → reconcile → kube's writes and events, none once done.
 */
import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import type { KubeObject } from '../../client/types.js';
import { formatTime } from '../common/time.js';
import { startFakeController } from '../common/testing/controller-harness.js';
import { parseCronSchedule } from './cron-schedule.js';
import { mostRecentScheduleTime, nextScheduleDelay } from './cron-times.js';
import { CronJobController } from './cronjob-controller.js';
import { concurrencyDecision, formatInZone, formatRfc1123z, jobNameFor, jobsOverHistoryLimits } from './cronjob-jobs.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

t.test('schedules: next run strictly after, as robfig computes it', async (t) => {
  const cases: Array<{ schedule: string; zone?: string; after: string; want: string[] }> = [
    { schedule: '* * * * *', zone: 'UTC', after: '2026-01-01T00:01:00Z', want: ['2026-01-01T00:02:00.000Z', '2026-01-01T00:03:00.000Z'] },
    { schedule: '*/15 * * * *', zone: 'UTC', after: '2026-01-01T00:01:30Z', want: ['2026-01-01T00:15:00.000Z', '2026-01-01T00:30:00.000Z'] },
    // day-of-month 13 OR Friday (2026-01-02 is a Friday)
    { schedule: '0 0 13 * 5', zone: 'UTC', after: '2026-01-01T00:00:00Z', want: ['2026-01-02T00:00:00.000Z', '2026-01-09T00:00:00.000Z'] },
    // a star in either day field means AND
    { schedule: '0 0 13 * *', zone: 'UTC', after: '2026-01-01T00:00:00Z', want: ['2026-01-13T00:00:00.000Z', '2026-02-13T00:00:00.000Z'] },
    { schedule: '0 9 * * MON-FRI', zone: 'UTC', after: '2026-01-02T10:00:00Z', want: ['2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z'] },
    { schedule: '@hourly', zone: 'UTC', after: '2026-01-01T00:30:00Z', want: ['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z'] },
    { schedule: '@midnight', zone: 'UTC', after: '2026-01-01T00:30:00Z', want: ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'] },
    { schedule: '@weekly', zone: 'UTC', after: '2026-01-01T00:30:00Z', want: ['2026-01-04T00:00:00.000Z', '2026-01-11T00:00:00.000Z'] },
    { schedule: '@monthly', zone: 'UTC', after: '2026-01-01T00:30:00Z', want: ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'] },
    { schedule: '@annually', zone: 'UTC', after: '2026-01-01T00:30:00Z', want: ['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z'] },
    { schedule: '@every 90s', after: '2026-01-01T00:00:00.500Z', want: ['2026-01-01T00:01:30.000Z', '2026-01-01T00:03:00.000Z'] },
    { schedule: '0 9 * * *', zone: 'America/New_York', after: '2026-01-01T00:00:00Z', want: ['2026-01-01T14:00:00.000Z', '2026-01-02T14:00:00.000Z'] },
    { schedule: 'TZ=Asia/Tokyo 0 9 * * *', zone: 'UTC', after: '2026-01-01T00:00:00Z', want: ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'] },
  ];
  for (const c of cases) {
    const s = parseCronSchedule(c.schedule, c.zone);
    const first = s.next(at(c.after));
    t.same([iso(first), iso(s.next(first))], c.want, `${c.schedule} ${c.zone ?? ''}`);
  }
  for (const bad of ['* * * * * *', '0 0 L * *', '@fortnightly', '61 * * * *', '* * * *']) t.throws(() => parseCronSchedule(bad, 'UTC'), `${bad} rejected`);
  t.throws(() => parseCronSchedule('* * * * *', 'Mars/Olympus'), /unknown time zone/);
});

t.test('run times: most recent unmet, too many missed, deadline, requeue', async (t) => {
  const every = parseCronSchedule('* * * * *', 'UTC');
  const created = at('2026-01-01T00:00:30Z');
  t.same(mostRecentScheduleTime({ creationMs: created }, at('2026-01-01T00:00:50Z'), every, true), { earliest: created, missed: 'none' }, 'nothing due yet');
  t.same(mostRecentScheduleTime({ creationMs: created }, at('2026-01-01T00:01:10Z'), every, true), { earliest: created, mostRecent: at('2026-01-01T00:01:00Z'), missed: 'none' }, 'one due');
  const many = mostRecentScheduleTime({ creationMs: created }, at('2026-01-01T03:00:10Z'), every, true);
  t.equal(many.mostRecent, at('2026-01-01T03:00:00Z'), 'the latest of many');
  t.equal(many.missed, 'many', '> 100 missed');
  const withDeadline = mostRecentScheduleTime({ creationMs: created, startingDeadlineSeconds: 200 }, at('2026-01-01T03:00:10Z'), every, true);
  t.equal(withDeadline.missed, 'few', 'the deadline bounds how far back to look');
  t.match(mostRecentScheduleTime({ creationMs: created }, at('2027-01-01T00:00:00Z'), parseCronSchedule('59 23 31 2 *', 'UTC'), true), { error: /less than 1 second/ }, 'never runs: kube\'s InvalidSchedule error');
  t.equal(nextScheduleDelay({ creationMs: created, lastScheduleMs: at('2026-01-01T00:01:00Z') }, at('2026-01-01T00:01:00.200Z'), every), 59_900, 'just after the next minute');
});

t.test('concurrency, history and naming', async (t) => {
  const decisions: Array<[string | undefined, number, string]> = [
    [undefined, 0, 'create'],
    ['Allow', 2, 'create'],
    ['Forbid', 0, 'create'],
    ['Forbid', 1, 'skip'],
    ['Replace', 1, 'replace'],
  ];
  for (const [policy, active, want] of decisions) t.equal(concurrencyDecision(policy, active), want, `${policy} with ${active} active`);
  const job = (name: string, type: string, start: string): V1Job => ({ metadata: { name }, status: { startTime: start as unknown as Date, conditions: [{ type, status: 'True' }] } });
  const jobs = [job('a', 'Complete', '2026-01-01T00:03:00Z'), job('b', 'Complete', '2026-01-01T00:01:00Z'), job('c', 'Failed', '2026-01-01T00:02:00Z'), job('d', 'Failed', '2026-01-01T00:04:00Z'), job('e', 'Complete', '2026-01-01T00:05:00Z')];
  const cj: V1CronJob = { spec: { schedule: '* * * * *', jobTemplate: {}, successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 } };
  t.same(jobsOverHistoryLimits(cj, jobs).map((j) => j.metadata?.name), ['b', 'c'], 'the oldest beyond each limit');
  t.same(jobsOverHistoryLimits({ spec: { schedule: '', jobTemplate: {} } }, jobs), [], 'no limits: keep all');
  t.equal(jobNameFor('hello', at('2026-01-01T00:01:00Z')), `hello-${at('2026-01-01T00:01:00Z') / 60_000}`);
  t.equal(formatInZone(at('2026-01-01T14:00:00Z'), 'America/New_York'), '2026-01-01T09:00:00-05:00');
  t.equal(formatInZone(at('2026-01-01T14:00:00Z')), '2026-01-01T14:00:00Z');
  t.equal(formatRfc1123z(at('2026-01-02T03:04:05Z')), 'Fri, 02 Jan 2026 03:04:05 +0000');
});

const CREATED = at('2026-01-01T00:00:30Z');

const cronJob = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'hello', namespace: 'default', uid: 'uid-hello', creationTimestamp: formatTime(CREATED) },
  spec: { schedule: '* * * * *', timeZone: 'UTC', jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
  ...(status ? { status } : {}),
});

const ownedJob = (name: string, o: { finished?: string; start?: string; completion?: string } = {}): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'uid-hello', controller: true }] },
  spec: { template: {} },
  status: {
    ...(o.start ? { startTime: o.start } : {}),
    ...(o.completion ? { completionTime: o.completion } : {}),
    ...(o.finished ? { conditions: [{ type: o.finished, status: 'True' }] } : {}),
  },
});

const activeRef = (name: string) => ({ kind: 'Job', namespace: 'default', name, uid: `uid-${name}`, apiVersion: 'batch/v1' });

async function setup(t: Test, now: number, ...objects: KubeObject[]) {
  const h = await startFakeController(t, { now, objects }, (env) => new CronJobController({ client: env.fake.client, informers: env.informers, recorder: env.recorder, clock: env.clock }));
  const { fake } = h;
  const status = () => fake.get('batch/v1', 'CronJob', 'hello', 'default')?.status as V1CronJob['status'];
  return { ...h, status };
}

const MINUTE_1 = at('2026-01-01T00:01:00Z');
const NAME_1 = jobNameFor('hello', MINUTE_1);

t.test('a due run creates its Job, then waits for the next minute', async (t) => {
  const s = await setup(t, MINUTE_1 + 500, cronJob());
  const result = await s.controller.reconcile('default/hello');
  t.same(s.writes(), [`create Job ${NAME_1}`, 'updateStatus CronJob/status hello']);
  t.same(result, { requeueAfter: 60_000 - 500 + 100 }, 'requeued for just after the next minute');
  const job = s.fake.get('batch/v1', 'Job', NAME_1, 'default')!;
  t.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T00:01:00Z');
  t.equal(job.metadata?.labels?.team, 'a', 'template labels');
  t.match(job.metadata?.ownerReferences?.[0], { kind: 'CronJob', uid: 'uid-hello', controller: true, blockOwnerDeletion: true });
  t.match(s.status(), { lastScheduleTime: '2026-01-01T00:01:00Z', active: [{ name: NAME_1, kind: 'Job' }] });
  t.same(s.events, [`Normal SuccessfulCreate Created job ${NAME_1}`]);
  await new Promise((r) => setTimeout(r, 30));
  s.fake.clearWrites();
  await s.controller.reconcile('default/hello');
  t.same(s.writes(), [], 'steady state: nothing written');
});

t.test('Forbid skips while a Job runs; Replace deletes it first', async (t) => {
  const now = MINUTE_1 + at('2026-01-01T00:01:00Z') - at('2026-01-01T00:00:00Z') + 500;
  const status = { active: [activeRef('old')], lastScheduleTime: formatTime(MINUTE_1) };
  const forbid = await setup(t, now, cronJob({ concurrencyPolicy: 'Forbid' }, status), ownedJob('old'));
  await forbid.controller.reconcile('default/hello');
  t.same(forbid.writes(), [], 'Forbid: nothing created');
  t.ok(forbid.events.includes('Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid'));
  const replace = await setup(t, now, cronJob({ concurrencyPolicy: 'Replace' }, status), ownedJob('old'));
  await replace.controller.reconcile('default/hello');
  t.same(replace.writes(), ['delete Job old', `create Job ${jobNameFor('hello', MINUTE_1 + 60_000)}`, 'updateStatus CronJob/status hello']);
  t.ok(replace.events.includes('Normal SuccessfulDelete Deleted job old'));
  t.same(replace.status()?.active?.map((r) => r.name), [jobNameFor('hello', MINUTE_1 + 60_000)]);
});

t.test('finished Jobs leave the active list; the history limits prune', async (t) => {
  const status = { active: [activeRef('j4')], lastScheduleTime: formatTime(MINUTE_1) };
  const done = (name: string, minute: number) => ownedJob(name, { finished: 'Complete', start: formatTime(CREATED + minute * 60_000), completion: formatTime(CREATED + minute * 60_000 + 10_000) });
  const s = await setup(t, MINUTE_1 + 10_000, cronJob({ successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 }, status), done('j1', 1), done('j2', 2), done('j3', 3), done('j4', 4));
  await s.controller.reconcile('default/hello');
  t.same(s.writes(), ['delete Job j1', 'updateStatus CronJob/status hello'], 'the oldest success beyond 3 goes; one status write');
  t.ok(s.events.includes('Normal SawCompletedJob Saw completed job: j4, condition: Complete'));
  t.same(s.status()?.active ?? [], []);
  t.equal(s.status()?.lastSuccessfulTime, formatTime(CREATED + 4 * 60_000 + 10_000));
});

t.test('missed deadlines, too many misses, suspend', async (t) => {
  const late = await setup(t, MINUTE_1 + 30_000, cronJob({ startingDeadlineSeconds: 10 }));
  await late.controller.reconcile('default/hello');
  // kube looks back only startingDeadlineSeconds, so a run older than that is simply skipped
  t.same(late.writes(), [], 'past the starting deadline: no Job');
  t.same(late.events, []);
  const behind = await setup(t, CREATED + 3 * 3_600_000, cronJob());
  await behind.controller.reconcile('default/hello');
  t.ok(behind.events.includes('Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
  t.same(behind.writes().filter((w) => w.startsWith('create')).length, 1, 'still runs the most recent one');
  const suspended = await setup(t, MINUTE_1 + 500, cronJob({ suspend: true }));
  t.same(await suspended.controller.reconcile('default/hello'), undefined, 'suspended: no requeue');
  t.same(suspended.writes(), []);
});
