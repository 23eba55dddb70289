/**
 * kube's garbage collector (pkg/controller/garbagecollector): deletes objects whose
 * owners are all gone, and carries out the Foreground and Orphan propagation policies the
 * API server records as the finalizers foregroundDeletion and orphan.
 *
 *   monitors       an informer for every kind that serves list+watch+delete (discovery at
 *                  start, again every rediscoveryPeriodMs for new CRDs), all from the
 *                  shared factory; their events feed the DependencyGraph
 *   attemptToDelete (uid) a dependent whose owners may be gone, a virtual owner to verify,
 *                  or a foreground owner to finish (dependent-plan.ts decides)
 *   attemptToOrphan (uid) an owner with the orphan finalizer: drop its reference from every
 *                  dependent, then the finalizer
 *
 * Owners are always verified with a live GET before anything is deleted (the caches may
 * lag); a dependent whose owners exist causes no writes. Every write carries a uid or
 * resourceVersion precondition; a conflict requeues with backoff.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { isConflict, isNotFound } from '../../client/api-error.js';
import type { Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { HandlerRegistration } from '../../client/informers/event-handler.js';
import type { SharedInformerFactory } from '../../client/informers/informer-factory.js';
import type { SharedInformer } from '../../client/informers/shared-informer.js';
import type { KubeClient, KubeObject } from '../../client/types.js';
import { RateLimitingQueue, runWorkers, type ReconcileResult } from '../../client/workqueue/index.js';
import type { RunnableController } from '../controller-context.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { apiVersionOfMapping, deletableResources, type DiscoveredResource } from './deletable-resources.js';
import { blockingDependents, DependencyGraph, type GraphEvent, type GraphFollowUp, type GraphNode } from './dependency-graph.js';
import { classifyOwner, planForDependent, removeFinalizerPatch, removeOwnerReferencesPatch, unblockOwnerReferencesPatch, type ClassifiedOwner, type PropagationPolicy } from './dependent-plan.js';
import { describeIdentity, FOREGROUND_FINALIZER, identityOf, identityOfOwner, ORPHAN_FINALIZER, type ObjectIdentity, type OwnerReference } from './object-identity.js';

export interface GarbageCollectorSettings {
  /** kube's --concurrent-gc-syncs (default 20): workers of the attemptToDelete queue (attemptToOrphan gets the same) */
  workers?: number;
  /** how often discovery is read again to watch kinds added since (kube: 30 s); 0 = only at start */
  rediscoveryPeriodMs?: number;
  /** how long to wait before retrying a failed discovery at start (default 1 s) */
  discoveryRetryMs?: number;
}

export const DEFAULT_GC_WORKERS = 20;
export const DEFAULT_REDISCOVERY_PERIOD_MS = 30_000;
/** kube's ItemExponentialFailureRateLimiter bounds, for re-checking a virtual node */
const VIRTUAL_RECHECK_BASE_MS = 5;
const VIRTUAL_RECHECK_MAX_MS = 1000_000;
/** client-go's retry.DefaultRetry steps, for finalizer and reference patches */
const CONFLICT_RETRIES = 5;

export interface GarbageCollectorOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  logger: Logger;
  recorder: EventRecorder;
  settings?: GarbageCollectorSettings;
}

/** a cluster-scoped dependent names a namespaced owner: kube reports it and never retries */
class InvalidNamespaceOwner extends Error {
  constructor(readonly ref: OwnerReference) {
    super('cluster-scoped object refers to a namespaced owner');
  }
}

interface Monitor {
  informer: SharedInformer;
  registration: HandlerRegistration;
}

export class GarbageCollector implements RunnableController {
  readonly graph: DependencyGraph;
  readonly absentOwners = new AbsentOwnerCache();
  readonly attemptToDelete: RateLimitingQueue<string>;
  readonly attemptToOrphan: RateLimitingQueue<string>;
  private readonly monitors = new Map<string, Monitor>();
  private readonly virtualRechecks = new Map<string, number>();
  private readonly client: KubeClient;
  private readonly informers: SharedInformerFactory;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly recorder: EventRecorder;
  private readonly workers: number;
  private readonly rediscoveryPeriodMs: number;
  private readonly discoveryRetryMs: number;

