import t from 'tap';
import { BindTracker } from './bind-tracker.js';

const event = (type: string, name: string, nodeName?: string) => JSON.stringify({ type, object: { metadata: { name }, spec: nodeName ? { nodeName } : {} } });

t.test('latency runs from the 201 to the first event showing the pod bound, whichever came first', async (t) => {
  const tracker = new BindTracker(3);
  let done = false;
  void tracker.allBound.then(() => (done = true));

  tracker.onCreated('a', 10);
  tracker.onWatchLine(event('ADDED', 'a'), 11); // not bound yet
  tracker.onWatchLine(event('MODIFIED', 'a', 'n1'), 25); // a: 15 ms
  tracker.onWatchLine(event('MODIFIED', 'a', 'n1'), 40); // a later update: ignored
  tracker.onWatchLine(event('ADDED', 'b', 'n2'), 30); // bound before its 201 arrived
  tracker.onCreated('b', 32); // b: 0 ms, never negative
  tracker.onWatchLine(event('DELETED', 'c', 'n3'), 33); // deletions do not count
  t.equal(tracker.bound, 2);
  await Promise.resolve();
  t.notOk(done, 'not all bound yet');

  tracker.onCreated('c', 50);
  tracker.onWatchLine(event('MODIFIED', 'c', 'n3'), 150); // c: 100 ms
  await tracker.allBound;
  t.equal(tracker.lastBoundAt, 150);
  t.equal(tracker.created, 3);
  t.equal(tracker.latencies.count, 3);
  t.equal(tracker.latencies.percentile(50), 15);
  t.equal(tracker.latencies.percentile(99), 100);
  t.equal(tracker.latencies.percentile(0), 0);
});

t.test('zero pods are bound at once', async (t) => {
  await new BindTracker(0).allBound;
  t.pass();
});
