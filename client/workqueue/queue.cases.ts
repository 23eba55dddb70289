import t from 'tap';
import { WorkQueue } from './queue.js';

t.test('add dedups keys that are already queued', async (t) => {
  const q = new WorkQueue();
  for (const k of ['a', 'b', 'a', 'c', 'b', 'a']) q.add(k);
  t.equal(q.len(), 3);
  const got: string[] = [];
  for (let i = 0; i < 3; i++) {
    const next = await q.get();
    if (!next.shutdown) got.push(next.item);
  }
  t.same(got, ['a', 'b', 'c'], 'FIFO order of first adds');
});

t.test('a key re-added while processing is queued again only after done()', async (t) => {
  const q = new WorkQueue();
  q.add('a');
  const first = await q.get();
  t.same(first, { item: 'a', shutdown: false });
  q.add('a');
  q.add('a');
  t.equal(q.len(), 0, 'not queued while a worker holds it');
  let second: string | undefined;
  void q.get().then((n) => (second = n.item));
  await new Promise((r) => setImmediate(r));
  t.equal(second, undefined, 'a second getter does not receive the key being processed');
  q.done('a');
  await new Promise((r) => setImmediate(r));
  t.equal(second, 'a', 'handed out again after done, once');
  q.done('a');
  t.equal(q.len(), 0);
});

t.test('two workers never process the same key at once', async (t) => {
  const q = new WorkQueue();
  const active = new Set<string>();
  let overlaps = 0;
  const processed: string[] = [];
  const worker = async () => {
    for (;;) {
      const next = await q.get();
      if (next.shutdown) return;
      if (active.has(next.item)) overlaps++;
      active.add(next.item);
      await new Promise((r) => setImmediate(r));
      processed.push(next.item);
      active.delete(next.item);
      q.done(next.item);
    }
  };
  const workers = [worker(), worker()];
  q.add('x');
  await new Promise((r) => setImmediate(r));
  q.add('x'); // arrives while a worker holds x
  q.add('y');
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  await q.shutDownWithDrain();
  q.shutDown();
  await Promise.all(workers);
  t.equal(overlaps, 0);
  t.same(processed.filter((k) => k === 'x').length, 2, 'x processed again after its first run');
  t.ok(processed.includes('y'));
});

t.test('shutDown wakes every waiting getter; queued items are still handed out first', async (t) => {
  const q = new WorkQueue();
  const waiting = [q.get(), q.get()];
  q.shutDown();
  t.same(await Promise.all(waiting), [{ shutdown: true }, { shutdown: true }]);
  t.ok(q.shuttingDown());
  q.add('late');
  t.equal(q.len(), 0, 'adds after shutdown are ignored');

  const q2 = new WorkQueue();
  q2.add('a');
  q2.shutDown();
  t.same(await q2.get(), { item: 'a', shutdown: false });
  t.same(await q2.get(), { shutdown: true });
});

t.test('shutDownWithDrain waits for in-flight items', async (t) => {
  const q = new WorkQueue();
  q.add('a');
  q.add('b');
  await q.get();
  await q.get();
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  await new Promise((r) => setImmediate(r));
  t.equal(drained, false);
  q.done('a');
  await new Promise((r) => setImmediate(r));
  t.equal(drained, false, 'b still in flight');
  q.done('b');
  await drain;
  t.equal(drained, true);
  await q.shutDownWithDrain(); // nothing in flight: resolves at once
});
