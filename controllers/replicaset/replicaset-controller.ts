/**
 * The ReplicaSet controller (kube's pkg/controller/replicaset): keeps spec.replicas active
 * pods for every ReplicaSet, and its status true to them.
 *
 * Level-based, client-go style: informer handlers only enqueue ReplicaSet keys and account
 * for expectations; reconcile(key) reads the ReplicaSet and the namespace's pods from the
 * caches and converges:
 *
 *   ReplicaSet added/changed/deleted → its key (deleted: its expectations are dropped)
 *   pod with a controllerRef         → the owning ReplicaSet (by name, checked by uid);
 *                                      added = an expected creation seen, deletionTimestamp
 *                                      or deleted = an expected deletion seen
 *   orphan pod added/relabelled      → every ReplicaSet whose selector matches (adoption)
 *
 * reconcile: claim the active pods (adopt matching orphans, release owned pods that no
 * longer match), then — only when the expectations of earlier creates/deletes are met, so
 * a lagging cache never causes a second round of the same creates — create the missing
 * pods in slow-start batches or delete the surplus (the cheapest first, pod-ranking.ts),
 * at most burstReplicas per sync; a ReplicaSet being deleted only gets its status. Then
 * the status is written through PUT …/status when it changed.
 *
 * Outcomes: a failed create/delete sets ReplicaFailure in the status and is thrown (rate-
 * limited retry); a 409 on the status write is retried once on a fresh read, then thrown;
 * pods waiting out minReadySeconds ask for a timed requeue when the first becomes available.
 *
 * The same code serves ReplicationControllers in kube (`replicationcontroller`); the kind
 * is a parameter here for that reason.
 */
