/**
 * Waiting for the cluster to converge in end-to-end tests: poll a read until it holds
 * (never a fixed sleep that guesses how long the control loop takes), and kubectl's JSON.
 */
import type { E2e } from './e2e.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** poll `read` until `done` holds (or give up after `ms`); returns the last value */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(100);
    value = await read();
  }
  return value;
}

/** `kubectl ARGS -o json`, parsed; undefined when kubectl fails */
export const jsonOf = async (e: E2e, args: string[]) => {
  const r = await e.kubectl([...args, '-o', 'json']);
  return r.code === 0 ? (JSON.parse(r.stdout) as Record<string, any>) : undefined;
};
