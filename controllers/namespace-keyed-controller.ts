/**
 * The shape two small controllers share (kube's ServiceAccounts controller and root CA
 * publisher): one object that must exist in every active namespace. Keys are namespace
 * names; a namespace added, or the object changed or deleted, enqueues its namespace;
 * reconcile(namespace) reads the caches and writes only when something is missing or wrong.
 */
import type { Logger } from 'pino';
import type { Clock } from '../client/clock.js';
import type { SharedInformer } from '../client/informers/shared-informer.js';
import type { KubeObject } from '../client/types.js';
import { RateLimitingQueue, runWorkers, type ReconcileResult } from '../client/workqueue/index.js';

/** a namespace being deleted gets nothing new (the API server would refuse it anyway) */
export const isActiveNamespace = (ns: KubeObject | undefined): boolean =>
  Boolean(ns) && !ns!.metadata?.deletionTimestamp && (ns as { status?: { phase?: string } }).status?.phase !== 'Terminating';

export interface NamespaceKeyedOptions {
  name: string;
  namespaces: SharedInformer<KubeObject>;
  /** the informer of the per-namespace object; its events enqueue the object's namespace */
  objects: SharedInformer<KubeObject>;
  /** only objects with this name matter */
  objectName: string;
  reconcile(namespace: string): Promise<ReconcileResult>;
  clock: Clock;
  logger: Logger;
}

export class NamespaceKeyedController {
  private readonly queue: RateLimitingQueue<string>;

  constructor(private readonly o: NamespaceKeyedOptions) {
    this.queue = new RateLimitingQueue<string>({ clock: o.clock });
    const enqueueNs = (ns: KubeObject) => ns.metadata?.name && this.queue.add(ns.metadata.name);
    o.namespaces.addEventHandler({ onAdd: enqueueNs, onUpdate: (_old, ns) => enqueueNs(ns) });
    const enqueueObj = (obj: KubeObject) => obj.metadata?.name === o.objectName && obj.metadata.namespace && this.queue.add(obj.metadata.namespace);
    o.objects.addEventHandler({ onAdd: enqueueObj, onUpdate: (_old, obj) => enqueueObj(obj), onDelete: enqueueObj });
  }

  async run(signal: AbortSignal): Promise<void> {
    const synced = await Promise.all([this.o.namespaces.waitForSync(signal), this.o.objects.waitForSync(signal)]);
    if (!synced.every(Boolean)) return;
    await runWorkers(this.queue, (ns) => this.o.reconcile(ns), { logger: this.o.logger, signal });
  }
}
