/** The CPU rate cache: first samples, rates, counter resets, equal timestamps, pruning. */
import t from 'tap';
import { nextCpuUsageRecord, updateCpuUsageCache, type CpuUsageRecord } from './cpu-usage-rate.js';

const s = (seconds: number, usedSeconds: number) => ({ timestampNs: seconds * 1e9, usageCoreNanoSeconds: usedSeconds * 1e9 });

t.test('nextCpuUsageRecord', async (t) => {
  const cases: Array<{ name: string; cached?: CpuUsageRecord; sample: ReturnType<typeof s>; want: CpuUsageRecord }> = [
    { name: 'a first sample has no rate yet', sample: s(10, 2), want: { sample: s(10, 2) } },
    { name: 'half a core over 10 s', cached: { sample: s(10, 2) }, sample: s(20, 7), want: { sample: s(20, 7), usageNanoCores: 500_000_000 } },
    { name: 'idle: rate 0', cached: { sample: s(10, 2), usageNanoCores: 9 }, sample: s(20, 2), want: { sample: s(20, 2), usageNanoCores: 0 } },
    { name: 'a counter that went back (reset) starts over', cached: { sample: s(10, 5), usageNanoCores: 7 }, sample: s(20, 1), want: { sample: s(20, 1) } },
    { name: 'the same timestamp keeps the cache', cached: { sample: s(10, 2), usageNanoCores: 3 }, sample: s(10, 4), want: { sample: s(10, 2), usageNanoCores: 3 } },
    { name: 'an older timestamp keeps the cache', cached: { sample: s(10, 2), usageNanoCores: 3 }, sample: s(9, 4), want: { sample: s(10, 2), usageNanoCores: 3 } },
    { name: 'fractions truncate', cached: { sample: { timestampNs: 0, usageCoreNanoSeconds: 0 } }, sample: { timestampNs: 3e9, usageCoreNanoSeconds: 1 }, want: { sample: { timestampNs: 3e9, usageCoreNanoSeconds: 1 }, usageNanoCores: 0 } },
    { name: 'two millicores', cached: { sample: s(0, 0) }, sample: s(1, 0.002), want: { sample: s(1, 0.002), usageNanoCores: 2_000_000 } },
  ];
  for (const c of cases) t.same(nextCpuUsageRecord(c.cached, c.sample), c.want, c.name);
});

t.test('updateCpuUsageCache: samples all, prunes containers no longer reported', async (t) => {
  const cache = new Map<string, CpuUsageRecord>();
  updateCpuUsageCache(cache, [{ id: 'a', sample: s(10, 1) }, { id: 'b', sample: s(10, 1) }]);
  t.same([...cache.keys()].sort(), ['a', 'b']);
  t.equal(cache.get('a')?.usageNanoCores, undefined, 'no rate after one sample');
  updateCpuUsageCache(cache, [{ id: 'a', sample: s(20, 2) }, { id: 'c' }]);
  t.equal(cache.get('a')?.usageNanoCores, 100_000_000, 'a: 0.1 core');
  t.notOk(cache.has('b'), 'b is gone: pruned');
  t.notOk(cache.has('c'), 'c has no CPU counter: nothing cached');
});
