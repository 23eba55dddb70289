/**
 * kube's endpoints controller (pkg/controller/endpoint): keeps an Endpoints object, named
 * like the Service, for every Service with a selector — the selected pods' addresses
 * grouped by ports. Services without a selector (and ExternalName ones) are left alone:
 * their Endpoints are written by hand. When a Service goes, its Endpoints go too.
 *
 * Level-based: Service events enqueue the Service; pod events enqueue the Services the
 * pod belongs to (after the batch period); a deleted Endpoints enqueues its Service so it
 * is re-created. reconcile(key) reads the caches and writes only when something differs.
 * At start every existing Endpoints is enqueued once, so leftovers of Services deleted
 * while the controller was down are removed (kube's checkLeftoverEndpoints).
 */
import type { V1Endpoints, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import { isAlreadyExists, isForbidden, isNotFound } from '../../client/api-error.js';
import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, splitObjectKey, type SharedInformer, type SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { QueueController } from '../common/queue-controller.js';
import { isNamespaceTerminating } from '../endpointslice/util/namespace-terminating.js';
import { hasSelector, podServiceMemberships, servicesToUpdateOnPodChange } from '../endpointslice/util/service-membership.js';
import { TriggerTimeTracker } from '../endpointslice/util/trigger-time-tracker.js';
import { MAX_ENDPOINTS_CAPACITY } from './desired-subsets.js';
import { endpointsWrite } from './endpoints-for-service.js';
import { withRetryLimit } from '../endpointslice/util/retry-limit.js';

export interface EndpointSettings {
  /** kube's --concurrent-endpoint-syncs (default 5) */
  workers?: number;
  /** kube's --endpoint-updates-batch-period: pod changes wait this long to be batched (default 0) */
  batchPeriodMs?: number;
  /** addresses an Endpoints object holds before it is truncated (kube: 1000, fixed) */
  maxCapacity?: number;
}

export interface EndpointsControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  logger: Logger;
  recorder?: EventRecorder;
  settings?: EndpointSettings;
}

/** the annotation of leader-election records kept in Endpoints (never a Service's: not ours to delete) */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

export class EndpointsController extends QueueController {
  private readonly services: SharedInformer<V1Service & KubeObject>;
  private readonly pods: SharedInformer<V1Pod & KubeObject>;
  private readonly endpoints: SharedInformer<V1Endpoints & KubeObject>;
  private readonly triggerTimes = new TriggerTimeTracker();
  /** resourceVersions we replaced, by key: a cache still showing one is stale (kube's staleEndpointsTracker) */
  private readonly replaced = new Map<string, string>();
  /** keys we created Endpoints for that the cache has not shown yet */
  private readonly created = new Set<string>();
  private readonly batchPeriodMs: number;

  constructor(private readonly o: EndpointsControllerOptions) {
    super(o, o.settings?.workers ?? 5);
    this.batchPeriodMs = o.settings?.batchPeriodMs ?? 0;
    this.services = o.informers.informerFor('v1', 'Service');
    this.pods = o.informers.informerFor('v1', 'Pod');
    this.endpoints = o.informers.informerFor('v1', 'Endpoints');
    this.enqueueOnEveryChange(this.services);
    this.pods.addEventHandler({
      onAdd: (pod) => this.enqueuePodServices(pod),
      onUpdate: (old, cur) => this.enqueueServices(servicesToUpdateOnPodChange(this.servicesOf(cur), old, cur)),
      onDelete: (pod) => this.enqueuePodServices(pod),
    });
    this.endpoints.addEventHandler({
      onAdd: (ep) => this.created.delete(objectKey(ep)),
      onDelete: (ep) => {
        const key = objectKey(ep);
        this.created.delete(key);
        this.replaced.delete(key);
        this.queue.add(key);
      },
    });
  }

  private servicesOf(pod: V1Pod): V1Service[] {
    return this.services.lister().list({ namespace: pod.metadata?.namespace ?? '' });
  }

  private enqueuePodServices(pod: V1Pod): void {
    this.enqueueServices(podServiceMemberships(this.servicesOf(pod), pod));
  }

  private enqueueServices(keys: Set<string>): void {
    for (const key of keys) {
      if (this.batchPeriodMs > 0) this.queue.addAfter(key, this.batchPeriodMs);
      else this.queue.add(key);
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.cachesSynced(signal, [this.services, this.pods, this.endpoints]))) return;
    for (const ep of this.endpoints.lister().list()) {
      if (ep.metadata?.annotations?.[LEADER_ANNOTATION] !== undefined) continue;
      this.queue.add(objectKey(ep));
    }
    await this.runWorkers(signal, withRetryLimit(this.queue, (key) => this.reconcile(key)));
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace = '', name } = splitObjectKey(key);
    const api = this.o.client.resource<V1Endpoints & KubeObject>('v1', 'Endpoints');
    const service = this.services.lister().get(name, namespace);
    if (!service) {
      // the Service is gone: so are its Endpoints (selector-less ones included, as in kube)
      try {
        await api.delete(name, { namespace });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.triggerTimes.deleteService(namespace, name);
      this.replaced.delete(key);
      this.created.delete(key);
      return;
    }
    if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;

    const selector = service.spec!.selector!;
    const pods = this.pods.lister().list({ namespace, labelSelector: selector });
    // computed on every sync, even one that writes nothing, so the tracker sees each state
    const triggerTime = this.triggerTimes.compute(service, pods);
    const current = this.endpoints.lister().get(name, namespace);
    if (current && this.replaced.get(key) === current.metadata?.resourceVersion) {
      throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata?.resourceVersion} already processed for endpoints ${key}`);
    }
    if (!current && this.created.has(key)) throw new Error(`endpoints informer cache is out of date: ${key} was created and is not cached yet`);

    const write = endpointsWrite({ service, pods, current, triggerTime, capacity: this.o.settings?.maxCapacity ?? MAX_ENDPOINTS_CAPACITY });
    if (write.action === 'none') return;
    try {
      if (write.action === 'create') {
        await api.create(write.endpoints as V1Endpoints & KubeObject);
        this.created.add(key);
      } else {
        const updated = await api.update(write.endpoints as V1Endpoints & KubeObject);
        if (updated.metadata?.resourceVersion !== current?.metadata?.resourceVersion) this.replaced.set(key, current?.metadata?.resourceVersion ?? '');
      }
    } catch (err) {
      if (write.action === 'create' && isForbidden(err) && isNamespaceTerminating(err)) return;
      // our cache lags behind a create of our own (or someone else's): look again shortly
      if (write.action === 'create' && isAlreadyExists(err)) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const regarding = { apiVersion: 'v1', kind: 'Endpoints', metadata: { ...write.endpoints.metadata } } as KubeObject;
      if (write.action === 'create') this.o.recorder?.event(regarding, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${message}`);
      else this.o.recorder?.event(regarding, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${message}`);
      throw err;
    }
  }
}
