import t from 'tap';
import { formatGoDuration } from './go-duration.js';

const cases: Array<[number, string]> = [
  [0, '0s'],
  [10, '10ms'],
  [1500, '1.5s'],
  [10_000, '10s'],
  [20_000, '20s'],
  [40_000, '40s'],
  [80_000, '1m20s'],
  [160_000, '2m40s'],
  [300_000, '5m0s'],
  [3_600_000, '1h0m0s'],
  [3_725_000, '1h2m5s'],
  [-2000, '-2s'],
];

for (const [ms, want] of cases) t.equal(formatGoDuration(ms), want, `${ms} ms`);
