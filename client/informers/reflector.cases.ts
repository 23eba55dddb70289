import t from 'tap';
import { ApiError } from '../api-error.js';
import { FakeClock, flushMicrotasks } from '../clock.js';
import type { KubeObject } from '../types.js';
import { configMap, FakeListWatch } from './fake-list-watch.js';
import { Reflector, type ReflectorSink } from './reflector.js';

/** a sink that records what the reflector told it */
function recordingSink() {
  const log: string[] = [];
  const name = (o: KubeObject) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  const sink: ReflectorSink<KubeObject> = {
    replace: (items, rv) => log.push(`replace[${items.map(name).join(',')}]@${rv}`),
    added: (o) => log.push(`added ${name(o)}`),
    modified: (o) => log.push(`modified ${name(o)}`),
    deleted: (o) => log.push(`deleted ${name(o)}`),
  };
  return { log, sink };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await flushMicrotasks();
}

function start(fake: FakeListWatch, opts: { selection?: { namespace?: string; fieldSelector?: string } } = {}) {
  const clock = new FakeClock();
  const { log, sink } = recordingSink();
  const reflector = new Reflector({ source: fake, sink, clock, backoff: { initialMs: 800, maxMs: 30_000 }, ...opts });
  const controller = new AbortController();
  const done = reflector.run(controller.signal);
  const stop = async () => {
    controller.abort();
    await done;
  };
  return { clock, log, reflector, stop };
}

t.test('lists with the selectors, then watches from the list resourceVersion with bookmarks', async (t) => {
  const fake = new FakeListWatch();
  fake.create(configMap('a'));
  fake.create(configMap('b'));
  const r = start(fake, { selection: { namespace: 'default', fieldSelector: 'metadata.name=a' } });
  t.teardown(r.stop);
  await settle();
  t.same(r.log, ['replace[a@1,b@2]@2']);
  t.match(fake.listCalls[0], { namespace: 'default', fieldSelector: 'metadata.name=a' });
  t.match(fake.watchCalls[0], { namespace: 'default', fieldSelector: 'metadata.name=a', resourceVersion: '2', allowWatchBookmarks: true });

  const a = fake.update({ ...configMap('a'), data: { x: '1' } });
  fake.create(configMap('c'));
  fake.remove(a);
  await settle();
  t.same(r.log.slice(1), ['modified a@3', 'added c@4', 'deleted a@5']);
  t.equal(r.reflector.resourceVersion, '5');
});

t.test('a bookmark moves the resourceVersion only', async (t) => {
  const fake = new FakeListWatch();
  const r = start(fake);
  t.teardown(r.stop);
  await settle();
  const rv = fake.bookmark();
  await settle();
  t.equal(r.reflector.resourceVersion, rv);
  t.same(r.log, ['replace[]@0']);
  fake.endWatches();
  await r.clock.advance(800);
  await settle();
  t.equal(fake.watchCalls[1]?.resourceVersion, rv, 'resumes from the bookmark');
});

const resumeCases = [
  { name: 'network disconnect', cut: (f: FakeListWatch) => f.disconnect() },
  { name: 'watch ends normally', cut: (f: FakeListWatch) => f.endWatches() },
];
for (const c of resumeCases) {
  t.test(`${c.name}: resumes from the last resourceVersion after the backoff, no relist, nothing lost`, async (t) => {
    const fake = new FakeListWatch();
    fake.create(configMap('a'));
    const r = start(fake);
    t.teardown(r.stop);
    await settle();
    fake.create(configMap('b')); // rv 2, seen
    await settle();
    c.cut(fake);
    await settle();
    t.equal(fake.openWatches, 0);
    fake.create(configMap('c')); // rv 3, happens while disconnected
    await r.clock.advance(799);
    t.equal(fake.watchCalls.length, 1, 'waits for the backoff');
    await r.clock.advance(1);
    await settle();
    t.equal(fake.watchCalls.length, 2);
    t.equal(fake.watchCalls[1]!.resourceVersion, '2');
    t.equal(fake.listCalls.length, 1, 'no relist');
    t.same(r.log, ['replace[a@1]@1', 'added b@2', 'added c@3']);
  });
}

t.test('backoff doubles while watches keep failing without events, and resets after a healthy one', async (t) => {
  const fake = new FakeListWatch();
  const r = start(fake);
  t.teardown(r.stop);
  await settle();
  const pauses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const before = r.clock.now();
    const calls = fake.watchCalls.length;
    fake.disconnect();
    await settle();
    while (fake.watchCalls.length === calls) await r.clock.advance(100);
    pauses.push(r.clock.now() - before);
  }
  t.same(pauses, [800, 1600, 3200, 6400]);
  fake.create(configMap('x')); // the current watch delivers an event: healthy
  await settle();
  const before = r.clock.now();
  fake.disconnect();
  await settle();
  while (fake.watchCalls.length === 5) await r.clock.advance(100);
  t.equal(r.clock.now() - before, 800, 'back to the first step');
});

const goneCases = [
  { name: 'watch throws ApiError 410', goneAs: 'throw' as const },
  { name: 'watch sends an ERROR event with Status 410', goneAs: 'event' as const },
];
for (const c of goneCases) {
  t.test(`${c.name}: lists again at once, and the replace carries what changed`, async (t) => {
    const fake = new FakeListWatch();
    fake.goneAs = c.goneAs;
    const a = fake.create(configMap('a'));
    fake.create(configMap('b'));
    const r = start(fake);
    t.teardown(r.stop);
    await settle();
    fake.disconnect();
    // while away: a deleted, c created, history compacted
    fake.remove(a);
    fake.create(configMap('c'));
    fake.compact();
    await r.clock.advance(800);
    await settle();
    t.equal(fake.listCalls.length, 2, 'relisted');
    t.equal(fake.watchCalls.length, 3, 'watched again after the relist');
    t.equal(fake.watchCalls[2]!.resourceVersion, '4', 'from the new list');
    t.same(r.log, ['replace[a@1,b@2]@2', 'replace[b@2,c@4]@4']);
  });
}

t.test('a list that fails is retried with backoff', async (t) => {
  const fake = new FakeListWatch();
  fake.failNextList = new ApiError({ code: 500, reason: 'InternalError', message: 'boom' });
  const r = start(fake);
  t.teardown(r.stop);
  await settle();
  t.equal(fake.listCalls.length, 1);
  t.same(r.log, []);
  await r.clock.advance(800);
  await settle();
  t.equal(fake.listCalls.length, 2);
  t.same(r.log, ['replace[]@0']);
});

t.test('another watch error relists after the backoff', async (t) => {
  const fake = new FakeListWatch();
  const r = start(fake);
  t.teardown(r.stop);
  await settle();
  fake.sendError(500, 'InternalError');
  await settle();
  t.equal(fake.listCalls.length, 1);
  await r.clock.advance(800);
  await settle();
  t.equal(fake.listCalls.length, 2);
});

t.test('aborting stops the reflector and closes its watch', async (t) => {
  const fake = new FakeListWatch();
  const r = start(fake);
  await settle();
  t.equal(fake.openWatches, 1);
  await r.stop();
  t.equal(fake.openWatches, 0);
  t.equal(r.clock.pending, 0, 'no timers left');
});
