/**
 * The work queue's bottom layer (client-go's workqueue.Type): a FIFO of keys with dedup
 * and a "never twice at once" guarantee, which is what lets a level-based controller run
 * several workers safely.
 *
 * Contract:
 *   - add(key) while the key is already queued does nothing (dedup: ten events about one
 *     object cause one reconcile).
 *   - add(key) while a worker holds it (between get() and done()) only marks it dirty;
 *     done(key) then queues it again. So a key is never handed to two workers at once,
 *     and a change that arrives mid-reconcile is never lost.
 *   - get() resolves with the next key, waiting if none; after shutDown() it still hands
 *     out what is queued, then resolves `{ shutdown: true }` (waiting getters are woken).
 *   - add() after shutDown() is ignored.
 *   - shutDownWithDrain() shuts down and resolves once every key handed out is done().
 *
 * Worked example (one worker, key "a"):
 *   add(a) → queue [a]; get() → a (processing {a}); add(a) → dirty, queue []
 *   done(a) → queue [a] again; get() → a; done(a) → empty.
 */

export type QueueItem<T> = { item: T; shutdown: false } | { item?: undefined; shutdown: true };

export class WorkQueue<T = string> {
  private readonly queue: T[] = [];
  /** queued or to be re-queued: everything that needs processing */
  private readonly dirty = new Set<T>();
  /** handed out by get(), not yet done() */
  private readonly processing = new Set<T>();
  private readonly waiters: Array<(next: QueueItem<T>) => void> = [];
  private shuttingDownFlag = false;
  private drainWaiters: Array<() => void> = [];

  add(item: T): void {
    if (this.shuttingDownFlag || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.wakeOne();
  }

  /** number of keys waiting (not those being processed) */
  len(): number {
    return this.queue.length;
  }

  get(): Promise<QueueItem<T>> {
    const next = this.take();
    if (next) return Promise.resolve(next);
    if (this.shuttingDownFlag) return Promise.resolve({ shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.wakeOne();
    }
    if (this.processing.size === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  shutDown(): void {
    if (this.shuttingDownFlag) return;
    this.shuttingDownFlag = true;
    // Waiters exist only when the queue is empty, so every one of them is told to stop.
    const waiters = this.waiters.splice(0);
    for (const resolve of waiters) resolve({ shutdown: true });
  }

  /** shut down, then resolve once every key handed out so far has been done() */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.shuttingDownFlag;
  }

  /** hand the head of the queue to a getter, moving it from dirty to processing */
  private take(): QueueItem<T> | undefined {
    if (this.queue.length === 0) return undefined;
    const item = this.queue.shift() as T;
    this.dirty.delete(item);
    this.processing.add(item);
    return { item, shutdown: false };
  }

  private wakeOne(): void {
    // Hand the key over synchronously so no other caller can take it in between.
    const waiter = this.waiters.shift();
    if (!waiter) return;
    waiter(this.take() as QueueItem<T>);
  }
}
