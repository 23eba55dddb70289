/**
 * kube's resource quota controller (pkg/controller/resourcequota): keeps every
 * ResourceQuota's status.hard and status.used true to the objects in its namespace.
 *
 *   quota added/changed           → its key
 *   object of a tracked kind      → the keys of the quotas in its namespace that count it
 *   (pods: only when something quota counts changed — phase, deletion, resources, scopes)
 *   every fullResyncMs            → every quota
 *
 * reconcile(key) computes the status from the caches (quota-usage.ts) and writes it
 * through /status only when it differs by value, so our own write coming back as an
 * event ends in a no-op. kube's quota admission also bumps status.used on create; k8ts has
 * none, so adds enqueue too, debounced by the work queue (a key queued twice syncs once).
 *
 * Kinds: pods, services, persistentvolumeclaims, configmaps, secrets and resourcequotas
 * are watched from the start (shared informers); any other count/<resource>.<group> a
 * quota names gets its informer on first use, resolved through discovery.
 */
import type { V1Pod, V1ResourceQuota, V1Service } from '@kubernetes/client-node';

import { objectKey, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { apiVersionOf, groupResourceOf, type DiscoverResources } from '../namespace/server-resources.js';
import { desiredQuotaStatus, groupResourcesFor, podUsesCompute, quotaStatusUpToDate, type ResourceList } from './quota-usage.js';

export interface ResourceQuotaSettings {
  /** kube's --resource-quota-sync-period: every quota is recomputed this often (default 5 min) */
  fullResyncMs?: number;
  /** kube's --concurrent-resource-quota-syncs (default 5) */
  workers?: number;
  /** how soon to look again at a quota whose kinds are still being discovered or synced (default 1 s) */
  pendingRetryMs?: number;
}

export const DEFAULT_QUOTA_RESYNC_MS = 5 * 60_000;

export interface ResourceQuotaControllerOptions extends ControllerOptions<ResourceQuotaSettings> {
  /** resolves count/<resource>.<group> names to kinds */
  discover: DiscoverResources;
}

/** the kinds watched from the start, by group-resource */
const EAGER_KINDS: Record<string, [apiVersion: string, kind: string]> = {
  pods: ['v1', 'Pod'],
  services: ['v1', 'Service'],
  persistentvolumeclaims: ['v1', 'PersistentVolumeClaim'],
  configmaps: ['v1', 'ConfigMap'],
  secrets: ['v1', 'Secret'],
  resourcequotas: ['v1', 'ResourceQuota'],
};

const asQuota = (obj: KubeObject) => obj as unknown as V1ResourceQuota;

export class ResourceQuotaController extends QueueController {
  private readonly quotas: SharedInformer<KubeObject>;
  private readonly tracked = new Map<string, SharedInformer<KubeObject>>();
  /** group-resources being resolved through discovery, or found not to be served */
  private readonly resolving = new Map<string, Promise<void>>();
  private readonly unserved = new Set<string>();
  private readonly quotaClient: ResourceClient<KubeObject>;
  private readonly fullResyncMs: number;
  private readonly pendingRetryMs: number;

  constructor(private readonly opts: ResourceQuotaControllerOptions) {
    const settings = opts.settings ?? {};
    super(opts, settings.workers ?? 5);
    this.fullResyncMs = settings.fullResyncMs ?? DEFAULT_QUOTA_RESYNC_MS;
    this.pendingRetryMs = settings.pendingRetryMs ?? 1000;
    this.quotaClient = opts.client.resource('v1', 'ResourceQuota');
    this.quotas = opts.informers.informerFor('v1', 'ResourceQuota');
    this.quotas.addEventHandler({
      onAdd: (q) => this.queue.add(objectKey(q)),
      onUpdate: (old, q) => {
        if (old.metadata?.resourceVersion !== q.metadata?.resourceVersion) this.queue.add(objectKey(q));
      },
    });
    for (const [groupResource, [apiVersion, kind]] of Object.entries(EAGER_KINDS)) this.track(groupResource, apiVersion, kind);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.cachesSynced(signal, [this.quotas, ...this.tracked.values()], 'caches synced; syncing resource quotas'))) return;
    const resync = () => {
      if (signal.aborted) return;
      // a kind not served at the last look may be now (a CRD created since)
      this.unserved.clear();
      for (const q of this.quotas.lister().list()) this.queue.add(objectKey(q));
      cancel = this.clock.setTimer(this.fullResyncMs, resync);
    };
    let cancel = this.clock.setTimer(this.fullResyncMs, resync);
    try {
      await this.runWorkers(signal);
    } finally {
      cancel();
    }
  }

  /** sync one quota by key (kube's syncResourceQuota) */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.quotas.lister().getByKey(key);
    if (!cached) return;
    const quota = asQuota(cached);
    const namespace = quota.metadata?.namespace ?? '';
    let pending = false;
    for (const groupResource of groupResourcesFor(quota.spec?.hard as ResourceList | undefined)) {
      if (!this.tracked.has(groupResource) && !this.unserved.has(groupResource)) {
        await this.resolve(groupResource);
      }
      const informer = this.tracked.get(groupResource);
      if (informer && !informer.hasSynced()) pending = true;
    }
    const objectsOf = (groupResource: string) => {
      const informer = this.tracked.get(groupResource);
      // kube has no evaluator for a kind the server does not serve: its name gets no usage;
      // a kind still syncing is counted once it has
      if (!informer) return undefined;
      return informer.hasSynced() ? informer.lister().list({ namespace }) : undefined;
    };
    const desired = desiredQuotaStatus(quota, objectsOf, this.clock.now());
    if (!quotaStatusUpToDate(quota, desired)) {
      const next = structuredClone(cached) as KubeObject;
      next.status = { hard: desired.hard, used: desired.used };
      await this.quotaClient.updateStatus(next, { fieldManager: 'kube-controller-manager' });
      this.logger.debug({ quota: key, used: desired.used }, 'updated resource quota status');
    }
    return pending ? { requeueAfter: this.pendingRetryMs } : undefined;
  }

  /** find the kind of a group-resource through discovery and start watching it */
  private resolve(groupResource: string): Promise<void> {
    let inFlight = this.resolving.get(groupResource);
    if (!inFlight) {
      inFlight = (async () => {
        const resources = await this.opts.discover();
        const found = resources.find((r) => groupResourceOf(r) === groupResource && r.namespaced && r.verbs.includes('list') && r.verbs.includes('watch'));
        if (found) this.track(groupResource, apiVersionOf(found), found.kind);
        else this.unserved.add(groupResource);
      })().finally(() => this.resolving.delete(groupResource));
      this.resolving.set(groupResource, inFlight);
    }
    return inFlight;
  }

  private track(groupResource: string, apiVersion: string, kind: string): void {
    const informer = this.opts.informers.informerFor(apiVersion, kind);
    this.tracked.set(groupResource, informer);
    if (groupResource === 'resourcequotas') {
      // a quota's own changes are handled above; other quotas counting resourcequotas need these
      informer.addEventHandler({ onAdd: (o) => this.enqueueCounting(groupResource, o), onDelete: (o) => this.enqueueCounting(groupResource, o) });
      return;
    }
    informer.addEventHandler({
      onAdd: (o) => this.enqueueCounting(groupResource, o),
      onUpdate: (old, o) => {
        if (usageMayDiffer(groupResource, old, o, this.clock.now())) this.enqueueCounting(groupResource, o);
      },
      onDelete: (o) => this.enqueueCounting(groupResource, o),
    });
  }

  /** the quotas in the object's namespace that count its kind */
  private enqueueCounting(groupResource: string, obj: KubeObject): void {
    const namespace = obj.metadata?.namespace;
    if (!namespace) return;
    for (const q of this.quotas.lister().list({ namespace })) {
      if (groupResourcesFor(asQuota(q).spec?.hard as ResourceList | undefined).includes(groupResource)) this.queue.add(objectKey(q));
    }
  }
}

/** whether an update may change what quota counts for the object (kube replenishes on these) */
export function usageMayDiffer(groupResource: string, old: KubeObject, obj: KubeObject, now: number): boolean {
  if (old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return false;
  if (groupResource === 'pods') return podSignature(old as V1Pod, now) !== podSignature(obj as V1Pod, now);
  if (groupResource === 'services') return serviceSignature(old as V1Service) !== serviceSignature(obj as V1Service);
  if (groupResource === 'persistentvolumeclaims') return JSON.stringify([old.spec, old.status]) !== JSON.stringify([obj.spec, obj.status]);
  return false;
}

const podSignature = (pod: V1Pod, now: number) =>
  JSON.stringify([
    podUsesCompute(pod, now),
    pod.metadata?.deletionTimestamp,
    pod.spec?.containers?.map((c) => c.resources),
    pod.spec?.initContainers?.map((c) => c.resources),
    pod.spec?.activeDeadlineSeconds,
    pod.spec?.priorityClassName,
    pod.status?.qosClass,
  ]);

const serviceSignature = (svc: V1Service) => JSON.stringify([svc.spec?.type, svc.spec?.ports?.map((p) => p.nodePort ?? null), svc.spec?.allocateLoadBalancerNodePorts]);
