import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cronjobs } from './cronjobs.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';

const cj = (spec: Record<string, unknown> = {}, name = 'hello'): KubeObject => ({
  metadata: { name, namespace: 'default', uid: 'u-1', creationTimestamp: minutesAgo(60) },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.36' }], restartPolicy: 'OnFailure' } } } },
    ...spec,
  },
});

t.test('definition', async (t) => {
  t.match(cronjobs, { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], categories: ['all'], modelName: 'V1CronJob' });
  t.same(
    cronjobs.subresources.map((s) => s.name),
    ['status'],
  );
  t.same(
    cronjobs.printerColumns!.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Schedule', 'string', 0],
      ['Timezone', 'string', 0],
      ['Suspend', 'boolean', 0],
      ['Active', 'integer', 0],
      ['Last Schedule', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
  );
});

t.test('defaults', async (t) => {
  const { obj, errors } = create(cronjobs, cj());
  t.same(errors, []);
  const spec = obj.spec as Record<string, unknown> & { jobTemplate: { spec: Record<string, unknown> } };
  t.match(spec, { concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  t.match(spec.jobTemplate.spec, { template: { spec: { dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', containers: [{ imagePullPolicy: 'IfNotPresent' }] } } });
  // kube gives a CronJob's job template pod defaults only, not the Job-level ones
  for (const key of ['completions', 'parallelism', 'backoffLimit', 'completionMode', 'suspend', 'selector', 'manualSelector']) t.notOk(key in spec.jobTemplate.spec, key);
  t.equal(obj.metadata.labels, undefined);
});

t.test('validation on create', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', cj(), []],
    ['descriptor', cj({ schedule: '@hourly' }), []],
    ['time zone', cj({ timeZone: 'Europe/Paris' }), []],
    ['no schedule', cj({ schedule: '' }), ['spec.schedule: Required value']],
    ['bad schedule', cj({ schedule: '61 * * * *' }), ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']],
    ['six fields', cj({ schedule: '0 0 0 * * *' }), ['spec.schedule: Invalid value: "0 0 0 * * *": expected exactly 5 fields, found 6: [0 0 0 * * *]']],
    ['TZ in schedule', cj({ schedule: 'CRON_TZ=UTC * * * * *' }), ['spec.schedule: Invalid value: "CRON_TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']],
    [
      'bad TZ in schedule',
      cj({ schedule: 'TZ=Nowhere * * * * *' }),
      [
        'spec.schedule: Invalid value: "TZ=Nowhere * * * * *": provided bad location Nowhere: unknown time zone Nowhere',
        'spec.schedule: Invalid value: "TZ=Nowhere * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ],
    ],
    ['unknown zone', cj({ timeZone: 'Europe/Pariss' }), ['spec.timeZone: Invalid value: "Europe/Pariss": unknown time zone Europe/Pariss']],
    ['empty zone', cj({ timeZone: '' }), ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']],
    ['Local', cj({ timeZone: 'Local' }), ['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']],
    [
      'local',
      cj({ timeZone: 'local' }),
      ['spec.timeZone: Invalid value: "local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones', 'spec.timeZone: Invalid value: "local": unknown time zone local'],
    ],
    ['zone part too long', cj({ timeZone: 'Europe/Abcdefghijklmno' }), ['spec.timeZone: Invalid value: "Europe/Abcdefghijklmno": unknown time zone Europe/Abcdefghijklmno']],
    ['zone in the wrong case', cj({ timeZone: 'europe/paris' }), ['spec.timeZone: Invalid value: "europe/paris": unknown time zone europe/paris']],
    ['zone alias', cj({ timeZone: 'US/Eastern' }), []],
    ['UTC', cj({ timeZone: 'UTC' }), []],
    ['Etc/UTC', cj({ timeZone: 'Etc/UTC' }), []],
    ['dot-dot zone', cj({ timeZone: '../etc/passwd' }), ['spec.timeZone: Invalid value: "../etc/passwd": unknown time zone ../etc/passwd']],
    ['negative deadline', cj({ startingDeadlineSeconds: -1 }), ['spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0']],
    ['zero deadline', cj({ startingDeadlineSeconds: 0 }), []],
    [
      'negative history',
      cj({ successfulJobsHistoryLimit: -1, failedJobsHistoryLimit: -2 }),
      ['spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0', 'spec.failedJobsHistoryLimit: Invalid value: -2: must be greater than or equal to 0'],
    ],
    ['concurrency', cj({ concurrencyPolicy: 'Sometimes' }), ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']],
    [
      'job template rules',
      cj({ jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, manualSelector: true, template: { spec: { containers: [{ name: 'hello', image: 'busybox' }] } } } } }),
      [
        'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
        'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
      ],
    ],
    ['52 characters', cj({}, 'a'.repeat(52)), []],
    ['53 characters', cj({}, 'a'.repeat(53)), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]],
  ];
  for (const [name, input, want] of cases) t.same(create(cronjobs, input).errors, want, name);
});

t.test('validation on update', async (t) => {
  const old = stored(cronjobs, cj());
  const edit = (f: (spec: Record<string, unknown>) => void, from: KubeObject = old) => {
    const obj = structuredClone(from);
    f(obj.spec as Record<string, unknown>);
    return update(cronjobs, obj, from).errors;
  };
  t.same(edit((s) => (s.schedule = '@daily')), []);
  t.same(edit((s) => (s.suspend = true)), []);
  t.same(edit((s) => (s.schedule = 'nope')), ['spec.schedule: Invalid value: "nope": expected exactly 5 fields, found 1: [nope]']);
  t.same(edit((s) => (s.schedule = 'TZ=UTC @daily')), ['spec.schedule: Invalid value: "TZ=UTC @daily": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
  t.same(edit((s) => (s.timeZone = 'Mars/Olympus')), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);

  // CronJobs stored before the rule keep their TZ= schedule, but not beside spec.timeZone
  const legacy = structuredClone(old);
  (legacy.spec as Record<string, unknown>).schedule = 'TZ=UTC 0 * * * *';
  t.same(edit((s) => (s.suspend = true), legacy), []);
  t.same(edit((s) => (s.timeZone = 'UTC'), legacy), ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule']);

  // an unchanged zone is not re-checked; the name limit applies on create only
  const oddZone = structuredClone(old);
  (oddZone.spec as Record<string, unknown>).timeZone = 'Mars/Olympus';
  t.same(edit((s) => (s.suspend = true), oddZone), []);
  const longName = { ...structuredClone(old), metadata: { ...old.metadata, name: 'a'.repeat(60) } };
  t.same(edit((s) => (s.suspend = true), longName), []);
});

t.test('printer cells', async (t) => {
  const base = stored(cronjobs, cj({ timeZone: 'Europe/Paris' }));
  t.same(cells(cronjobs, base), ['hello', '*/5 * * * *', 'Europe/Paris', 'False', 0, '<none>', '60m', 'hello', 'busybox:1.36', '<none>']);
  const running = { ...stored(cronjobs, cj({ suspend: true })), status: { active: [{ name: 'hello-29000000' }], lastScheduleTime: minutesAgo(3) } };
  t.same(cells(cronjobs, running, undefined, false), ['hello', '*/5 * * * *', '<none>', 'True', 1, '3m', '60m']);
  const unset = cj();
  t.same(cells(cronjobs, unset, undefined, false)[3], '<unset>');
});
