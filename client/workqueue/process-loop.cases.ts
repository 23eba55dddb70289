import t from 'tap';
import { FakeClock, flushMicrotasks } from '../clock.js';
import { runWorkers, type ReconcileResult } from './process-loop.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiters.js';
import { RateLimitingQueue } from './rate-limiting-queue.js';
import { TerminalError } from './terminal-error.js';

type Outcome = 'ok' | 'throw' | 'terminal' | 'requeue';

function setup(outcomes: Record<string, Outcome[]>, workers = 1) {
  const clock = new FakeClock();
  const queue = new RateLimitingQueue({ clock, rateLimiter: new ItemExponentialFailureRateLimiter({ baseDelayMs: 100 }) });
  const calls: string[] = [];
  const controller = new AbortController();
  const done = runWorkers(
    queue,
    async (key): Promise<ReconcileResult> => {
      calls.push(key);
      const outcome = outcomes[key]?.shift() ?? 'ok';
      if (outcome === 'throw') throw new Error('transient');
      if (outcome === 'terminal') throw new TerminalError('bad spec');
      if (outcome === 'requeue') return { requeueAfter: 1000 };
      return undefined;
    },
    { workers, signal: controller.signal },
  );
  return { clock, queue, calls, controller, done };
}

const cases: Array<{ name: string; outcomes: Outcome[]; advanceMs: number; wantCalls: number; wantRequeues: number }> = [
  { name: 'success: processed once, backoff reset', outcomes: ['ok'], advanceMs: 10_000, wantCalls: 1, wantRequeues: 0 },
  { name: 'throw: retried with backoff until success', outcomes: ['throw', 'throw', 'ok'], advanceMs: 300, wantCalls: 3, wantRequeues: 0 },
  { name: 'throw: not retried before its backoff', outcomes: ['throw', 'throw', 'ok'], advanceMs: 299, wantCalls: 2, wantRequeues: 2 },
  { name: 'TerminalError: dropped', outcomes: ['terminal'], advanceMs: 10_000, wantCalls: 1, wantRequeues: 0 },
  { name: 'requeueAfter: processed again after the delay', outcomes: ['requeue', 'ok'], advanceMs: 1000, wantCalls: 2, wantRequeues: 0 },
  { name: 'requeueAfter: not before', outcomes: ['requeue', 'ok'], advanceMs: 999, wantCalls: 1, wantRequeues: 0 },
];
for (const c of cases) {
  t.test(c.name, async (t) => {
    const s = setup({ k: [...c.outcomes] });
    s.queue.add('k');
    await s.clock.advance(c.advanceMs);
    t.equal(s.calls.length, c.wantCalls);
    t.equal(s.queue.numRequeues('k'), c.wantRequeues);
    s.controller.abort();
    await s.done;
  });
}

t.test('abort stops the workers after in-flight work; queued keys are left', async (t) => {
  const clock = new FakeClock();
  const queue = new RateLimitingQueue<string>({ clock });
  const controller = new AbortController();
  let release!: () => void;
  const started: string[] = [];
  const done = runWorkers(
    queue,
    async (key) => {
      started.push(key);
      await new Promise<void>((r) => (release = r));
    },
    { workers: 1, signal: controller.signal },
  );
  queue.add('a');
  queue.add('b');
  await flushMicrotasks();
  t.same(started, ['a']);
  controller.abort();
  release();
  await done;
  t.same(started, ['a'], 'b not started after abort');
});

t.test('bad worker count is refused', async (t) => {
  const queue = new RateLimitingQueue<string>({ clock: new FakeClock() });
  await t.rejects(runWorkers(queue, () => undefined, { workers: 0, signal: new AbortController().signal }), /positive integer/);
});
