/**
 * A process-wide cap on simulated containers' file writes in flight. A thousand
 * simulated nodes starting 30,000 containers at once would otherwise open 30,000 files
 * at once and hit EMFILE (and lose those log lines); file descriptors belong to the
 * process, so the cap is shared by every simulated runtime in it. Waiters are served in
 * arrival order from a queue with a moving head (Array.shift would make a long backlog
 * quadratic).
 */

const MAX_WRITES_IN_FLIGHT = 64;

let inFlight = 0;
let queue: Array<() => void> = [];
let head = 0;

export async function withFileWriteSlot<T>(write: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_WRITES_IN_FLIGHT) await new Promise<void>((resolve) => queue.push(resolve));
  else inFlight++;
  try {
    return await write();
  } finally {
    releaseSlot();
  }
}

/** hand the slot to the next waiter, or free it */
function releaseSlot(): void {
  if (head < queue.length) {
    const next = queue[head++]!;
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    next();
    return;
  }
  inFlight--;
}