  constructor(opts: GarbageCollectorOptions) {
    this.client = opts.client;
    this.informers = opts.informers;
    this.clock = opts.clock;
    this.logger = opts.logger;
    this.recorder = opts.recorder;
    this.workers = opts.settings?.workers ?? DEFAULT_GC_WORKERS;
    this.rediscoveryPeriodMs = opts.settings?.rediscoveryPeriodMs ?? DEFAULT_REDISCOVERY_PERIOD_MS;
    this.discoveryRetryMs = opts.settings?.discoveryRetryMs ?? 1000;
    this.graph = new DependencyGraph(this.absentOwners);
    this.attemptToDelete = new RateLimitingQueue<string>({ clock: this.clock });
    this.attemptToOrphan = new RateLimitingQueue<string>({ clock: this.clock });
  }

  async run(signal: AbortSignal): Promise<void> {
    // discovery is I/O, so it happens here and not in start(); retried until it works
    let resources: DiscoveredResource[] | undefined;
    while (!resources) {
      try {
        resources = await this.discover();
      } catch (err) {
        if (signal.aborted) return;
        this.logger.warn({ err }, 'garbage collector: discovery failed; will retry');
        try {
          await this.clock.sleep(this.discoveryRetryMs, signal);
        } catch {
          return;
        }
      }
    }
    const informers = this.syncMonitors(resources);
    let stopRediscovery = () => {};
    try {
      // informers asked for after the manager started the factory start at once; this covers a collector run without it
      this.informers.start(signal);
      // one at a time: they sync concurrently anyway, and a waiter per informer on one signal would be ~40 abort listeners
      for (const informer of informers) if (!(await informer.waitForSync(signal))) return;
      this.logger.info({ kinds: this.monitors.size, nodes: this.graph.size }, 'garbage collector: all resource monitors have synced; proceeding to collect garbage');
      if (this.rediscoveryPeriodMs > 0) stopRediscovery = this.startRediscovery(signal);
      await Promise.all([
        runWorkers(this.attemptToDelete, (uid) => this.attemptToDeleteItem(uid), { workers: this.workers, logger: this.logger, signal }),
        runWorkers(this.attemptToOrphan, (uid) => this.attemptToOrphanItem(uid), { workers: this.workers, logger: this.logger, signal }),
      ]);
    } finally {
      stopRediscovery();
      for (const monitor of this.monitors.values()) monitor.registration.remove();
      this.attemptToDelete.shutDown();
      this.attemptToOrphan.shutDown();
    }
  }

  /** feed one graph event and enqueue what it asks for (also used by tests) */
  applyGraphEvent(event: GraphEvent): GraphFollowUp {
    const follow = this.graph.apply(event);
    for (const uid of follow.attemptToDelete) this.attemptToDelete.add(uid);
    for (const uid of follow.attemptToOrphan) this.attemptToOrphan.add(uid);
    return follow;
  }

  /** the kinds to watch, per discovery (preferred versions) */
  async discover(): Promise<DiscoveredResource[]> {
    if (!this.client.serverResources) throw new Error('the client cannot enumerate server resources (no serverResources())');
    return deletableResources(await this.client.serverResources());
  }

  /**
   * Watch each kind not yet watched (kube's resyncMonitors adds monitors for new kinds);
   * returns the informers of the kinds added. Kinds gone from discovery stop feeding the
   * graph (their informer stays in the shared factory, which cannot stop one informer).
   */
  syncMonitors(resources: DiscoveredResource[]): SharedInformer[] {
    const added: SharedInformer[] = [];
    const wanted = new Set<string>();
    for (const r of resources) {
      const apiVersion = apiVersionOfMapping(r);
      const key = `${apiVersion}/${r.kind}`;
      wanted.add(key);
      if (this.monitors.has(key)) continue;
      const informer = this.informers.informerFor(apiVersion, r.kind);
      const registration = informer.addEventHandler({
        onAdd: (obj) => this.applyGraphEvent({ type: 'observed', identity: identityOf(obj, apiVersion, r.kind), object: obj }),
        onUpdate: (old, obj) => this.applyGraphEvent({ type: 'observed', identity: identityOf(obj, apiVersion, r.kind), object: obj, old }),
        onDelete: (obj) => this.applyGraphEvent({ type: 'deleted', identity: identityOf(obj, apiVersion, r.kind) }),
      });
      this.monitors.set(key, { informer, registration });
      added.push(informer);
    }
    for (const [key, monitor] of this.monitors) {
      if (wanted.has(key)) continue;
      monitor.registration.remove();
      this.monitors.delete(key);
    }
    return added;
  }

