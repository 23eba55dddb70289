import t from 'tap';
import { FakeClock } from '../clock.js';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiters.js';

t.test('exponential backoff per item', async (t) => {
  const cases = [
    { name: 'defaults double from 5 ms', opts: {}, want: [5, 10, 20, 40, 80] },
    { name: 'capped at max', opts: { baseDelayMs: 100, maxDelayMs: 300 }, want: [100, 200, 300, 300] },
  ];
  for (const c of cases) {
    const l = new ItemExponentialFailureRateLimiter(c.opts);
    t.same(c.want.map(() => l.when('a')), c.want, c.name);
    t.equal(l.numRequeues('a'), c.want.length);
    t.equal(l.when('b'), c.want[0], 'items are independent');
    l.forget('a');
    t.equal(l.numRequeues('a'), 0);
    t.equal(l.when('a'), c.want[0], 'forget resets');
  }
  const l = new ItemExponentialFailureRateLimiter();
  let last = 0;
  for (let i = 0; i < 2000; i++) last = l.when('x');
  t.equal(last, 1000_000, 'never overflows past the 1000 s default cap');
  t.throws(() => new ItemExponentialFailureRateLimiter({ baseDelayMs: -1 }), /non-negative/);
});

t.test('bucket limiter: burst is free, then qps spacing, refills over time', async (t) => {
  const clock = new FakeClock();
  const l = new BucketRateLimiter({ qps: 10, burst: 3, clock });
  t.same([l.when('a'), l.when('b'), l.when('c')], [0, 0, 0], 'burst');
  t.equal(l.when('d'), 100, 'next token in 1/qps');
  t.equal(l.when('e'), 200, 'waits queue up');
  clock.step(1000); // +10 tokens, capped at burst 3 (from -2)
  t.same([l.when('f'), l.when('g'), l.when('h'), l.when('i')], [0, 0, 0, 100]);
  t.equal(l.numRequeues('a'), 0);
  t.throws(() => new BucketRateLimiter({ qps: 0 }), /qps > 0/);
});

t.test('max-of takes the longest wait and forwards forget', async (t) => {
  const clock = new FakeClock();
  const l = new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter({ baseDelayMs: 1 }), new BucketRateLimiter({ qps: 1, burst: 1, clock }));
  t.equal(l.when('a'), 1, 'bucket free, exponential 1');
  t.equal(l.when('a'), 1000, 'bucket empty: 1 s beats exponential 2');
  t.equal(l.numRequeues('a'), 2);
  l.forget('a');
  t.equal(l.numRequeues('a'), 0);
  t.throws(() => new MaxOfRateLimiter(), /at least one/);
});

t.test('default controller limiter = max(5 ms exponential, 10 qps burst 100)', async (t) => {
  const clock = new FakeClock();
  const l = defaultControllerRateLimiter(clock);
  t.same([l.when('a'), l.when('a'), l.when('a')], [5, 10, 20]);
  for (let i = 0; i < 97; i++) l.when(`k${i}`);
  t.equal(l.when('fresh'), 100, 'the 101st retry within an instant waits for the bucket');
});
