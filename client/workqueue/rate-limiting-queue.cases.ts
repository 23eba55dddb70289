import t from 'tap';
import { FakeClock } from '../clock.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiters.js';
import { RateLimitingQueue } from './rate-limiting-queue.js';

t.test('addRateLimited backs off per key; forget resets', async (t) => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue({ clock, rateLimiter: new ItemExponentialFailureRateLimiter({ baseDelayMs: 10 }) });
  const cycle = async (wantDelay: number) => {
    q.addRateLimited('k');
    clock.step(wantDelay - 1);
    t.equal(q.len(), 0, `not before ${wantDelay} ms`);
    clock.step(1);
    t.equal(q.len(), 1, `ready at ${wantDelay} ms`);
    const n = await q.get();
    if (!n.shutdown) q.done(n.item);
  };
  await cycle(10);
  await cycle(20);
  await cycle(40);
  t.equal(q.numRequeues('k'), 3);
  q.forget('k');
  t.equal(q.numRequeues('k'), 0);
  await cycle(10);
  q.shutDown();
});

t.test('defaults to the controller limiter on the given clock', async (t) => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue({ clock });
  q.addRateLimited('k');
  clock.step(4);
  t.equal(q.len(), 0);
  clock.step(1);
  t.equal(q.len(), 1);
  q.shutDown();
});