  private startRediscovery(signal: AbortSignal): () => void {
    let cancel: (() => void) | undefined;
    const tick = () => {
      if (signal.aborted) return;
      this.discover()
        .then((resources) => {
          const added = this.syncMonitors(resources);
          if (added.length) this.logger.info({ added: added.length }, 'garbage collector: watching new resource kinds');
        })
        .catch((err: unknown) => this.logger.warn({ err }, 'garbage collector: rediscovery failed'))
        .finally(() => {
          if (!signal.aborted) cancel = this.clock.setTimer(this.rediscoveryPeriodMs, tick);
        });
    };
    cancel = this.clock.setTimer(this.rediscoveryPeriodMs, tick);
    return () => cancel?.();
  }

  // ---- attemptToDelete ----

  async attemptToDeleteItem(uid: string): Promise<ReconcileResult> {
    const node = this.graph.get(uid);
    if (!node) return; // gone from the graph since it was queued: nothing to decide
    // already being deleted (and not waiting for its own dependents): the deletion is under
    // way; deleting it again would only be another write (kube returns here too)
    if (node.beingDeleted && !node.deletingDependents) return;
    const id = node.identity;
    const latest = await this.getObject(id);
    if (!latest || latest.metadata?.uid !== id.uid) {
      // nothing with these coordinates and this uid exists: tell the graph, which sends the dependents here
      this.virtualRechecks.delete(uid);
      this.applyGraphEvent({ type: 'virtualDeleted', identity: id });
      return;
    }
    if (node.deletingDependents) {
      await this.processDeletingDependents(node);
    } else {
      const refs = latest.metadata?.ownerReferences ?? [];
      if (refs.length) await this.collectIfOrphaned(node, latest, refs);
    }
    // an object known only from references that does exist: look again until its informer shows it
    if (node.virtual && this.graph.get(uid) === node) return { requeueAfter: this.nextVirtualRecheck(uid) };
    this.virtualRechecks.delete(uid);
    return;
  }

  private nextVirtualRecheck(uid: string): number {
    const n = this.virtualRechecks.get(uid) ?? 0;
    this.virtualRechecks.set(uid, n + 1);
    return Math.min(VIRTUAL_RECHECK_BASE_MS * 2 ** n, VIRTUAL_RECHECK_MAX_MS);
  }

  private async collectIfOrphaned(node: GraphNode, latest: KubeObject, refs: OwnerReference[]): Promise<void> {
    const id = node.identity;
    const owners: ClassifiedOwner[] = [];
    for (const ref of refs) {
      try {
        owners.push({ ref, state: classifyOwner(ref, await this.ownerOf(ref, id)) });
      } catch (err) {
        if (!(err instanceof InvalidNamespaceOwner)) throw err;
        const owner = identityOfOwner(ref, id.namespace);
        this.recorder.event(
          { apiVersion: id.apiVersion, kind: id.kind, metadata: { name: id.name, uid: id.uid } },
          'Warning',
          'OwnerRefInvalidNamespace',
          `ownerRef ${describeIdentity(owner)} does not exist in namespace ${JSON.stringify(id.namespace)}`,
        );
        this.logger.info({ dependent: describeIdentity(id), owner: describeIdentity(owner) }, 'garbage collector: a cluster-scoped object refers to a namespaced owner; leaving it');
        return;
      }
    }
    const dependents = [...node.dependents];
    const plan = planForDependent(latest, owners, {
      hasDependents: dependents.length > 0,
      aDependentIsDeletingDependents: dependents.some((d) => d.deletingDependents),
    });
    switch (plan.action) {
      case 'none':
        return;
      case 'removeOwnerReferences':
        this.logger.info({ object: describeIdentity(id), owners: plan.uids }, 'garbage collector: removing dangling owner references');
        await this.patchIgnoringNotFound(id, removeOwnerReferencesPatch(latest, plan.uids));
        return;
      case 'delete': {
        let target = latest;
        if (plan.unblockOwnerReferences) {
          // a dependent of ours is itself waiting for its dependents: unblock our owners first, or a cycle waits forever
          const patch = unblockOwnerReferencesPatch(latest);
          if (patch) {
            const patched = await this.patchIgnoringNotFound(id, patch);
            if (!patched) return;
            target = patched;
          }
        }
        this.logger.info({ object: describeIdentity(id), propagationPolicy: plan.policy }, 'garbage collector: deleting an object whose owners are gone');
        await this.deleteObject(id, target, plan.policy);
        return;
      }
    }
  }

  /**
   * The owner a reference names, by a live GET (undefined when absent). Owners found
   * absent are remembered, so the dependents of one deleted owner cost one GET.
   */
  private async ownerOf(ref: OwnerReference, dependent: ObjectIdentity): Promise<KubeObject | undefined> {
    const mapping = await this.client.mapping(ref.apiVersion, ref.kind);
    if (mapping.namespaced && !dependent.namespace) throw new InvalidNamespaceOwner(ref);
    const owner = identityOfOwner(ref, mapping.namespaced ? dependent.namespace : '');
    if (this.absentOwners.has(owner)) return undefined;
    const found = await this.getObject(owner);
    if (!found || found.metadata?.uid !== ref.uid) {
      this.absentOwners.add(owner);
      return undefined;
    }
    return found;
  }

