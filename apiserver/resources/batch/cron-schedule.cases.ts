import t from 'tap';
import { parseCronSchedule, type CronSchedule } from './cron-schedule.js';
import { parseGoDuration } from './go-duration.js';

const parsed = (spec: string): CronSchedule => {
  const r = parseCronSchedule(spec);
  if ('error' in r) throw new Error(`${spec}: ${r.error}`);
  return r.schedule;
};
const errorOf = (spec: string) => {
  const r = parseCronSchedule(spec);
  return 'error' in r ? r.error : undefined;
};

t.test('accepted schedules', async (t) => {
  for (const spec of [
    '* * * * *',
    '*/5 * * * *',
    '0 0 * * *',
    '0 9 * * MON-FRI',
    '0 9 * * mon,wed,FRI',
    '30 2 1 JAN,jul *',
    '0 0 1-15/2 * ?',
    '5/15 * * * *',
    '0 0 * * 0',
    '0 0 * * 6',
    '1,,2 * * * *',
    '  0   0  * * *  ',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '@every 1h30m',
    '@every 500ms',
    'TZ=UTC 0 * * * *',
    'CRON_TZ=Europe/Paris @daily',
  ])
    t.equal(errorOf(spec), undefined, spec);
});

t.test('robfig error texts', async (t) => {
  const cases: Array<[string, string]> = [
    ['', 'empty spec string'],
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['0 0 0 * * *', 'expected exactly 5 fields, found 6: [0 0 0 * * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['5/-1 * * * *', 'negative number (-1) not allowed: -1'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['1- * * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
    ['* * * FOO *', 'failed to parse int from FOO: strconv.Atoi: parsing "FOO": invalid syntax'],
    ['99999999999999999999 * * * *', 'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['@daily ', 'unrecognized descriptor: @daily '],
    ['@every 5d', 'failed to parse duration @every 5d: time: unknown unit "d" in duration "5d"'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['@every x', 'failed to parse duration @every x: time: invalid duration "x"'],
    ['TZ=Mars/Olympus * * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  ];
  for (const [spec, want] of cases) t.equal(errorOf(spec), want, JSON.stringify(spec));
});

t.test('Go durations', async (t) => {
  t.same(parseGoDuration('1h30m'), { ms: 5_400_000 });
  t.same(parseGoDuration('1.5s'), { ms: 1500 });
  t.same(parseGoDuration('-2m'), { ms: -120_000 });
  t.same(parseGoDuration('0'), { ms: 0 });
  t.same(parseGoDuration('.5h'), { ms: 1_800_000 });
  t.same(parseGoDuration(''), { error: 'time: invalid duration ""' });
  t.same(parseGoDuration('.s'), { error: 'time: invalid duration ".s"' });
});

const at = (iso: string) => new Date(iso);
const nextIso = (spec: string, after: string, tz?: string) => parsed(spec).next(at(after), tz)?.toISOString();

t.test('next run in UTC', async (t) => {
  const cases: Array<[string, string, string | undefined]> = [
    ['* * * * *', '2026-01-01T12:00:00Z', '2026-01-01T12:01:00.000Z'],
    ['* * * * *', '2026-01-01T12:00:59.999Z', '2026-01-01T12:01:00.000Z'],
    ['*/15 * * * *', '2026-01-01T12:07:00Z', '2026-01-01T12:15:00.000Z'],
    ['5/15 * * * *', '2026-01-01T12:51:00Z', '2026-01-01T13:05:00.000Z'],
    ['0 0 * * *', '2026-12-31T23:59:00Z', '2027-01-01T00:00:00.000Z'],
    // 2026-01-01 is a Thursday
    ['0 9 * * MON-FRI', '2026-01-02T10:00:00Z', '2026-01-05T09:00:00.000Z'],
    ['@weekly', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00.000Z'],
    ['@monthly', '2026-01-15T00:00:00Z', '2026-02-01T00:00:00.000Z'],
    ['@yearly', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['@hourly', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00.000Z'],
    // both day fields restricted: either matches (the 13th, or a Friday)
    ['0 0 13 * FRI', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'],
    // day-of-week is `*`: both must match, so only the 13th
    ['0 0 13 * *', '2026-01-01T00:00:00Z', '2026-01-13T00:00:00.000Z'],
    ['0 0 29 2 *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 0 30 2 *', '2026-01-01T00:00:00Z', undefined],
    ['@every 90s', '2026-01-01T00:00:00.700Z', '2026-01-01T00:01:30.000Z'],
    ['@every 100ms', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01.000Z'],
  ];
  for (const [spec, after, want] of cases) t.equal(nextIso(spec, after, 'UTC'), want, `${spec} after ${after}`);
});

t.test('next run in a time zone', async (t) => {
  // 09:00 in Paris is 08:00Z in winter, 07:00Z in summer
  t.equal(nextIso('0 9 * * *', '2026-01-10T12:00:00Z', 'Europe/Paris'), '2026-01-11T08:00:00.000Z');
  t.equal(nextIso('0 9 * * *', '2026-07-10T12:00:00Z', 'Europe/Paris'), '2026-07-11T07:00:00.000Z');
  // a TZ= prefix wins over the zone given to next()
  t.equal(nextIso('CRON_TZ=Asia/Tokyo 0 9 * * *', '2026-01-10T12:00:00Z', 'Europe/Paris'), '2026-01-11T00:00:00.000Z');
  // New York springs forward on 2026-03-08 at 02:00: 02:30 does not exist that day
  t.equal(nextIso('30 2 * * *', '2026-03-07T12:00:00Z', 'America/New_York'), '2026-03-09T06:30:00.000Z');
  // and falls back on 2026-11-01: 01:30 happens twice, and runs twice
  t.equal(nextIso('30 1 * * *', '2026-11-01T00:00:00Z', 'America/New_York'), '2026-11-01T05:30:00.000Z');
  t.equal(nextIso('30 1 * * *', '2026-11-01T05:30:00Z', 'America/New_York'), '2026-11-01T06:30:00.000Z');
  // minute by minute across the fall-back: 01:59 EDT is followed by 01:00 EST
  t.equal(nextIso('* * * * *', '2026-11-01T05:59:00Z', 'America/New_York'), '2026-11-01T06:00:00.000Z');
});

t.test('next is quick enough for a controller', async (t) => {
  const s = parsed('* * * * *');
  const start = performance.now();
  let after = at('2026-03-28T00:00:00Z');
  for (let i = 0; i < 200; i++) after = s.next(after, 'Europe/Paris')!;
  t.equal(after.toISOString(), '2026-03-28T03:20:00.000Z');
  t.ok(performance.now() - start < 5000, 'two hundred runs well under five seconds');
});
