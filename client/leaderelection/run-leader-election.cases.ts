/**
 * Leader election against the in-memory client with a FakeClock: who leads, renewals,
 * takeover after the leader stops renewing, losing leadership when renewals fail,
 * releasing on cancel, and bad timings rejected.
 */
import t from 'tap';
import { ApiError } from '../api-error.js';
import { FakeClock } from '../clock.js';
import { InMemoryClient } from './in-memory-client.js';
import { parseKubeTime } from './kube-time.js';
import type { LeaseObject } from './lease-object.js';
import { runLeaderElection, type LeaderElectionOptions } from './run-leader-election.js';

const LEASE = { namespace: 'kube-system', name: 'kube-scheduler' };

function candidate(client: InMemoryClient, clock: FakeClock, identity: string, extra: Partial<LeaderElectionOptions> = {}) {
  const stop = new AbortController();
  const state = { leading: false, started: 0, stopped: 0, leadingSignal: undefined as AbortSignal | undefined };
  const done = runLeaderElection({
    client,
    clock,
    lease: LEASE,
    identity,
    signal: stop.signal,
    onStartedLeading(signal) {
      state.leading = true;
      state.started++;
      state.leadingSignal = signal;
    },
    onStoppedLeading() {
      state.leading = false;
      state.stopped++;
    },
    ...extra,
  });
  return { state, stop: () => stop.abort(), done };
}

const lease = (client: InMemoryClient) => client.all<LeaseObject>('Lease')[0]!;

t.test('one candidate leads, the other takes over once the leader stops renewing', async (t) => {
  const client = new InMemoryClient();
  const clock = new FakeClock();
  const a = candidate(client, clock, 'a');
  await clock.advance(0);
  t.ok(a.state.leading, 'a leads');
  t.equal(lease(client).spec?.holderIdentity, 'a');
  t.equal(lease(client).spec?.leaseTransitions, 0);
  t.equal(lease(client).spec?.leaseDurationSeconds, 15);
  t.match(lease(client).spec?.renewTime, /^2026-01-01T00:00:00\.000000Z$/);

  const b = candidate(client, clock, 'b');
  await clock.advance(0);
  t.notOk(b.state.leading, 'b waits while a renews');

  await clock.advance(20_000);
  t.ok(a.state.leading, 'a still leads after 20 s of renewals');
  t.notOk(b.state.leading);
  t.equal(parseKubeTime(lease(client).spec?.renewTime), clock.now(), 'a renewed at the last retry period');

  // a stops renewing without releasing (a crashed process): b waits out the lease duration
  a.stop();
  await a.done;
  t.equal(a.state.stopped, 1, 'a was told it stopped leading');
  t.ok(a.state.leadingSignal?.aborted, "a's leading signal aborted");
  const stoppedAt = clock.now();
  await clock.advance(14_000);
  t.notOk(b.state.leading, 'b does not take over before the lease expires');
  await clock.advance(4_000);
  t.ok(b.state.leading, 'b leads once the lease expired');
  t.ok(clock.now() - stoppedAt > 15_000);
  const taken = lease(client).spec!;
  t.equal(taken.holderIdentity, 'b');
  t.equal(taken.leaseTransitions, 1);
  t.ok(parseKubeTime(taken.acquireTime)! > stoppedAt + 15_000, 'acquireTime is when b took over');

  b.stop();
  await b.done;
  t.equal(b.state.stopped, 1);
  t.equal(clock.pending, 0, 'no timers left behind');
});

t.test('a leader whose renewals fail for renewDeadline steps down', async (t) => {
  const client = new InMemoryClient();
  const clock = new FakeClock();
  const a = candidate(client, clock, 'a');
  await clock.advance(0);
  t.ok(a.state.leading);
  client.intercept = (call) => {
    if (call.verb === 'update') throw new ApiError({ code: 500, reason: 'InternalError', message: 'etcd is down' });
  };
  await clock.advance(8_000);
  t.ok(a.state.leading, 'still leading within the renew deadline');
  await clock.advance(2_000);
  t.notOk(a.state.leading, 'stepped down after 10 s without a renewal');
  t.ok(a.state.leadingSignal?.aborted);
  await a.done;
  t.equal(a.state.stopped, 1);
  a.stop();
});

t.test('a conflicting write fails the attempt and is retried', async (t) => {
  const client = new InMemoryClient();
  const clock = new FakeClock();
  const a = candidate(client, clock, 'a');
  await clock.advance(0);
  let conflicts = 0;
  client.intercept = (call) => {
    if (call.verb === 'update' && conflicts++ === 0) throw new ApiError({ code: 409, reason: 'Conflict', message: 'the object has been modified' });
  };
  await clock.advance(4_000);
  t.ok(a.state.leading);
  t.equal(parseKubeTime(lease(client).spec?.renewTime), clock.now(), 'the retry renewed the lease');
  a.stop();
  await a.done;
});

t.test('releaseOnCancel hands the lease over at once', async (t) => {
  const client = new InMemoryClient();
  const clock = new FakeClock();
  const seen: string[] = [];
  const a = candidate(client, clock, 'a', { releaseOnCancel: true });
  await clock.advance(0);
  const b = candidate(client, clock, 'b', { onNewLeader: (id) => seen.push(id) });
  await clock.advance(0);
  a.stop();
  await a.done;
  t.equal(lease(client).spec?.holderIdentity, '');
  await clock.advance(2_000);
  t.ok(b.state.leading, 'b leads at its next attempt');
  t.equal(lease(client).spec?.leaseTransitions, 1);
  t.same(seen, ['a', 'b']);
  b.stop();
  await b.done;
});

t.test('bad settings are rejected with a clear message', async (t) => {
  const client = new InMemoryClient();
  const clock = new FakeClock();
  const base = { client, clock, lease: LEASE, identity: 'a', signal: new AbortController().signal, onStartedLeading() {} };
  const cases: Array<[Partial<LeaderElectionOptions>, RegExp]> = [
    [{ leaseDurationMs: 5_000, renewDeadlineMs: 10_000 }, /leaseDurationMs \(5000\) must be greater than renewDeadlineMs/],
    [{ renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }, /renewDeadlineMs \(2000\) must be greater than retryPeriodMs/],
    [{ retryPeriodMs: -1 }, /retryPeriodMs must be a positive/],
    [{ identity: '' }, /identity must not be empty/],
    [{ lease: { namespace: '', name: 'x' } }, /lease needs a namespace and a name/],
  ];
  for (const [opts, message] of cases) await t.rejects(runLeaderElection({ ...base, ...opts }), { message });
});
