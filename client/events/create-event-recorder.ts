/**
 * createEventRecorder: the EventRecorder every component uses (kubelet, scheduler,
 * controllers). `event()` returns at once: it builds the Event, asks the correlator
 * whether it repeats a recent one, and queues the write — a CREATE, or for a repeat a
 * merge PATCH of count and lastTimestamp. Writes run in the background in order; failures
 * are logged, never thrown to the caller. A PATCH whose Event has vanished (deleted, or
 * its CREATE failed) falls back to creating it, as client-go's recorder does.
 *
 * flush() waits for the queued writes (tests, graceful shutdown); stop() drops the rest.
 */
import type { Logger } from 'pino';
import { isNotFound } from '../api-error.js';
import type { Clock } from '../clock.js';
import type { KubeClient, KubeObject } from '../types.js';
import { AGGREGATION_WINDOW_MS, EventCorrelator } from './event-correlator.js';
import { aggregationKey, makeEvent, objectReference, type CoreEvent } from './make-event.js';
import { OrderedWriteQueue } from './ordered-write-queue.js';
import type { EventRecorder, EventSource, EventType } from './types.js';

export type EventRecorderLogger = Pick<Logger, 'debug' | 'warn' | 'error'>;

export interface EventRecorderOptions {
  client: KubeClient;
  source: EventSource;
  clock: Clock;
  logger: EventRecorderLogger;
  /** writes waiting beyond this are dropped (default 1000) */
  maxQueued?: number;
  /** repeats within this window are aggregated (default 10 minutes) */
  aggregationWindowMs?: number;
}

export interface RunningEventRecorder extends EventRecorder {
  /** resolves once every event recorded so far has been written (or has failed) */
  flush(): Promise<void>;
  /** drop queued writes and ignore further events */
  stop(): void;
}

export const DEFAULT_MAX_QUEUED_EVENTS = 1000;
const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(['Normal', 'Warning']);

export function createEventRecorder(opts: EventRecorderOptions): RunningEventRecorder {
  if (!opts.source?.component) throw new Error('event recorder: source.component must not be empty');
  const { client, source, clock, logger } = opts;
  const events = client.resource<CoreEvent>('v1', 'Event');
  const correlator = new EventCorrelator(opts.aggregationWindowMs ?? AGGREGATION_WINDOW_MS);
  const queue = new OrderedWriteQueue(opts.maxQueued ?? DEFAULT_MAX_QUEUED_EVENTS, logger);
  let lastNanos = 0n;
  let stopped = false;

  /** nanoseconds for the name suffix, strictly increasing even within one millisecond */
  const uniqueNanos = (now: number): bigint => {
    const nanos = BigInt(now) * 1_000_000n;
    lastNanos = nanos > lastNanos ? nanos : lastNanos + 1n;
    return lastNanos;
  };

  const create = (event: CoreEvent) => async () => {
    await events.create(event);
  };

  const patchOrCreate = (event: CoreEvent) => async () => {
    const patch = { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message };
    try {
      await events.patch(event.metadata.name, 'merge', patch, { namespace: event.metadata.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await events.create(event);
    }
  };

  return {
    event(regarding: KubeObject, type: EventType, reason: string, message: string, eventOpts?: { fieldPath?: string }): void {
      if (stopped) return;
      try {
        const ref = objectReference(regarding, eventOpts?.fieldPath);
        if (typeof ref === 'string') {
          logger.error({ reason, message }, `cannot record an event: ${ref}`);
          return;
        }
        if (!EVENT_TYPES.has(type)) {
          logger.error({ type, reason, object: ref.name }, `cannot record an event of type "${type}": must be Normal or Warning`);
          return;
        }
        const now = clock.now();
        const key = aggregationKey(ref, type, reason, message, source);
        const repeat = correlator.repeat(key, now);
        if (repeat) {
          const event = makeEvent({ ref, type, reason, message, source, nameNanos: 0n, count: repeat.count, firstMs: repeat.first, lastMs: now });
          event.metadata = { name: repeat.name, namespace: repeat.namespace };
          queue.push(`patch event ${repeat.namespace}/${repeat.name}`, patchOrCreate(event));
          return;
        }
        const event = makeEvent({ ref, type, reason, message, source, nameNanos: uniqueNanos(now), count: 1, firstMs: now, lastMs: now });
        correlator.remember(key, { name: event.metadata.name, namespace: event.metadata.namespace, count: 1, first: now, last: now });
        queue.push(`create event ${event.metadata.namespace}/${event.metadata.name}`, create(event));
      } catch (err) {
        // recording must never fail the caller, whatever it passed in
        logger.error({ err, reason }, 'cannot record an event');
      }
    },
    flush: () => queue.flush(),
    stop() {
      stopped = true;
      queue.stop();
    },
  };
}
