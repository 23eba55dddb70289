/**
 * A SharedInformer (client-go's shared_informer.go): ONE reflector and ONE cache for a
 * kind (and selectors), however many handlers are interested — so ten controllers that
 * watch Pods cost the API server one watch.
 *
 *   - run(signal) starts the reflector; it ends when the signal aborts.
 *   - addEventHandler(h): h gets every add/update/delete from then on; if the cache has
 *     already synced, h first gets a synthetic onAdd for each cached object, so late
 *     handlers see the same world as early ones.
 *   - hasSynced(): true once the first list is in the cache. Controllers wait for it
 *     before reconciling, or they would act on a partial world.
 *   - resyncPeriodMs > 0: every period, onUpdate(obj, obj) for every cached object — a
 *     safety net that makes level-based controllers look again at everything.
 *   - lister(): read the cache (never change what it returns).
 *
 * The cache is updated before handlers are told, so a handler that enqueues a key and a
 * worker that reads it back always find the state the event described (or newer).
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import type { KubeObject } from '../types.js';
import { silentLogger } from '../workqueue/silent-logger.js';
import type { HandlerRegistration, ResourceEventHandler } from './event-handler.js';
import { Indexer, type Indexers } from './indexer.js';
import { type Lister, listerFor } from './lister.js';
import { objectKey } from './object-key.js';
import { Reflector, type ListWatch, type ReflectorBackoff, type ReflectorSelection, type ReflectorSink } from './reflector.js';
import { type Delta, replaceDeltas } from './replace-deltas.js';

export interface SharedInformerOptions<T extends KubeObject> {
  source: ListWatch<T>;
  selection?: ReflectorSelection;
  clock?: Clock;
  /** re-deliver every cached object as an update this often; 0 (default) = never */
  resyncPeriodMs?: number;
  backoff?: ReflectorBackoff;
  pageSize?: number;
  indexers?: Indexers<T>;
  logger?: Logger;
  /** for log lines, e.g. "v1/Pod" */
  description?: string;
}

export class SharedInformer<T extends KubeObject = KubeObject> {
  private readonly cache: Indexer<T>;
  private readonly reflector: Reflector<T>;
  private readonly handlers = new Set<ResourceEventHandler<T>>();
  private readonly clock: Clock;
  private readonly resyncPeriodMs: number;
  private readonly logger: Logger;
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private running: Promise<void> | undefined;

  constructor(opts: SharedInformerOptions<T>) {
    this.cache = new Indexer<T>(opts.indexers);
    this.clock = opts.clock ?? realClock;
    this.resyncPeriodMs = opts.resyncPeriodMs ?? 0;
    if (!(this.resyncPeriodMs >= 0)) throw new Error(`resyncPeriodMs must be >= 0, got ${opts.resyncPeriodMs}`);
    this.logger = (opts.logger ?? silentLogger).child({ informer: opts.description ?? 'informer' });
    this.reflector = new Reflector<T>({
      source: opts.source,
      sink: this.sink(),
      ...(opts.selection ? { selection: opts.selection } : {}),
      clock: this.clock,
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
      logger: opts.logger ?? silentLogger,
      ...(opts.description ? { description: opts.description } : {}),
    });
  }

  addEventHandler(handler: ResourceEventHandler<T>): HandlerRegistration {
    this.handlers.add(handler);
    if (this.synced) {
      for (const obj of this.cache.list()) this.call(handler, 'onAdd', () => handler.onAdd?.(obj));
    }
    return { remove: () => void this.handlers.delete(handler) };
  }

  /** add indexes to the cache (objects already cached are indexed at once) */
  addIndexers(indexers: Indexers<T>): void {
    this.cache.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** resolves true once synced, or false if the signal aborts first */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  lister(): Lister<T> {
    return listerFor(this.cache);
  }

  /** the resourceVersion the cache reflects */
  lastSyncResourceVersion(): string {
    return this.reflector.resourceVersion;
  }

  /** start list+watch (once; later calls return the same promise); resolves after the signal aborts */
  run(signal: AbortSignal): Promise<void> {
    this.running ??= this.runUntil(signal);
    return this.running;
  }

  isRunning(): boolean {
    return this.running !== undefined;
  }

  private async runUntil(signal: AbortSignal): Promise<void> {
    let cancelResync = () => {};
    if (this.resyncPeriodMs > 0) {
      const schedule = () => {
        cancelResync = this.clock.setTimer(this.resyncPeriodMs, () => {
          if (signal.aborted) return;
          this.resync();
          schedule();
        });
      };
      schedule();
    }
    try {
      await this.reflector.run(signal);
    } finally {
      cancelResync();
    }
  }

  private resync(): void {
    if (!this.synced) return;
    for (const obj of this.cache.list()) this.notify({ type: 'update', old: obj, obj });
  }

  private sink(): ReflectorSink<T> {
    const upsert = (obj: T) => {
      const old = this.cache.set(obj);
      this.notify(old ? { type: 'update', old, obj } : { type: 'add', obj });
    };
    return {
      replace: (items) => {
        const deltas = replaceDeltas(this.cache, items);
        this.cache.replace(items);
        for (const d of deltas) this.notify(d);
        if (!this.synced) {
          this.synced = true;
          const waiters = this.syncWaiters;
          this.syncWaiters = [];
          for (const w of waiters) w();
        }
      },
      added: upsert,
      modified: upsert,
      deleted: (obj) => {
        this.cache.delete(objectKey(obj));
        this.notify({ type: 'delete', obj });
      },
    };
  }

  private notify(delta: Delta<T>): void {
    // a snapshot: a handler added by a handler starts with its own synthetic adds, not this delta
    for (const h of [...this.handlers]) {
      switch (delta.type) {
        case 'add':
          this.call(h, 'onAdd', () => h.onAdd?.(delta.obj));
          break;
        case 'update':
          this.call(h, 'onUpdate', () => h.onUpdate?.(delta.old, delta.obj));
          break;
        case 'delete':
          this.call(h, 'onDelete', () => h.onDelete?.(delta.obj));
          break;
      }
    }
  }

  private call(_handler: ResourceEventHandler<T>, what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ err, handler: what }, 'event handler threw; skipped');
    }
  }
}
