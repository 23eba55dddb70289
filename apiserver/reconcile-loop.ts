/**
 * A small periodic loop inside the API server (kube-apiserver's kubernetes Service
 * controller runs its reconcile every EndpointInterval, 10 s): one loop per owner (the
 * registry), replaced when started again (a new port), stopped by stopReconcileLoop or, at
 * the latest, by itself once the store is closed (the registry then answers
 * ServiceUnavailable). Timers are unref'd: the loop never keeps the process alive.
 * Failures are retried on the next tick; they never escape as unhandled rejections.
 */
import { ApiError } from './errors/api-error.js';

interface Loop {
  stop(): void;
}

const loops = new WeakMap<object, Loop>();

export function startReconcileLoop(owner: object, reconcile: () => Promise<void>, intervalMs: number): void {
  loops.get(owner)?.stop();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await reconcile();
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'ServiceUnavailable') stopped = true;
    }
    schedule();
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), intervalMs);
    timer.unref();
  };
  const loop: Loop = {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (loops.get(owner) === loop) loops.delete(owner);
    },
  };
  loops.set(owner, loop);
  schedule();
}

export function stopReconcileLoop(owner: object): void {
  loops.get(owner)?.stop();
}