  /** delete with a uid+resourceVersion precondition; if only the resourceVersion moved and the owners did not change, with the uid alone */
  private async deleteObject(id: ObjectIdentity, latest: KubeObject, policy: PropagationPolicy): Promise<void> {
    const api = this.client.resource(id.apiVersion, id.kind);
    const namespace = id.namespace || undefined;
    const resourceVersion = latest.metadata?.resourceVersion;
    try {
      await api.delete(id.name, { ...(namespace ? { namespace } : {}), propagationPolicy: policy, preconditions: { uid: id.uid, ...(resourceVersion ? { resourceVersion } : {}) } });
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err) || !resourceVersion) throw err;
    }
    const live = await this.getObject(id);
    if (!live || live.metadata?.uid !== id.uid) return;
    if (!isDeepStrictEqual(live.metadata?.ownerReferences ?? [], latest.metadata?.ownerReferences ?? [])) {
      throw new Error(`${describeIdentity(id)}: its owner references changed while it was being collected; checking again`);
    }
    try {
      await api.delete(id.name, { ...(namespace ? { namespace } : {}), propagationPolicy: policy, preconditions: { uid: id.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** a foreground owner: finished (finalizer removed) once no dependent blocks it; else its blockers are (re)queued */
  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blockers = blockingDependents(node);
    if (blockers.length === 0) {
      await this.removeFinalizer(node.identity, FOREGROUND_FINALIZER);
      return;
    }
    for (const dependent of blockers) {
      if (!dependent.deletingDependents) this.attemptToDelete.add(dependent.identity.uid);
    }
  }

  // ---- attemptToOrphan ----

  async attemptToOrphanItem(uid: string): Promise<ReconcileResult> {
    const node = this.graph.get(uid);
    if (!node) return;
    const owner = node.identity;
    const results = await Promise.allSettled([...node.dependents].map((d) => this.removeOwnerReference(d.identity, owner.uid)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) {
      throw new Error(`${describeIdentity(owner)}: could not orphan ${failed.length} dependent(s): ${failed.map((f) => String(f.reason)).join('; ')}`);
    }
    await this.removeFinalizer(owner, ORPHAN_FINALIZER);
    return;
  }

  private async removeOwnerReference(dependent: ObjectIdentity, ownerUid: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const latest = await this.getObject(dependent);
      if (!latest || latest.metadata?.uid !== dependent.uid) return;
      if (!(latest.metadata?.ownerReferences ?? []).some((r) => r.uid === ownerUid)) return;
      try {
        await this.patchIgnoringNotFound(dependent, removeOwnerReferencesPatch(latest, [ownerUid]));
        return;
      } catch (err) {
        if (!isConflict(err) || attempt + 1 >= CONFLICT_RETRIES) throw err;
      }
    }
  }

  // ---- shared I/O ----

  /** remove a finalizer, re-reading the object on conflict (client-go's RetryOnConflict) */
  private async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const latest = await this.getObject(id);
      if (!latest || latest.metadata?.uid !== id.uid) return;
      const patch = removeFinalizerPatch(latest, finalizer);
      if (!patch) return;
      try {
        await this.patchIgnoringNotFound(id, patch);
        this.logger.info({ object: describeIdentity(id), finalizer }, 'garbage collector: removed the finalizer');
        return;
      } catch (err) {
        if (!isConflict(err) || attempt + 1 >= CONFLICT_RETRIES) throw err;
      }
    }
  }

  /** a live GET; undefined on 404 */
  private async getObject(id: ObjectIdentity): Promise<KubeObject | undefined> {
    // a virtual node guessed from a cluster-scoped dependent may name a namespaced kind with no namespace: nothing lives there
    if (!id.namespace && (await this.client.mapping(id.apiVersion, id.kind)).namespaced) return undefined;
    try {
      return await this.client.resource(id.apiVersion, id.kind).get(id.name, id.namespace ? { namespace: id.namespace } : {});
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async patchIgnoringNotFound(id: ObjectIdentity, patch: unknown): Promise<KubeObject | undefined> {
    try {
      return await this.client.resource(id.apiVersion, id.kind).patch(id.name, 'merge', patch, id.namespace ? { namespace: id.namespace } : {});
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
