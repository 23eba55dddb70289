/**
 * kube's EndpointSlice controller (pkg/controller/endpointslice): discovery.k8s.io/v1
 * EndpointSlices for every Service with a selector, at most maxEndpointsPerSlice endpoints
 * each, one set per port mapping, rewritten in place with minimal churn (reconcile-plan.ts).
 * Services without a selector are left alone (their slices come from the mirroring
 * controller or from users).
 *
 * Level-based: Service events enqueue the Service, pod events the Services the pod
 * belongs to (after the batch period), and slice events only when someone other than us
 * changed or deleted a slice we manage (endpointslice-tracker.ts), after
 * max(1 s, batch period). Slices of a deleted Service are deleted here too — kube leaves
 * them to the garbage collector through their ownerReference; doing it here keeps a
 * cluster running without the garbage collector tidy, and is harmless next to it.
 */
import type { V1EndpointSlice, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import { isConflict, isNotFound } from '../../client/api-error.js';
import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, splitObjectKey, type SharedInformer, type SharedInformerFactory } from '../../client/informers/index.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, type ReconcileResult } from '../../client/workqueue/index.js';
import { QueueController } from '../common/queue-controller.js';
import { EndpointSliceTracker } from './endpointslice-tracker.js';
import { DEFAULT_MAX_ENDPOINTS_PER_SLICE, planSlices } from './reconcile-plan.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './slice-metadata.js';
import { isNamespaceTerminating } from './util/namespace-terminating.js';
import { hasSelector, podServiceMemberships, servicesToUpdateOnPodChange } from './util/service-membership.js';
import { formatRFC3339Nano, LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from './util/trigger-time-tracker.js';
import { withRetryLimit } from './util/retry-limit.js';

export interface EndpointSliceSettings {
  /** kube's --concurrent-service-endpoint-syncs (default 5) */
  workers?: number;
  /** kube's --max-endpoints-per-slice (default 100) */
  maxEndpointsPerSlice?: number;
  /** kube's --endpointslice-updates-batch-period: pod changes wait this long to be batched (default 0) */
  batchPeriodMs?: number;
  /** a slice changed by someone else resyncs its Service after at least this (kube: 1 s) */
  sliceChangeMinSyncDelayMs?: number;
  /** per-Service retry backoff, doubling from base to max (kube: 1 s, 1000 s) */
  syncBackoffBaseMs?: number;
  syncBackoffMaxMs?: number;
}

export interface EndpointSliceControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  logger: Logger;
  recorder?: EventRecorder;
  settings?: EndpointSliceSettings;
}

type Slice = V1EndpointSlice & KubeObject;

const managedByUs = (slice: V1EndpointSlice) => slice.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME;

export class EndpointSliceController extends QueueController {
  readonly tracker = new EndpointSliceTracker();
  private readonly services: SharedInformer<V1Service & KubeObject>;
  private readonly pods: SharedInformer<V1Pod & KubeObject>;
  private readonly slices: SharedInformer<Slice>;
  private readonly nodes: SharedInformer<V1Node & KubeObject>;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly s: Required<EndpointSliceSettings>;

  constructor(private readonly o: EndpointSliceControllerOptions) {
    const s: Required<EndpointSliceSettings> = {
      workers: 5,
      maxEndpointsPerSlice: DEFAULT_MAX_ENDPOINTS_PER_SLICE,
      batchPeriodMs: 0,
      sliceChangeMinSyncDelayMs: 1000,
      syncBackoffBaseMs: 1000,
      syncBackoffMaxMs: 1000_000,
      ...o.settings,
    };
    super(o, s.workers, {
      rateLimiter: new MaxOfRateLimiter<string>(
        new ItemExponentialFailureRateLimiter<string>({ baseDelayMs: s.syncBackoffBaseMs, maxDelayMs: s.syncBackoffMaxMs }),
        new BucketRateLimiter<string>({ qps: 10, burst: 100, clock: o.clock }),
      ),
    });
    this.s = s;
    this.services = o.informers.informerFor('v1', 'Service');
    this.pods = o.informers.informerFor('v1', 'Pod');
    this.slices = o.informers.informerFor('discovery.k8s.io/v1', 'EndpointSlice');
    this.nodes = o.informers.informerFor('v1', 'Node');
    this.enqueueOnEveryChange(this.services);
    this.pods.addEventHandler({
      onAdd: (pod) => this.enqueueServices(podServiceMemberships(this.servicesOf(pod), pod)),
      onUpdate: (old, cur) => this.enqueueServices(servicesToUpdateOnPodChange(this.servicesOf(cur), old, cur)),
      onDelete: (pod) => this.enqueueServices(podServiceMemberships(this.servicesOf(pod), pod)),
    });
    this.slices.addEventHandler({
      onAdd: (slice) => {
        if (managedByUs(slice) && this.tracker.shouldSync(slice)) this.enqueueForSlice(slice);
      },
      onUpdate: (prev, cur) => {
        // the generation does not move on label changes: a re-labelled slice concerns both Services
        if (prev.metadata?.labels?.[SERVICE_NAME_LABEL] !== cur.metadata?.labels?.[SERVICE_NAME_LABEL]) {
          this.enqueueForSlice(cur);
          this.enqueueForSlice(prev);
          return;
        }
        if (managedByUs(prev) !== managedByUs(cur) || (managedByUs(cur) && this.tracker.shouldSync(cur))) this.enqueueForSlice(cur);
      },
      onDelete: (slice) => {
        if (managedByUs(slice) && this.tracker.has(slice) && !this.tracker.handleDeletion(slice)) this.enqueueForSlice(slice);
      },
    });
  }

