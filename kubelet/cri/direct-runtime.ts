/**
 * The in-process transport: the kubelet calls the runtime's methods directly. Zero cost
 * on purpose (no cloning, no encoding) — this is the path a thousand simulated nodes take —
 * so both sides must treat requests and responses as read-only once handed over, exactly
 * as if they had crossed a socket.
 */
import type { Runtime } from './api.js';

export function directRuntime(impl: Runtime): Runtime {
  return impl;
}
