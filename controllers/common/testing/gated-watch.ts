/**
 * A watch that lags behind the server: while the gate is closed, the events of one
 * kind's watch wait. Tests use it to show a controller does not act twice on a cache
 * that has not yet seen its own writes (the reason for expectations).
 */
import type { KubeClient, KubeObject, ResourceClient, WatchEvent } from '../../../client/types.js';

export class WatchGate {
  closed = false;
  private waiting: Array<() => void> = [];

  /** resolves at once while open; else when the gate opens */
  pass(): Promise<void> {
    return this.closed ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve();
  }

  open(): void {
    this.closed = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** the client with `kind`'s watch events held back by the gate */
export function withGatedWatch(client: KubeClient, gate: WatchGate, kind = 'Pod'): KubeClient {
  return {
    ...client,
    resource<T extends KubeObject>(apiVersion: string, resourceKind: string): ResourceClient<T> {
      const inner = client.resource<T>(apiVersion, resourceKind);
      if (resourceKind !== kind) return inner;
      return {
        ...inner,
        watch: (opts) => ({
          async *[Symbol.asyncIterator]() {
            for await (const event of inner.watch(opts) as AsyncIterable<WatchEvent<T>>) {
              await gate.pass();
              yield event;
            }
          },
        }),
      };
    },
  };
}