  private servicesOf(pod: V1Pod): V1Service[] {
    return this.services.lister().list({ namespace: pod.metadata?.namespace ?? '' });
  }

  private enqueueServices(keys: Set<string>): void {
    for (const key of keys) {
      if (this.s.batchPeriodMs > 0) this.queue.addAfter(key, this.s.batchPeriodMs);
      else this.queue.add(key);
    }
  }

  private enqueueForSlice(slice: V1EndpointSlice): void {
    const name = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!name) return;
    this.queue.addAfter(`${slice.metadata?.namespace}/${name}`, Math.max(this.s.sliceChangeMinSyncDelayMs, this.s.batchPeriodMs));
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.cachesSynced(signal, [this.services, this.pods, this.slices, this.nodes]))) return;
    await this.runWorkers(signal, withRetryLimit(this.queue, (key) => this.reconcile(key)));
  }

  private serviceSlices(namespace: string, name: string): Slice[] {
    return this.slices.lister().list({ namespace, labelSelector: { [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: CONTROLLER_NAME } });
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace = '', name } = splitObjectKey(key);
    const api = this.o.client.resource<Slice>('discovery.k8s.io/v1', 'EndpointSlice');
    const service = this.services.lister().get(name, namespace);
    if (!service) {
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.deleteService(key);
      for (const slice of this.serviceSlices(namespace, name)) {
        if (slice.metadata?.deletionTimestamp) continue;
        try {
          await api.delete(slice.metadata?.name ?? '', { namespace, ...(slice.metadata?.uid ? { preconditions: { uid: slice.metadata.uid } } : {}) });
        } catch (err) {
          // gone, or already replaced by a slice of a new Service of the same name
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
      }
      return;
    }
    if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;

    const pods = this.pods.lister().list({ namespace, labelSelector: service.spec!.selector! });
    // slices pending deletion are dropped so the controller never gets stuck on them
    const slices = this.serviceSlices(namespace, name).filter((s) => !s.metadata?.deletionTimestamp);
    if (this.tracker.staleSlices(key, slices)) throw new Error('EndpointSlice informer cache is out of date');
    const triggerTime = this.triggerTimes.compute(service, pods);

    const plan = planSlices({
      service,
      pods,
      existing: slices,
      node: (nodeName) => this.nodes.lister().get(nodeName),
      maxEndpointsPerSlice: this.s.maxEndpointsPerSlice,
    });
    try {
      await this.write(api, service, plan, triggerTime);
      if (plan.skipped.length > 0) {
        throw new Error(plan.skipped.map((pod) => `skipping Pod ${pod} for Service ${namespace}/${name}: Node not found`).join('; '));
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.o.recorder?.event(service, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${message}`);
      throw err;
    }
  }

  private async write(api: ReturnType<KubeClient['resource']>, service: V1Service, plan: ReturnType<typeof planSlices>, triggerTime: number | undefined): Promise<void> {
    const ref = `${service.metadata?.namespace}/${service.metadata?.name}`;
    // no new slices for a Service being deleted: they would race the garbage collector
    if (!service.metadata?.deletionTimestamp) {
      for (const slice of plan.create) {
        withTriggerTime(slice, triggerTime);
        try {
          this.tracker.update((await api.create(slice as Slice)) as Slice);
        } catch (err) {
          if (isNamespaceTerminating(err)) return;
          throw new Error(`failed to create EndpointSlice for Service ${ref}: ${errorText(err)}`, { cause: err });
        }
      }
    }
    for (const slice of plan.update) {
      withTriggerTime(slice, triggerTime);
      try {
        this.tracker.update((await api.update(slice as Slice)) as Slice);
      } catch (err) {
        throw new Error(`failed to update ${slice.metadata?.name} EndpointSlice for Service ${ref}: ${errorText(err)}`, { cause: err });
      }
    }
    for (const slice of plan.delete) {
      try {
        await api.delete(slice.metadata?.name ?? '', { namespace: service.metadata?.namespace ?? '' });
        this.tracker.expectDeletion(slice);
      } catch (err) {
        if (isNotFound(err)) continue;
        throw new Error(`failed to delete ${slice.metadata?.name} EndpointSlice for Service ${ref}: ${errorText(err)}`, { cause: err });
      }
    }
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** addTriggerTimeAnnotation: set it, or remove it when no trigger time moved */
function withTriggerTime(slice: V1EndpointSlice, triggerTime: number | undefined): void {
  const meta = (slice.metadata ??= {});
  const annotations = { ...(meta.annotations ?? {}) };
  if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = formatRFC3339Nano(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  meta.annotations = annotations;
}
