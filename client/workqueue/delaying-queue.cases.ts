import t from 'tap';
import { FakeClock } from '../clock.js';
import { DelayingQueue } from './delaying-queue.js';

async function drain(q: DelayingQueue): Promise<string[]> {
  const out: string[] = [];
  while (q.len() > 0) {
    const n = await q.get();
    if (n.shutdown) break;
    out.push(n.item);
    q.done(n.item);
  }
  return out;
}

t.test('items become ready in order of their delay', async (t) => {
  const clock = new FakeClock();
  const q = new DelayingQueue({ clock });
  q.addAfter('slow', 300);
  q.addAfter('fast', 100);
  q.addAfter('now', 0);
  t.same(await drain(q), ['now']);
  clock.step(99);
  t.same(await drain(q), []);
  clock.step(1);
  t.same(await drain(q), ['fast']);
  clock.step(200);
  t.same(await drain(q), ['slow']);
  t.equal(q.waitingLen(), 0);
});

const earliestWins = [
  { name: 'shorter second delay wins', delays: [500, 100], readyAt: 100 },
  { name: 'longer second delay is ignored', delays: [100, 500], readyAt: 100 },
  { name: 'equal delays queue once', delays: [200, 200], readyAt: 200 },
];
for (const c of earliestWins) {
  t.test(`earliest wins: ${c.name}`, async (t) => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    for (const d of c.delays) q.addAfter('k', d);
    clock.step(c.readyAt - 1);
    t.equal(q.len(), 0);
    clock.step(1);
    t.equal(q.len(), 1);
    clock.step(1000);
    t.same(await drain(q), ['k'], 'queued exactly once');
  });
}

t.test('shutDown cancels pending timers', async (t) => {
  const clock = new FakeClock();
  const q = new DelayingQueue({ clock });
  q.addAfter('k', 100);
  t.equal(clock.pending, 1);
  q.shutDown();
  t.equal(clock.pending, 0);
  q.addAfter('k', 100);
  t.equal(clock.pending, 0, 'addAfter after shutdown is ignored');
});
