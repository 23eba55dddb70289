/**
 * The set-up every controller's reconcile tests repeat: a FakeClock, a FakeCluster seeded
 * with the test's objects, a SharedInformerFactory over it, an event recorder that keeps
 * what was recorded, the controller built by the test, then the informers started and
 * synced — and stopped when the test ends. Also `flush` (let informer handlers run) and
 * the recorded writes as one-line strings, the form the tables compare against.
 */
import { FakeClock } from '../../../client/clock.js';
import type { EventRecorder } from '../../../client/events/types.js';
import { SharedInformerFactory } from '../../../client/informers/index.js';
import type { KubeClient, KubeObject } from '../../../client/types.js';
import { FakeCluster, type RecordedWrite } from './fake-cluster.js';

/** what tap's Test offers that the harness needs */
export interface TeardownHost {
  teardown(fn: () => void): void;
}

export interface RecordedEvent {
  type: string;
  reason: string;
  message: string;
  kind: string | undefined;
}

export interface FakeControllerEnv {
  clock: FakeClock;
  fake: FakeCluster;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  /** each event as "type reason message" */
  events: string[];
  /** each event with the kind of the object it regards */
  recorded: RecordedEvent[];
  signal: AbortSignal;
  flush: () => Promise<void>;
  /** the writes so far as "verb Kind[/subresource] name" */
  writes: () => string[];
}

export interface FakeControllerOptions {
  /** the FakeClock's start, also the fake cluster's timestamps */
  now: number;
  objects?: readonly object[];
  /** wraps the client the informers list and watch through (e.g. a gated watch) */
  informerClient?: (client: KubeClient) => KubeClient;
  /** give the informers the FakeClock too */
  informerClock?: boolean;
}

/** let informer handlers and queued callbacks run: a few turns of the event loop */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** one recorded write as "verb Kind[/subresource] name" */
export const writeLine = (w: RecordedWrite): string => `${w.verb} ${w.kind}${w.subresource ? '/' + w.subresource : ''} ${w.name}`;

/**
 * Builds the fake cluster and informers, lets `build` make the controller (which asks
 * for its informers and registers handlers), then starts and syncs the informers.
 */
export async function startFakeController<C>(t: TeardownHost, opts: FakeControllerOptions, build: (env: FakeControllerEnv) => C): Promise<FakeControllerEnv & { controller: C }> {
  const clock = new FakeClock(opts.now);
  const fake = new FakeCluster();
  fake.now = () => clock.now();
  fake.seed(...((opts.objects ?? []) as KubeObject[]));
  const client = opts.informerClient ? opts.informerClient(fake.client) : fake.client;
  const informers = new SharedInformerFactory(client, opts.informerClock ? { clock } : {});
  const events: string[] = [];
  const recorded: RecordedEvent[] = [];
  const recorder: EventRecorder = {
    event: (obj, type, reason, message) => {
      events.push(`${type} ${reason} ${message}`);
      recorded.push({ type, reason, message, kind: obj.kind });
    },
  };
  const abort = new AbortController();
  t.teardown(() => abort.abort());
  const env: FakeControllerEnv = { clock, fake, informers, recorder, events, recorded, signal: abort.signal, flush: () => flush(), writes: () => fake.writes.map(writeLine) };
  const controller = build(env);
  informers.start(abort.signal);
  await informers.waitForCacheSync(abort.signal);
  return { ...env, controller };
}
