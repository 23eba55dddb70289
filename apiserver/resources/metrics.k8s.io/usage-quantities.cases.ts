/** metrics-server's quantity strings and Go's Duration.String(). */
import t from 'tap';
import { cpuQuantity, goDurationString, memoryQuantity } from './usage-quantities.js';

t.test('cpu from nano-cores', async (t) => {
  const cases: Array<[number, string]> = [
    [0, '0'],
    [2_000_000, '2m'],
    [123_456_789, '123456789n'],
    [1_500, '1500n'],
    [1_000, '1u'],
    [1_000_000_000, '1'],
    [2_500_000_000, '2500m'],
    [12.7, '12n'],
  ];
  for (const [n, want] of cases) t.equal(cpuQuantity(n), want, `${n} nano-cores`);
});

t.test('memory from bytes', async (t) => {
  const cases: Array<[number, string]> = [
    [0, '0'],
    [8 * 1024 * 1024, '8Mi'],
    [1_638_400, '1600Ki'],
    [1025, '1025'],
    [1000, '1k'],
    [4096, '4Ki'],
    [3 * 1024 ** 3, '3Gi'],
  ];
  for (const [n, want] of cases) t.equal(memoryQuantity(n), want, `${n} bytes`);
});

t.test('Go durations', async (t) => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [10_000, '10s'],
    [1_500, '1.5s'],
    [10_068, '10.068s'],
    [500, '500ms'],
    [60_000, '1m0s'],
    [90_500, '1m30.5s'],
    [3_600_000, '1h0m0s'],
  ];
  for (const [ms, want] of cases) t.equal(goDurationString(ms), want, `${ms} ms`);
});