import type { V1LabelSelector, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';

import { ApiError, isNotFound } from '../../client/api-error.js';

import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type Lister, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { claimObjects } from '../common/claim-objects.js';
import { getControllerOf, newControllerRef, type OwnerReference } from '../common/controller-ref.js';
import { UIDTrackingExpectations } from '../common/expectations.js';
import { PodControl } from '../common/pod-control.js';
import { isPodActive, isPodReady } from '../common/pod-status.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { resolveControllerRef } from '../common/resolve-controller-ref.js';
import { labelSelectorMatcher, selectorMatchesOrFalse } from '../label-selector.js';
import { podsToDelete } from './pod-ranking.js';
import { addPodsByControllerIndex, podsOwnedOrOrphaned } from './pods-by-controller.js';
import {
  calculateStatus,
  desiredReplicas,
  nextAvailableAt,
  replicaChange,
  statusUpToDate,
  type ReplicaSetLike,
  type ReplicaSetStatus,
} from './replica-set-status.js';
import { slowStartBatch } from './slow-start-batch.js';

/** kube's BurstReplicas: pods created or deleted per sync, at most */
export const DEFAULT_BURST_REPLICAS = 500;
/** kube's --concurrent-replicaset-syncs */
export const DEFAULT_REPLICASET_WORKERS = 5;
/** kube's SlowStartInitialBatchSize */
const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** kube's statusUpdateRetries: one more PUT on a fresh read after a failed one */
const STATUS_UPDATE_RETRIES = 1;

export interface ReplicaSetSettings {
  /** pods created or deleted in one sync of one ReplicaSet (kube: 500) */
  burstReplicas?: number;
  /** ReplicaSets synced at once (kube's --concurrent-replicaset-syncs, 5) */
  workers?: number;
}

/** which kind this instance manages: apps/v1 ReplicaSet, or v1 ReplicationController */
export interface ManagedKind {
  apiVersion: string;
  kind: string;
}

export const REPLICA_SET_KIND: ManagedKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

export interface ReplicaSetControllerOptions extends ControllerOptions<ReplicaSetSettings> {
  /** events about the ReplicaSet's pods (source `replicaset-controller`) */
  recorder: EventRecorder;
  managed?: ManagedKind;
}

type ReplicaSet = ReplicaSetLike & KubeObject & { spec?: ReplicaSetLike['spec'] & { selector?: V1LabelSelector; template?: V1PodTemplateSpec } };

const asPod = (obj: KubeObject): V1Pod => obj as unknown as V1Pod;
const podKey = (pod: KubeObject): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** the API server refused a create because the namespace is being deleted (kube ignores those) */
const namespaceTerminating = (err: unknown): boolean => err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');

export class ReplicaSetController extends QueueController {
  readonly expectations: UIDTrackingExpectations;
  private readonly managed: ManagedKind;
  private readonly burstReplicas: number;
  private readonly replicaSets: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly rsLister: Lister<KubeObject>;
  private readonly podLister: Lister<KubeObject>;
  private readonly rsClient: ResourceClient<KubeObject>;
  private readonly podClient: ResourceClient<KubeObject>;
  private readonly podControl: PodControl;

  constructor(opts: ReplicaSetControllerOptions) {
    const settings = opts.settings ?? {};
    super(opts, settings.workers ?? DEFAULT_REPLICASET_WORKERS);
    this.managed = opts.managed ?? REPLICA_SET_KIND;
    this.burstReplicas = settings.burstReplicas ?? DEFAULT_BURST_REPLICAS;
    if (!(Number.isInteger(this.burstReplicas) && this.burstReplicas > 0)) throw new Error(`replicaset: burstReplicas must be a positive integer, got ${settings.burstReplicas}`);
    this.expectations = new UIDTrackingExpectations(this.clock);
    this.rsClient = opts.client.resource(this.managed.apiVersion, this.managed.kind);
    this.podClient = opts.client.resource('v1', 'Pod');
    this.podControl = new PodControl(opts.client, opts.recorder);

    this.replicaSets = opts.informers.informerFor(this.managed.apiVersion, this.managed.kind);
    this.pods = opts.informers.informerFor('v1', 'Pod');
    addPodsByControllerIndex(this.pods);
    this.rsLister = this.replicaSets.lister();
    this.podLister = this.pods.lister();

    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, rs) => {
        // the same name re-created: what was expected of the old one will never be seen
        if (old.metadata?.uid !== rs.metadata?.uid) this.expectations.deleteExpectations(objectKey(old));
        // every update, not just spec changes: a resync then retries creates that failed
        this.enqueue(rs);
      },
      onDelete: (rs) => {
        this.expectations.deleteExpectations(objectKey(rs));
        this.enqueue(rs);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  /** wait for the caches, then sync ReplicaSets until the signal aborts */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.cachesSynced(signal, [this.replicaSets, this.pods]))) return;
    this.logger.info({ kind: this.managed.kind }, 'caches synced; syncing replica sets');
    await this.runWorkers(signal);
  }

  /** kube's syncReplicaSet */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.rsLister.getByKey(key);
    if (!cached) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const rs = { ...cached, apiVersion: this.managed.apiVersion, kind: this.managed.kind } as ReplicaSet;
    const needsSync = this.expectations.satisfied(key);
    let matches: (labels: Record<string, string> | undefined) => boolean;
    try {
      matches = labelSelectorMatcher(rs.spec?.selector);
    } catch (err) {
      // the API server validates selectors; a bad one cannot be fixed by retrying
      this.logger.error({ err, key }, 'invalid selector; not syncing');
      return;
    }

    // our pods (including those that no longer match: they must be released) and the orphans we may adopt
    const active = podsOwnedOrOrphaned(this.pods, rs).filter((p) => isPodActive(asPod(p)));
    const claimed = (
      await claimObjects({
        owner: rs,
        controllerRef: this.controllerRef(rs),
        matches: (pod) => matches(pod.metadata?.labels),
        objects: active,
        client: this.podClient,
        recheckOwner: () => this.freshReplicaSet(rs),
      })
    ).map(asPod);

    let manageError: unknown;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, claimed);
      } catch (err) {
        manageError = err ?? new Error('unknown error');
      }
    }

    const now = this.clock.now();
    const status = calculateStatus(rs, claimed, manageError, now);
    if (!statusUpToDate(rs, status)) await this.writeStatus(rs, status);
    if (manageError !== undefined) throw manageError;
    const next = nextAvailableAt(rs, claimed, now);
    return next !== undefined ? { requeueAfter: next - now } : undefined;
  }

  /** kube's manageReplicas: create or delete toward spec.replicas, accounting for expectations */
  private async manageReplicas(key: string, rs: ReplicaSet, pods: V1Pod[]): Promise<void> {
    const change = replicaChange(pods.length, desiredReplicas(rs), this.burstReplicas);
    if (!change) return;
    const namespace = rs.metadata?.namespace ?? '';
    if ('create' in change) {
      const count = change.create;
      this.expectations.expectCreations(key, count);
      this.logger.debug({ key, need: desiredReplicas(rs), creating: count }, 'too few replicas');
      const template = rs.spec?.template ?? {};
      const ref = this.controllerRef(rs);
      const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.podControl.createPod(namespace, template, rs, ref);
        } catch (err) {
          // every create would fail; the namespace's deletion removes this ReplicaSet anyway
          if (namespaceTerminating(err)) return;
          throw err;
        }
      });
      // creates never attempted (or failed) will never be observed: stop waiting for them
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return;
    }

    const count = change.delete;
    const victims = podsToDelete(pods, this.relatedPods(rs), count, this.clock.now());
    // remember WHICH pods, so a deletion seen twice (deletionTimestamp, then gone) counts once
    this.expectations.expectDeletionsOf(key, victims.map((p) => podKey(p as KubeObject)));
    this.logger.debug({ key, need: desiredReplicas(rs), deleting: count }, 'too many replicas');
    const errors: unknown[] = [];
    await Promise.all(
      victims.map(async (pod) => {
        try {
          const deleted = await this.podControl.deletePod(namespace, pod.metadata?.name ?? '', rs);
          if (!deleted) this.expectations.deletionObservedOf(key, podKey(pod as KubeObject));
        } catch (err) {
          this.expectations.deletionObservedOf(key, podKey(pod as KubeObject));
          if (!isNotFound(err)) errors.push(err);
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
  }

  /**
   * kube's getIndirectlyRelatedPods: the pods of every ReplicaSet sharing this one's
   * controller (a Deployment's old and new ReplicaSets), for ranking by co-location.
   */
  private relatedPods(rs: ReplicaSet): V1Pod[] {
    const owner = getControllerOf(rs);
    if (!owner) return [];
    const namespace = rs.metadata?.namespace ?? '';
    const seen = new Set<string>();
    const related: V1Pod[] = [];
    const pods = this.podLister.list({ namespace });
    for (const other of this.rsLister.list({ namespace })) {
      if (getControllerOf(other)?.uid !== owner.uid) continue;
      let matches: (labels: Record<string, string> | undefined) => boolean;
      try {
        matches = labelSelectorMatcher((other as ReplicaSet).spec?.selector);
      } catch {
        continue;
      }
      for (const pod of pods) {
        const uid = pod.metadata?.uid ?? podKey(pod);
        if (seen.has(uid) || !matches(pod.metadata?.labels)) continue;
        seen.add(uid);
        related.push(asPod(pod));
      }
    }
    return related;
  }

  /** PUT …/status; on failure, once more on a fresh read (kube's updateReplicaSetStatus) */
  private async writeStatus(rs: ReplicaSet, status: ReplicaSetStatus): Promise<void> {
    // the generation the status was computed from, even when retrying on a newer object:
    // a spec change seen only in the fresh read has not been acted on yet
    const observed = { ...status, observedGeneration: rs.metadata?.generation ?? 0 };
    let current: KubeObject = rs;
    for (let attempt = 0; ; attempt++) {
      const body = { ...structuredClone(current), apiVersion: this.managed.apiVersion, kind: this.managed.kind, status: observed };
      try {
        await this.rsClient.updateStatus(body);
        this.logger.debug({ key: objectKey(body), status: body.status }, 'updated replica set status');
        return;
      } catch (err) {
        if (attempt >= STATUS_UPDATE_RETRIES) throw err;
        this.logger.debug({ err: messageOf(err), key: objectKey(body) }, 'status update failed; retrying on a fresh read');
        const fresh = await this.rsClient.get(rs.metadata?.name ?? '', { namespace: rs.metadata?.namespace ?? '' });
        if (fresh.metadata?.uid !== rs.metadata?.uid) throw err;
        current = fresh;
      }
    }
  }

  /** an uncached read of the ReplicaSet before adopting (undefined when it is gone) */
  private async freshReplicaSet(rs: ReplicaSet): Promise<KubeObject | undefined> {
    try {
      return await this.rsClient.get(rs.metadata?.name ?? '', { namespace: rs.metadata?.namespace ?? '' });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private controllerRef(rs: KubeObject): OwnerReference {
    return newControllerRef(rs, this.managed.apiVersion, this.managed.kind);
  }

  /** kube's resolveControllerRef: the cached ReplicaSet a controllerRef names, if it is still that one */
  private resolveControllerRef(namespace: string | undefined, ref: OwnerReference): KubeObject | undefined {
    return resolveControllerRef(this.rsLister, this.managed, namespace, ref);
  }

  /** kube's GetPodReplicaSets: ReplicaSets whose (non-empty) selector matches an orphan */
  private replicaSetsSelecting(pod: KubeObject): KubeObject[] {
    const namespace = pod.metadata?.namespace;
    if (!namespace) return [];
    const selecting = this.rsLister.list({ namespace }).filter((rs) => {
      const selector = (rs as ReplicaSet).spec?.selector;
      const empty = !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
      return !empty && selectorMatchesOrFalse(selector, pod.metadata?.labels);
    });
    // controllerRefs keep this safe (the first to adopt wins), but it is a user error all the same
    if (selecting.length > 1) this.logger.warn({ pod: podKey(pod), labels: pod.metadata?.labels }, `user error! more than one ${this.managed.kind} is selecting pods with these labels`);
    return selecting;
  }

  private podAdded(pod: KubeObject): void {
    // a pod already being deleted (seen first after a restart) is not a creation
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!rs) return;
      const key = objectKey(rs);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    // an orphan: every ReplicaSet that may adopt it looks (no creation observed: nobody made it)
    for (const rs of this.replicaSetsSelecting(pod)) this.enqueue(rs);
  }

  private podUpdated(old: KubeObject, pod: KubeObject): void {
    // a periodic resync: nothing changed
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
    if (pod.metadata?.deletionTimestamp) {
      // graceful deletion started: replace the pod now, not when the kubelet finally removes it
      this.podDeleted(pod);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const ref = getControllerOf(pod);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(ref) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const previous = this.resolveControllerRef(old.metadata?.namespace, oldRef);
      if (previous) this.enqueue(previous);
    }
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!rs) return;
      this.enqueue(rs);
      // availability is not a pod change: look again once the pod has been ready minReadySeconds
      const minReadySeconds = (rs as ReplicaSet).spec?.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && !isPodReady(asPod(old)) && isPodReady(asPod(pod))) this.queue.addAfter(objectKey(rs), minReadySeconds * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsSelecting(pod)) this.enqueue(rs);
  }

  private podDeleted(pod: KubeObject): void {
    const ref = getControllerOf(pod);
    if (!ref) return; // nobody waits for an orphan to go
    const rs = this.resolveControllerRef(pod.metadata?.namespace, ref);
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObservedOf(key, podKey(pod));
    this.queue.add(key);
  }
}
