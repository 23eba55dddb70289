/**
 * The event recorder against the in-memory client with a FakeClock: the Event's fields,
 * aggregation of repeats (count, lastTimestamp) within the window, separate Events for
 * different messages or after the window, fallback to create when a patched Event is
 * gone, failures logged not thrown, the bounded queue, and bad input.
 */
import t from 'tap';
import { ApiError } from '../api-error.js';
import { FakeClock } from '../clock.js';
import { InMemoryClient } from '../leaderelection/in-memory-client.js';
import { createEventRecorder } from './create-event-recorder.js';
import type { CoreEvent } from './make-event.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u1', resourceVersion: '7' } };
const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'u2' } };

function recorder(extra: { maxQueued?: number } = {}) {
  const client = new InMemoryClient();
  const clock = new FakeClock();
  const logs: Array<{ level: string; msg: string }> = [];
  const logger = {
    debug: (_o: unknown, msg: string) => logs.push({ level: 'debug', msg }),
    warn: (_o: unknown, msg: string) => logs.push({ level: 'warn', msg }),
    error: (_o: unknown, msg: string) => logs.push({ level: 'error', msg }),
  };
  const rec = createEventRecorder({ client, clock, logger: logger as never, source: { component: 'kubelet', host: 'n1' }, ...extra });
  return { client, clock, logs, rec, events: () => client.all<CoreEvent>('Event') };
}

t.test('an event carries the involved object, source and timestamps', async (t) => {
  const { rec, events } = recorder();
  rec.event(pod, 'Normal', 'Pulled', 'Successfully pulled image "nginx"', { fieldPath: 'spec.containers{web}' });
  rec.event(node, 'Warning', 'Rebooted', 'Node n1 has been rebooted');
  await rec.flush();
  const [e1, e2] = events();
  t.match(e1, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: /^web\.[0-9a-f]+$/, namespace: 'shop' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'shop', uid: 'u1', resourceVersion: '7', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled',
    message: 'Successfully pulled image "nginx"',
    type: 'Normal',
    source: { component: 'kubelet', host: 'n1' },
    reportingComponent: 'kubelet',
    reportingInstance: 'n1',
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    count: 1,
  });
  t.equal(e1!.metadata.name, `web.${(BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n).toString(16)}`, 'name suffix is the time in hex nanoseconds');
  t.equal(e2!.metadata.namespace, 'default', 'a cluster-scoped object gets its events in default');
  t.notOk(e2!.involvedObject.namespace);
  rec.stop();
});

t.test('aggregation: repeats patch one Event; different messages and old repeats are new Events', async (t) => {
  const { rec, clock, events, client } = recorder();
  const cases: Array<{ afterMs: number; message: string; expect: { events: number; count?: number } }> = [
    { afterMs: 0, message: 'Back-off pulling image', expect: { events: 1, count: 1 } },
    { afterMs: 30_000, message: 'Back-off pulling image', expect: { events: 1, count: 2 } },
    { afterMs: 60_000, message: 'Back-off pulling image', expect: { events: 1, count: 3 } },
    { afterMs: 1_000, message: 'Error: ImagePullBackOff', expect: { events: 2 } },
    { afterMs: 11 * 60_000, message: 'Back-off pulling image', expect: { events: 3, count: 1 } },
  ];
  for (const c of cases) {
    clock.step(c.afterMs);
    rec.event(pod, 'Warning', 'BackOff', c.message);
    await rec.flush();
    t.equal(events().length, c.expect.events, `after "${c.message}" +${c.afterMs}ms`);
  }
  const [first, second, third] = events();
  t.equal(first!.count, 3);
  t.equal(first!.firstTimestamp, '2026-01-01T00:00:00Z');
  t.equal(first!.lastTimestamp, '2026-01-01T00:01:30Z', 'lastTimestamp is the latest repeat');
  t.equal(second!.message, 'Error: ImagePullBackOff');
  t.equal(third!.count, 1);
  t.equal(client.calls.filter((c) => c.verb === 'patch').length, 2, 'repeats were patches');
  t.not(first!.metadata.name, third!.metadata.name);
  rec.stop();
});

t.test('events in the same millisecond get distinct names; a vanished Event is re-created', async (t) => {
  const { rec, client, events } = recorder();
  rec.event(pod, 'Normal', 'Created', 'Created container a');
  rec.event(pod, 'Normal', 'Created', 'Created container b');
  await rec.flush();
  const names = events().map((e) => e.metadata.name);
  t.equal(new Set(names).size, 2);
  client.objects.clear();
  rec.event(pod, 'Normal', 'Created', 'Created container a');
  await rec.flush();
  t.match(events(), [{ metadata: { name: names[0] }, count: 2 }], 'the patch fell back to create, keeping the aggregated count');
  rec.stop();
});

t.test('failures are logged, never thrown; later events still go out', async (t) => {
  const { rec, client, events, logs } = recorder();
  client.intercept = (call) => {
    if (call.verb === 'create' && (call.body as CoreEvent).message === 'boom') throw new ApiError({ code: 500, reason: 'InternalError', message: 'nope' });
  };
  rec.event(pod, 'Normal', 'X', 'boom');
  rec.event(pod, 'Normal', 'X', 'fine');
  await rec.flush();
  t.same(events().map((e) => e.message), ['fine']);
  t.match(logs, [{ level: 'error', msg: 'could not write event' }]);
  rec.stop();
});

t.test('a full queue drops events and says so', async (t) => {
  const { rec, events, logs } = recorder({ maxQueued: 2 });
  for (let i = 0; i < 5; i++) rec.event(pod, 'Normal', 'X', `m${i}`);
  await rec.flush();
  // the first write starts at once, two wait, two are dropped
  t.same(events().map((e) => e.message), ['m0', 'm1', 'm2']);
  t.equal(logs.filter((l) => l.msg.includes('queue is full')).length, 2);
  rec.stop();
  rec.event(pod, 'Normal', 'X', 'after stop');
  await rec.flush();
  t.equal(events().length, 3, 'nothing is recorded after stop()');
});

t.test('bad input is logged and dropped', async (t) => {
  const { rec, events, logs } = recorder();
  rec.event({ kind: 'Pod', metadata: {} }, 'Normal', 'X', 'no name');
  rec.event({ metadata: { name: 'x' } }, 'Normal', 'X', 'no kind');
  rec.event(pod, 'Info' as never, 'X', 'bad type');
  rec.event(null as never, 'Normal', 'X', 'null object');
  await rec.flush();
  t.equal(events().length, 0);
  t.equal(logs.filter((l) => l.level === 'error').length, 4);
  t.throws(() => createEventRecorder({ client: new InMemoryClient(), clock: new FakeClock(), logger: logs as never, source: { component: '' } }), /source.component must not be empty/);
  rec.stop();
});
