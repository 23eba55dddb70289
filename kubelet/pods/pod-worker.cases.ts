import { pino } from 'pino';
import t from 'tap';
import { FakeClock } from '../../client/clock.js';
import { PodWorker } from './pod-worker.js';
import type { SyncResult } from './sync-context.js';

const logger = pino({ level: 'silent' });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

t.test('requests during a sync coalesce into one more sync; syncs never overlap', async (t) => {
  const clock = new FakeClock();
  let running = 0;
  let maxRunning = 0;
  let syncs = 0;
  const gates = [deferred(), deferred()];
  const worker = new PodWorker({
    clock,
    errorRetryDelayMs: 100,
    logger,
    onDone: () => {},
    sync: async (): Promise<SyncResult> => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await gates[syncs++]?.promise;
      running--;
      return {};
    },
  });
  worker.requestSync();
  worker.requestSync();
  worker.requestSync();
  worker.requestSync();
  gates[0]!.resolve();
  gates[1]!.resolve();
  await worker.idle();
  t.equal(syncs, 2);
  t.equal(maxRunning, 1);
  await worker.stop();
});

t.test('a throwing sync is retried after the error delay; resyncAt keeps only the earliest time', async (t) => {
  const clock = new FakeClock();
  const results: Array<SyncResult | Error> = [new Error('boom'), { resyncAtMs: clock.now() + 500 }, {}];
  let syncs = 0;
  const worker = new PodWorker({
    clock,
    errorRetryDelayMs: 100,
    logger,
    onDone: () => {},
    sync: async () => {
      const r = results[syncs++] ?? {};
      if (r instanceof Error) throw r;
      return r;
    },
  });
  worker.requestSync();
  await worker.idle();
  t.equal(syncs, 1);
  await clock.advance(99);
  t.equal(syncs, 1);
  await clock.advance(1);
  await worker.idle();
  t.equal(syncs, 2, 'retried after the error delay');
  worker.resyncAt(clock.now() + 10_000);
  await clock.advance(500);
  await worker.idle();
  t.equal(syncs, 3, 'the earlier resync won');
  await clock.advance(10_000);
  t.equal(syncs, 3, 'the later one was dropped');
  await worker.stop();
});

t.test('done: the worker stops and says so', async (t) => {
  const clock = new FakeClock();
  let done = 0;
  const worker = new PodWorker({ clock, errorRetryDelayMs: 1, logger, onDone: () => done++, sync: async () => ({ done: true }) });
  worker.requestSync();
  await worker.idle();
  worker.requestSync();
  await worker.idle();
  t.equal(done, 1);
});
