/**
 * Callers blocked in pop() (kube's cond.Wait in Pop), first come first served. A waiter
 * leaves when it is handed a pod, when its AbortSignal fires (rejected with the signal's
 * reason) or when the queue closes (rejected with a "closed" error).
 */

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
  detach: () => void;
}

export class PopWaiters<T> {
  private readonly waiters: Waiter<T>[] = [];

  get length(): number {
    return this.waiters.length;
  }

  /** a promise settled by serve(), by the signal aborting, or by rejectAll() */
  wait(signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter<T> = { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** hand values to waiters in arrival order while `next` has some; stops when it returns undefined */
  serve(next: () => T | undefined): void {
    while (this.waiters.length > 0) {
      const value = next();
      if (value === undefined) return;
      const waiter = this.waiters.shift()!;
      waiter.detach();
      waiter.resolve(value);
    }
  }

  rejectAll(err: Error): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter.detach();
      waiter.reject(err);
    }
  }
}
