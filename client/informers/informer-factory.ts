/**
 * SharedInformerFactory (client-go's informers.SharedInformerFactory): hands out one
 * SharedInformer per (apiVersion, kind, namespace, selectors), so every controller in a
 * process that asks for Pods shares one cache and one watch.
 *
 *   const factory = new SharedInformerFactory(client, { resyncPeriodMs: 0 });
 *   const pods = factory.informerFor<V1Pod>('v1', 'Pod');
 *   pods.addEventHandler({ onAdd: (p) => queue.add(objectKey(p)) });
 *   factory.start(signal);
 *   if (!(await factory.waitForCacheSync(signal))) return;  // stopped before syncing
 *
 * An informer asked for after start() is started at once with the same signal.
 * shutdown() waits for every started informer to stop (after the signal aborted).
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import type { KubeClient, KubeObject } from '../types.js';
import { silentLogger } from '../workqueue/silent-logger.js';
import type { ReflectorBackoff } from './reflector.js';
import { SharedInformer } from './shared-informer.js';

export interface SharedInformerFactoryOptions {
  clock?: Clock;
  /** default resync period for every informer; 0 (default) = none */
  resyncPeriodMs?: number;
  /** watch only this namespace (default: all) */
  namespace?: string;
  backoff?: ReflectorBackoff;
  logger?: Logger;
}

export interface InformerSelectors {
  fieldSelector?: string;
  labelSelector?: string;
  /** overrides the factory's namespace */
  namespace?: string;
  resyncPeriodMs?: number;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly runs: Promise<void>[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private signal: AbortSignal | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: SharedInformerFactoryOptions = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger ?? silentLogger;
  }

  informerFor<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, selectors: InformerSelectors = {}): SharedInformer<T> {
    const namespace = selectors.namespace ?? this.opts.namespace;
    const key = JSON.stringify([apiVersion, kind, namespace ?? '', selectors.fieldSelector ?? '', selectors.labelSelector ?? '']);
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new SharedInformer<KubeObject>({
        source: this.client.resource(apiVersion, kind),
        selection: {
          ...(namespace ? { namespace } : {}),
          ...(selectors.fieldSelector ? { fieldSelector: selectors.fieldSelector } : {}),
          ...(selectors.labelSelector ? { labelSelector: selectors.labelSelector } : {}),
        },
        clock: this.clock,
        resyncPeriodMs: selectors.resyncPeriodMs ?? this.opts.resyncPeriodMs ?? 0,
        ...(this.opts.backoff ? { backoff: this.opts.backoff } : {}),
        logger: this.logger,
        description: describe(apiVersion, kind, namespace, selectors),
      });
      this.informers.set(key, informer);
      if (this.signal) this.runs.push(informer.run(this.signal));
    }
    return informer as unknown as SharedInformer<T>;
  }

  /** run every informer asked for so far (and, from now on, each new one) until the signal aborts */
  start(signal: AbortSignal): void {
    this.signal ??= signal;
    for (const informer of this.informers.values()) {
      if (!informer.isRunning()) this.runs.push(informer.run(this.signal));
    }
  }

  /** true once every informer asked for so far has synced; false if the signal aborts first */
  async waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** resolves when every started informer has stopped (abort the start() signal first) */
  async shutdown(): Promise<void> {
    await Promise.all(this.runs);
  }
}

function describe(apiVersion: string, kind: string, namespace: string | undefined, s: InformerSelectors): string {
  const parts = [`${apiVersion}/${kind}`];
  if (namespace) parts.push(`namespace=${namespace}`);
  if (s.fieldSelector) parts.push(`fields(${s.fieldSelector})`);
  if (s.labelSelector) parts.push(`labels(${s.labelSelector})`);
  return parts.join(' ');
}
