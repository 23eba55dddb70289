/**
 * kube's streamingConnectionIdleTimeout: a streaming connection with nothing read or written
 * for this long is closed (default 4 h, a kubelet setting). As in kube (spdystream's and
 * wsstream's idle timers), a client's keepalive ping counts: kubectl pings every 5–10 s, so
 * what times out is a client that is gone without closing, or one that never pings. One timer per
 * connection, re-armed lazily: touch() only records the time, and the timer, when it
 * fires, sleeps again for whatever is left — so a busy stream costs no timer churn.
 */
import type { Clock } from '../../../client/clock.js';

export interface IdleTimer {
  /** activity: pushes the deadline out */
  touch(): void;
  /** what to do when idle (once) */
  onIdle(fire: () => void): void;
  stop(): void;
}

export function startIdleTimer(clock: Clock, timeoutMs: number): IdleTimer {
  let last = clock.now();
  let fire: (() => void) | undefined;
  let stopped = false;
  let cancel: (() => void) | undefined;
  const arm = (delay: number) => {
    cancel = clock.setTimer(delay, check);
  };
  const check = () => {
    if (stopped) return;
    const left = last + timeoutMs - clock.now();
    if (left > 0) return arm(left);
    stopped = true;
    fire?.();
  };
  if (timeoutMs > 0) arm(timeoutMs);
  return {
    touch: () => {
      last = clock.now();
    },
    onIdle: (f) => {
      fire = f;
    },
    stop: () => {
      stopped = true;
      cancel?.();
    },
  };
}
