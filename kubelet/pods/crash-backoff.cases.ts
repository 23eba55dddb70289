import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import { Backoff } from './crash-backoff.js';

t.test('delays double from the initial one up to the max', async (t) => {
  const clock = new FakeClock();
  const backoff = new Backoff(clock, 10_000, 300_000, 600_000);
  const seen: number[] = [];
  for (let i = 0; i < 7; i++) {
    backoff.next('k', clock.now());
    seen.push(backoff.delay('k'));
    clock.step(1000);
  }
  t.same(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
});

t.test('in backoff while now is within the delay counted from the event', async (t) => {
  const clock = new FakeClock();
  const backoff = new Backoff(clock, 10_000, 300_000, 600_000);
  const exit = clock.now();
  t.notOk(backoff.inBackoffSince('k', exit), 'no entry: not in backoff');
  backoff.next('k', exit);
  t.ok(backoff.inBackoffSince('k', exit));
  clock.step(9_999);
  t.ok(backoff.inBackoffSince('k', exit));
  clock.step(1);
  t.notOk(backoff.inBackoffSince('k', exit), 'ends exactly at the delay');
  t.equal(backoff.expiresAt('k', exit), exit + 10_000);
});

t.test('an event long after the last update starts over (the container ran long enough)', async (t) => {
  const clock = new FakeClock();
  const backoff = new Backoff(clock, 10_000, 300_000, 600_000);
  backoff.next('k', clock.now());
  backoff.next('k', clock.now());
  t.equal(backoff.delay('k'), 20_000);
  clock.step(600_001);
  t.notOk(backoff.inBackoffSince('k', clock.now()));
  backoff.next('k', clock.now());
  t.equal(backoff.delay('k'), 10_000);
});

t.test('since-update checks (image pulls), reset and resetPrefix', async (t) => {
  const clock = new FakeClock();
  const backoff = new Backoff(clock, 1000, 8000, 60_000);
  backoff.next('uid-1/nginx', clock.now());
  backoff.next('uid-2/nginx', clock.now());
  t.ok(backoff.inBackoffSinceUpdate('uid-1/nginx'));
  t.equal(backoff.expiresSinceUpdate('uid-1/nginx'), clock.now() + 1000);
  clock.step(1000);
  t.notOk(backoff.inBackoffSinceUpdate('uid-1/nginx'));
  backoff.resetPrefix('uid-1/');
  t.equal(backoff.delay('uid-1/nginx'), 0);
  t.equal(backoff.delay('uid-2/nginx'), 1000);
  backoff.reset('uid-2/nginx');
  t.equal(backoff.expiresSinceUpdate('uid-2/nginx'), 0);
});
