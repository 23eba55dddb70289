/**
 * The shape every controller here shares (client-go's controller skeleton): an injected
 * clock and logger with quiet defaults, an optional event recorder, and — for the
 * queue-driven ones — a rate-limited work queue of object keys, drained by N workers
 * once the informer caches have synced. Kept in one place so the controllers only say
 * what differs: which informers they wait for, how many workers, and reconcile(key).
 *
 *   InformerController  clock, logger, recorder, cachesSynced(signal, informers, message),
 *                       everyPeriod(signal, periodMs, pass) for the polling ones
 *   QueueController     + queue, workers, runWorkers(signal), runAfterSync(signal, informers, message)
 */
import type { Logger } from 'pino';
import { pino } from 'pino';
import { realClock, type Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type SharedInformer, type SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import {
  RateLimitingQueue,
  runWorkers,
  type RateLimitingQueueOptions,
  type ReconcileResult,
} from '../../client/workqueue/index.js';

/** anything with a cache to wait for (a SharedInformer) */
export interface SyncWaiter {
  waitForSync(signal: AbortSignal): Promise<boolean>;
}

/**
 * What a controller's constructor takes from the controller manager (see
 * context-options.ts); a controller's own options interface extends it, narrowing
 * `recorder` to required when it must emit events.
 */
export interface ControllerOptions<S = never> {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock?: Clock;
  logger?: Logger;
  recorder?: EventRecorder;
  settings?: S;
}

/**
 * The options the base classes read. A controller that must emit events asks for
 * `EventRecorder` (its options then require one); one that may, for `EventRecorder | undefined`.
 */
export type BaseControllerOptions<R extends EventRecorder | undefined> = {
  clock?: Clock;
  logger?: Logger;
} & (undefined extends R ? { recorder?: R } : { recorder: R });

/** clock, logger and recorder, with the defaults: the real clock, a silent logger */
export abstract class InformerController<R extends EventRecorder | undefined = EventRecorder | undefined> {
  protected readonly clock: Clock;
  protected readonly logger: Logger;
  protected readonly recorder: R;

  protected constructor(opts: BaseControllerOptions<R>) {
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger ?? pino({ level: 'silent' });
    this.recorder = opts.recorder as R;
  }

  /**
   * Wait until every informer has synced; false when the signal aborted first (the
   * controller then stops without working). Logs `message` once synced, when given.
   */
  protected async cachesSynced(signal: AbortSignal, informers: readonly SyncWaiter[], message?: string): Promise<boolean> {
    const synced = await Promise.all(informers.map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return false;
    if (message !== undefined) this.logger.info(message);
    return true;
  }

  /**
   * Run `pass` now and then every `periodMs` by the clock until the signal aborts. A pass
   * that fails is logged (as `failure`) and the next one retries: the process must not die of it.
   */
  protected async everyPeriod(signal: AbortSignal, periodMs: number, pass: () => Promise<void>, failure: string): Promise<void> {
    while (!signal.aborted) {
      try {
        await pass();
      } catch (err) {
        this.logger.error({ err }, failure);
      }
      try {
        await this.clock.sleep(periodMs, signal);
      } catch {
        return; // aborted
      }
    }
  }
}

/** a controller driven by one work queue of keys: reconcile(key) is its whole job */
export abstract class QueueController<R extends EventRecorder | undefined = EventRecorder | undefined> extends InformerController<R> {
  readonly queue: RateLimitingQueue<string>;
  protected readonly workers: number;

  /** `queueOptions`: a controller's own rate limiter (the clock is always the controller's) */
  protected constructor(opts: BaseControllerOptions<R>, workers: number, queueOptions: Omit<RateLimitingQueueOptions<string>, 'clock'> = {}) {
    super(opts);
    this.workers = workers;
    this.queue = new RateLimitingQueue<string>({ ...queueOptions, clock: this.clock });
  }

  /** queue an object by its cache key ("namespace/name") */
  protected enqueue(obj: KubeObject): void {
    this.queue.add(objectKey(obj));
  }

  /** queue an informer's objects on every add, update and delete (level-based: reconcile reads the cache) */
  protected enqueueOnEveryChange<T extends KubeObject>(informer: Pick<SharedInformer<T>, 'addEventHandler'>): void {
    informer.addEventHandler({ onAdd: (obj) => this.enqueue(obj), onUpdate: (_old, obj) => this.enqueue(obj), onDelete: (obj) => this.enqueue(obj) });
  }

  /** sync one object by its key; throw to retry it with backoff */
  abstract reconcile(key: string): Promise<ReconcileResult>;

  /** drain the queue with `workers` workers until the signal aborts */
  protected runWorkers(signal: AbortSignal, reconcile: (key: string) => Promise<ReconcileResult> = (key) => this.reconcile(key)): Promise<void> {
    return runWorkers(this.queue, reconcile, { workers: this.workers, logger: this.logger, signal });
  }

  /** the usual run(): wait for the caches, then work until the signal aborts */
  protected async runAfterSync(signal: AbortSignal, informers: readonly SyncWaiter[], message?: string): Promise<void> {
    if (await this.cachesSynced(signal, informers, message)) await this.runWorkers(signal);
  }
}
