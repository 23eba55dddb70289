import t from 'tap';
import { humanDuration, shortHumanDuration, timestampAge } from './age.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

t.test('humanDuration matches kube duration.HumanDuration', async (t) => {
  const cases: Array<[number, string]> = [
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * s, '1s'],
    [59 * s, '59s'],
    [60 * s, '60s'],
    [119 * s, '119s'],
    [119 * s + 999, '119s'],
    [2 * m, '2m'],
    [2 * m + 3 * s, '2m3s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 30 * s, '10m'],
    [179 * m + 59 * s, '179m'],
    [3 * h, '3h'],
    [3 * h + 1 * m, '3h1m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [8 * h + 30 * m, '8h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [8 * d + 23 * h, '8d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [2 * y + 5 * d, '2y5d'],
    [7 * y + 364 * d, '7y364d'],
    [8 * y, '8y'],
    [8 * y + 200 * d, '8y'],
    [100 * y, '100y'],
  ];
  for (const [ms, want] of cases) t.equal(humanDuration(ms), want, `${ms}ms`);
});

t.test('shortHumanDuration matches kube duration.ShortHumanDuration', async (t) => {
  const cases: Array<[number, string]> = [
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [59 * s, '59s'],
    [60 * s, '1m'],
    [59 * m + 59 * s, '59m'],
    [h, '1h'],
    [23 * h + 59 * m, '23h'],
    [d, '1d'],
    [364 * d, '364d'],
    [y, '1y'],
    [3 * y + 100 * d, '3y'],
  ];
  for (const [ms, want] of cases) t.equal(shortHumanDuration(ms), want, `${ms}ms`);
});

t.test('timestampAge: <unknown> without a timestamp', async (t) => {
  const now = new Date('2026-01-10T12:00:00Z');
  t.equal(timestampAge(undefined, now), '<unknown>');
  t.equal(timestampAge(null, now), '<unknown>');
  t.equal(timestampAge('', now), '<unknown>');
  t.equal(timestampAge('not a time', now), '<unknown>');
  t.equal(timestampAge('2026-01-10T12:00:00Z', now), '0s');
  t.equal(timestampAge('2026-01-10T11:55:00Z', now), '5m');
  t.equal(timestampAge('2026-01-08T09:00:00Z', now), '2d3h');
  t.equal(timestampAge('2026-01-10T12:00:01Z', now), '0s');
  t.equal(timestampAge('2026-01-10T12:00:05Z', now), '<invalid>');
});
