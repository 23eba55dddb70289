/**
 * kube's namespace controller (pkg/controller/namespace): empties a namespace being
 * deleted, then releases it. `kubectl delete ns X` marks the namespace (deletionTimestamp,
 * phase Terminating) and the API server keeps it while spec.finalizers holds `kubernetes`;
 * this controller:
 *
 *   1. reads the namespace live (other controllers edit it while it terminates);
 *   2. makes sure status.phase is Terminating;
 *   3. deletes every namespaced object in it (namespaced-content-deleter.ts) and records
 *      the outcome in kube's five status conditions (deletion-conditions.ts);
 *   4. while content remains (pods stopping on their nodes, objects held by their own
 *      finalizers) looks again after a delay — kube's estimate/2+1 s, or the setting;
 *   5. once nothing remains, removes `kubernetes` from spec.finalizers through PUT
 *      …/finalize, after which the API server deletes the namespace.
 *
 * Namespace events are delayed by deletionGracePeriodMs (kube: 5 s) so every informer in
 * the cluster sees the deletion before content is removed.
 */
import type { V1Namespace } from '@kubernetes/client-node';

import { isNotFound } from '../../client/api-error.js';

import type { SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { deletionConditions, finalizersWithout } from './deletion-conditions.js';
import { NamespacedContentDeleter } from './namespaced-content-deleter.js';
import type { DiscoverResources } from './server-resources.js';

export const NAMESPACE_FINALIZER = 'kubernetes';

export interface NamespaceSettings {
  /** kube's --concurrent-namespace-syncs (default 10) */
  workers?: number;
  /** wait after a namespace event before acting on it (kube's namespaceDeletionGracePeriod, 5 s) */
  deletionGracePeriodMs?: number;
  /** look again this soon while content remains; default kube's (estimate/2 + 1) seconds */
  contentRemainingRequeueMs?: number;
}

export interface NamespaceControllerOptions extends ControllerOptions<NamespaceSettings> {
  discover: DiscoverResources;
}

const asNamespace = (obj: KubeObject) => obj as unknown as V1Namespace;

export class NamespaceController extends QueueController {
  private readonly namespaces: SharedInformer<KubeObject>;
  private readonly api: ResourceClient<KubeObject>;
  private readonly deleter: NamespacedContentDeleter;
  private readonly settings: NamespaceSettings;

  constructor(opts: NamespaceControllerOptions) {
    super(opts, opts.settings?.workers ?? 10);
    this.settings = opts.settings ?? {};
    this.api = opts.client.resource('v1', 'Namespace');
    this.deleter = new NamespacedContentDeleter(opts.client, opts.discover, this.logger);
    this.namespaces = opts.informers.informerFor('v1', 'Namespace');
    const enqueue = (ns: KubeObject) => {
      // only namespaces being deleted need us
      if (!ns.metadata?.deletionTimestamp || !ns.metadata.name) return;
      this.queue.addAfter(ns.metadata.name, this.settings.deletionGracePeriodMs ?? 5000);
    };
    this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runAfterSync(signal, [this.namespaces], 'caches synced; syncing namespaces');
  }

  /** kube's syncNamespaceFromKey + the deleter's Delete */
  async reconcile(name: string): Promise<ReconcileResult> {
    let ns: V1Namespace;
    try {
      ns = asNamespace(await this.api.get(name));
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    if (ns.status?.phase !== 'Terminating') {
      const marked = structuredClone(ns);
      marked.status = { ...marked.status, phase: 'Terminating' };
      ns = asNamespace(await this.api.updateStatus(marked as unknown as KubeObject, { fieldManager: 'kube-controller-manager' }));
    }
    if (!(ns.spec?.finalizers ?? []).includes(NAMESPACE_FINALIZER)) return;

    const outcome = await this.deleter.deleteAllContent(name);
    const { conditions, changed } = deletionConditions(ns.status?.conditions, outcome, this.clock.now());
    if (changed) {
      const next = structuredClone(ns);
      next.status = { ...next.status, conditions };
      try {
        ns = asNamespace(await this.api.updateStatus(next as unknown as KubeObject, { fieldManager: 'kube-controller-manager' }));
      } catch (err) {
        // kube only logs this: the conditions are informational, the deletion goes on
        if (isNotFound(err)) return;
        this.logger.warn({ err, namespace: name }, 'could not update the namespace deletion conditions');
      }
    }
    const failures = [outcome.discoveryError, ...outcome.contentErrors].filter((e): e is string => e !== undefined);
    if (failures.length > 0) throw new Error(`namespace ${name}: ${failures.join('; ')}`);
    if (outcome.estimateSeconds > 0) {
      this.logger.debug({ namespace: name, remaining: Object.fromEntries(outcome.remaining) }, 'content remains in the terminating namespace');
      return { requeueAfter: this.settings.contentRemainingRequeueMs ?? (Math.floor(outcome.estimateSeconds / 2) + 1) * 1000 };
    }
    await this.finalize(name, ns);
    return;
  }

  /** PUT …/finalize without our finalizer; the API server deletes the namespace once none remain */
  private async finalize(name: string, ns: V1Namespace): Promise<void> {
    const finalized = structuredClone(ns) as unknown as KubeObject;
    (finalized as { spec: { finalizers: string[] } }).spec = { ...ns.spec, finalizers: finalizersWithout(ns.spec?.finalizers, NAMESPACE_FINALIZER) };
    try {
      if (this.api.updateSubresource) await this.api.updateSubresource(finalized, 'finalize', { fieldManager: 'kube-controller-manager' });
      else throw new Error('this client cannot PUT the finalize subresource');
      this.logger.info({ namespace: name }, 'namespace content removed; finalized');
    } catch (err) {
      // gone already: another deleter finished it
      if (isNotFound(err)) return;
      throw err;
    }
  }
}
