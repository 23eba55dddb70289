/**
 * The Deployment controller (kube's pkg/controller/deployment): rolls a Deployment's pod
 * template out through ReplicaSets. Each template gets its own RS, named
 * `<deployment>-<pod-template-hash>`; a rolling update grows the new RS and shrinks the
 * old ones within maxSurge/maxUnavailable, Recreate empties the old ones first. It never
 * touches pods: the ReplicaSet controller does, and reports back through RS status.
 *
 * Level-based, client-go style. Informer handlers only enqueue Deployment keys
 * (event-routing.ts):
 *   Deployment added/changed/deleted      → its key
 *   ReplicaSet added/changed/deleted      → its controller's key (an orphan: every
 *                                           Deployment whose selector matches it)
 *   Pod deleted                            → a Recreate Deployment left without pods
 * reconcile(key) follows kube's syncDeployment step for step: claim the RSs, then
 *   deleting → status only; paused → scale only (and clean up history);
 *   spec.replicas changed (desired-replicas annotation differs) → proportional scaling;
 *   otherwise one step of the strategy, then the status.
 * Only writes what differs, so our own writes coming back as events end in no-op syncs.
 * While a rollout is in progress a timed requeue checks the progress deadline.
 *
 * The Deployment's revision annotation is written as kube writes it, with the status
 * through the status subresource (kube's Deployment status strategy keeps annotations,
 * and /status writes never bump the generation, while an annotation change through the
 * main resource does). Should the server drop annotations on /status, the controller
 * falls back to a metadata merge patch — which costs a generation bump and a sync.
 */
import type { V1Pod } from '@kubernetes/client-node';

import { ApiError, isAlreadyExists, isNotFound } from '../../client/api-error.js';

import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type Lister, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import { TerminalError, type ReconcileResult } from '../../client/workqueue/index.js';
import { claimObjects } from '../common/claim-objects.js';
import { getControllerOf, newControllerRef } from '../common/controller-ref.js';
import { CONTROLLER_FIELD_MANAGER } from '../common/pod-control.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { labelSelectorMatcher } from '../label-selector.js';
import { DESIRED_REPLICAS_ANNOTATION, REVISION_ANNOTATION, intAnnotation, maxRevision, replicasAnnotationsNeedUpdate, setNewReplicaSetAnnotations, setReplicasAnnotations } from './annotations.js';
import {
  PROGRESSING,
  REASON,
  calculateStatus,
  deploymentComplete,
  getCondition,
  newCondition,
  pausedConditionStatus,
  progressCheckAfter,
  rolloutStatus,
  sameStatus,
  setCondition,
  wireStatus,
} from './deployment-status.js';
import { EventRouting } from './event-routing.js';
import { computeHash, equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { filterActive, findNewReplicaSet, findOldReplicaSets } from './replica-sets.js';
import { hasProgressDeadline, maxSurge, newRSNewReplicas } from './rollout-math.js';
import { newReplicaSetTarget, oldPodsRunning, planOldReplicaSetsScaleDown, planScale, replicaSetsToCleanUp, type ScaleStep } from './scaling-plans.js';
import { asDeployment, asReplicaSet, selectorIsEmpty, specReplicas, type Deployment, type DeploymentStatus, type ReplicaSet } from './types.js';

export interface DeploymentSettings {
  /** Deployments synced at once (kube's --concurrent-deployment-syncs, default 5) */
  workers?: number;
}

export const DEFAULT_DEPLOYMENT_WORKERS = 5;

export interface DeploymentControllerOptions extends ControllerOptions<DeploymentSettings> {
  /** events on Deployments (source deployment-controller); none when absent */
  recorder?: EventRecorder;
}

const DEPLOYMENT_TYPE = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
const REPLICASET_TYPE = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const isNamespaceTerminating = (err: unknown): boolean => err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');

/**
 * One sync's working state. `d` is our copy of the Deployment, changed as kube changes its
 * copy (status, revision annotation); `stored*` is what the server has, so a write goes
 * out only when they differ. `rsList` holds the latest version of each RS we know,
 * replaced after each write of ours so a second write to the same RS is not a conflict.
 */
interface Sync {
  d: Deployment;
  storedRevision: string | undefined;
  storedStatus: DeploymentStatus | undefined;
  rsList: ReplicaSet[];
}

export class DeploymentController extends QueueController<EventRecorder | undefined> {
  private readonly deployments: SharedInformer<KubeObject>;
  private readonly replicaSets: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly deploymentLister: Lister<KubeObject>;
  private readonly rsLister: Lister<KubeObject>;
  private readonly podLister: Lister<KubeObject>;
  private readonly deploymentClient: ResourceClient<KubeObject>;
  private readonly rsClient: ResourceClient<KubeObject>;

  constructor(opts: DeploymentControllerOptions) {
    super(opts, opts.settings?.workers ?? DEFAULT_DEPLOYMENT_WORKERS);
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new Error(`deployment: workers must be a positive integer, got ${opts.settings?.workers}`);
    this.deploymentClient = opts.client.resource('apps/v1', 'Deployment');
    this.rsClient = opts.client.resource('apps/v1', 'ReplicaSet');

    this.deployments = opts.informers.informerFor('apps/v1', 'Deployment');
    this.replicaSets = opts.informers.informerFor('apps/v1', 'ReplicaSet');
    this.pods = opts.informers.informerFor('v1', 'Pod');
    this.deploymentLister = this.deployments.lister();
    this.rsLister = this.replicaSets.lister();
    this.podLister = this.pods.lister();

    const routing = new EventRouting({
      deployments: this.deploymentLister,
      replicaSets: this.rsLister,
      podsOfDeployment: (d, rsList) => this.podMapFor(d, rsList),
      enqueue: (d) => this.queue.add(objectKey(d)),
    });
    this.deployments.addEventHandler(routing.deploymentHandler());
    this.replicaSets.addEventHandler(routing.replicaSetHandler());
    this.pods.addEventHandler(routing.podHandler());
  }

  /** wait for the caches, then sync Deployments until the signal aborts */
  run(signal: AbortSignal): Promise<void> {
    return this.runAfterSync(signal, [this.deployments, this.replicaSets, this.pods], 'caches synced; syncing deployments');
  }

  // ---- reconcile ----

  /** syncDeployment(key) */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.deploymentLister.getByKey(key);
    if (!cached) return; // deleted: the garbage collector removes its ReplicaSets
    const d = asDeployment(cached);
    const s: Sync = { d, storedRevision: d.metadata.annotations?.[REVISION_ANNOTATION], storedStatus: structuredClone(d.status), rsList: [] };

    if (d.spec.selector && selectorIsEmpty(d.spec.selector)) {
      this.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata.generation ?? 0 };
        await this.updateStatus(s);
      }
      return;
    }

    s.rsList = await this.replicaSetsFor(d);
    const podMap = this.podMapFor(d, s.rsList);

    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(s);

    await this.checkPausedConditions(s);
    if (d.spec.paused) return this.sync(s);
    // rollback through the deprecated annotation is obsolete (apps/v1 has no rollbackTo): kubectl undoes by patching the template
    if (await this.isScalingEvent(s)) return this.sync(s);

    switch (d.spec.strategy?.type) {
      case 'Recreate':
        return this.rolloutRecreate(s, podMap);
      case 'RollingUpdate':
        return this.rolloutRolling(s);
      default:
        throw new TerminalError(`unexpected deployment strategy type: ${d.spec.strategy?.type}`);
    }
  }

  /** getReplicaSetsForDeployment: the RSs this Deployment controls, adopting and releasing by selector */
  private async replicaSetsFor(d: Deployment): Promise<ReplicaSet[]> {
    let matches;
    try {
      matches = labelSelectorMatcher(d.spec.selector);
    } catch (err) {
      throw new Error(`deployment ${d.metadata.namespace}/${d.metadata.name} has invalid label selector: ${messageOf(err)}`);
    }
    const claimed = await claimObjects<KubeObject>({
      owner: d,
      controllerRef: newControllerRef(d, 'apps/v1', 'Deployment'),
      matches: (rs) => matches(rs.metadata?.labels),
      objects: this.rsLister.list({ namespace: d.metadata.namespace ?? '' }),
      client: this.rsClient,
      recheckOwner: async () => {
        try {
          return await this.deploymentClient.get(d.metadata.name ?? '', { namespace: d.metadata.namespace ?? '' });
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
      },
    });
    return claimed.map((rs) => structuredClone(asReplicaSet(rs)));
  }

  /** getPodMapForDeployment: the Deployment's pods by the uid of the RS that controls them */
  private podMapFor(d: Deployment, rsList: readonly ReplicaSet[]): Map<string, V1Pod[]> {
    const map = new Map<string, V1Pod[]>(rsList.map((rs) => [rs.metadata.uid ?? '', []]));
    let matches;
    try {
      matches = labelSelectorMatcher(d.spec.selector);
    } catch {
      return map;
    }
    for (const pod of this.podLister.list({ namespace: d.metadata.namespace ?? '' })) {
      if (!matches(pod.metadata?.labels)) continue;
      const ref = getControllerOf(pod);
      const list = ref ? map.get(ref.uid) : undefined;
      if (list) list.push(pod as unknown as V1Pod);
    }
    return map;
  }

  /** checkPausedConditions: mark Progressing as paused/resumed */
  private async checkPausedConditions(s: Sync): Promise<void> {
    const status = pausedConditionStatus(s.d, this.clock.now());
    if (!status) return;
    s.d.status = status;
    await this.updateStatus(s);
  }

  /** isScalingEvent: an active RS was sized for a different spec.replicas */
  private async isScalingEvent(s: Sync): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(s, false);
    return filterActive([...oldRSs, newRS]).some((rs) => {
      const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
      return desired !== undefined && desired !== specReplicas(s.d);
    });
  }

  /** sync: scaling (or a paused Deployment): scale, clean up history when paused, status */
  private async sync(s: Sync): Promise<ReconcileResult> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(s, false);
    await this.runSteps(s, planScale(s.d, newRS, oldRSs));
    if (s.d.spec.paused) await this.cleanupDeployment(s, oldRSs);
    await this.syncDeploymentStatus(s, [...oldRSs, newRS], newRS);
  }

  private async syncStatusOnly(s: Sync): Promise<ReconcileResult> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(s, false);
    await this.syncDeploymentStatus(s, [...oldRSs, newRS], newRS);
  }

  /** rolloutRolling: one step of a rolling update */
  private async rolloutRolling(s: Sync): Promise<ReconcileResult> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(s, true);
    if (!newRS) throw new Error('new replica set was not created'); // create=true returns one or throws
    const allRSs = [...oldRSs, newRS];

    const scaledUp = await this.runSteps(s, [{ rs: newRS, to: newReplicaSetTarget(s.d, allRSs, newRS) }]);
    if (scaledUp) return this.syncRolloutStatus(s, allRSs, newRS);

    const scaledDown = await this.runSteps(s, planOldReplicaSetsScaleDown(s.d, allRSs, filterActive(oldRSs), newRS));
    if (scaledDown) return this.syncRolloutStatus(s, allRSs, newRS);

    if (deploymentComplete(s.d, s.d.status ?? {})) await this.cleanupDeployment(s, oldRSs);
    return this.syncRolloutStatus(s, allRSs, newRS);
  }

  /** rolloutRecreate: old RSs to 0, wait for their pods to be gone, then the new RS at full size */
  private async rolloutRecreate(s: Sync, podMap: Map<string, V1Pod[]>): Promise<ReconcileResult> {
    let { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(s, false);
    let allRSs = [...oldRSs, newRS];

    const scaledDown = await this.runSteps(
      s,
      filterActive(oldRSs).map((rs) => ({ rs, to: 0 })),
    );
    if (scaledDown) return this.syncRolloutStatus(s, allRSs, newRS);
    if (oldPodsRunning(newRS, oldRSs, podMap)) return this.syncRolloutStatus(s, allRSs, newRS);

    if (!newRS) {
      ({ newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(s, true));
      allRSs = [...oldRSs, newRS];
    }
    if (newRS) await this.runSteps(s, [{ rs: newRS, to: specReplicas(s.d) }]);

    if (deploymentComplete(s.d, s.d.status ?? {})) await this.cleanupDeployment(s, oldRSs);
    return this.syncRolloutStatus(s, allRSs, newRS);
  }

  /**
   * getAllReplicaSetsAndSyncRevision: the new RS (created when `create` and missing) with
   * its revision brought above every old one, and all old RSs.
   */
  private async getAllReplicaSetsAndSyncRevision(s: Sync, create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const { allOld } = findOldReplicaSets(s.d, s.rsList);
    const newRS = await this.getNewReplicaSet(s, allOld, create);
    return { newRS, oldRSs: allOld };
  }

  /** getNewReplicaSet */
  private async getNewReplicaSet(s: Sync, oldRSs: readonly ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = s.d;
    const now = this.clock.now();
    const existing = findNewReplicaSet(d, s.rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    const desired = specReplicas(d);
    const max = desired + maxSurge(d);

    if (existing) {
      const rsCopy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true, desired, max);
      const minReadyChanged = (rsCopy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      if (annotationsChanged || minReadyChanged) {
        rsCopy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        // kube returns right after this write; the RS's update event brings us back for the rest
        return this.writeReplicaSet(s, rsCopy);
      }
      let needsUpdate = this.setRevision(d, rsCopy.metadata.annotations?.[REVISION_ANNOTATION]);
      // a Deployment that never had a Progressing condition starts its clock now
      if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
        d.status ??= {};
        setCondition(d.status, newCondition(PROGRESSING, 'True', REASON.foundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateStatus(s);
      return rsCopy;
    }
    if (!create) return undefined;

    const template = structuredClone(d.spec.template);
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec.selector);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const name = `${d.metadata.name}-${hash}`;
    const newRS: ReplicaSet = {
      ...REPLICASET_TYPE,
      metadata: { name, namespace: d.metadata.namespace ?? '', ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')], labels: { ...template.metadata.labels } },
      spec: { replicas: 0, ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec.replicas = replicas;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false, desired, max);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = asReplicaSet(await this.rsClient.create(newRS, { fieldManager: CONTROLLER_FIELD_MANAGER }));
    } catch (err) {
      if (isAlreadyExists(err)) {
        // a slow cache, or a hash collision with an RS that is not ours / not this template
        const found = this.rsLister.get(name, d.metadata.namespace);
        if (!found) throw err;
        const rs = asReplicaSet(structuredClone(found));
        if (getControllerOf(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec.template)) {
          created = rs;
          alreadyExists = true;
        } else {
          const before = d.status?.collisionCount ?? 0;
          d.status = { ...d.status, collisionCount: before + 1 };
          try {
            await this.updateStatus(s);
            this.logger.info({ deployment: objectKey(d), oldCollisionCount: before, newCollisionCount: before + 1 }, 'found a hash collision for deployment - bumping collisionCount to resolve it');
          } catch (statusErr) {
            this.logger.debug({ err: statusErr }, 'could not record the collision count');
          }
          throw err;
        }
      } else if (isNamespaceTerminating(err)) {
        throw new TerminalError(`namespace ${d.metadata.namespace} is terminating: ${messageOf(err)}`);
      } else {
        const msg = `Failed to create new replica set "${name}": ${messageOf(err)}`;
        if (hasProgressDeadline(d)) {
          d.status ??= {};
          setCondition(d.status, newCondition(PROGRESSING, 'False', REASON.failedRSCreate, msg, now));
          // the bigger problem is reported below; a failure to record it does not matter
          await this.updateStatus(s).catch(() => undefined);
        }
        this.event(d, 'Warning', REASON.failedRSCreate, msg);
        throw err;
      }
    }
    this.remember(s, created);
    if (!alreadyExists && replicas > 0) this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${replicas}`);

    let needsUpdate = this.setRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      d.status ??= {};
      setCondition(d.status, newCondition(PROGRESSING, 'True', REASON.newReplicaSet, `Created new replica set "${created.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateStatus(s);
    return created;
  }

  /** SetDeploymentRevision on our copy; true when it changed */
  private setRevision(d: Deployment, revision: string | undefined): boolean {
    const annotations = (d.metadata.annotations ??= {});
    if (annotations[REVISION_ANNOTATION] === (revision ?? '')) return false;
    annotations[REVISION_ANNOTATION] = revision ?? '';
    return true;
  }

  /**
   * Carry out scale steps in order (scaleReplicaSetAndRecordEvent / scaleReplicaSet),
   * each on the latest version of its RS. True when some RS changed size.
   */
  private async runSteps(s: Sync, steps: readonly ScaleStep[]): Promise<boolean> {
    let scaled = false;
    const d = s.d;
    const desired = specReplicas(d);
    const max = desired + maxSurge(d);
    for (const step of steps) {
      const rs = s.rsList.find((r) => r.metadata.uid === step.rs.metadata.uid) ?? step.rs;
      const from = specReplicas(rs);
      const sizeChanges = from !== step.to;
      if (step.operation === undefined && !sizeChanges) continue;
      if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, max)) continue;
      const copy = structuredClone(rs);
      copy.spec.replicas = step.to;
      setReplicasAnnotations(copy, desired, max);
      const updated = await this.writeReplicaSet(s, copy);
      if (sizeChanges) {
        scaled = true;
        const operation = step.operation ?? (from < step.to ? 'up' : 'down');
        this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name} to ${step.to} from ${from}`);
      }
    }
    return scaled;
  }

  /** PUT a changed RS and remember the server's answer */
  private async writeReplicaSet(s: Sync, rs: ReplicaSet): Promise<ReplicaSet> {
    const updated = asReplicaSet(await this.rsClient.update({ ...rs, ...REPLICASET_TYPE }, { fieldManager: CONTROLLER_FIELD_MANAGER }));
    this.remember(s, updated);
    return updated;
  }

  private remember(s: Sync, rs: ReplicaSet): void {
    const at = s.rsList.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (at >= 0) s.rsList[at] = rs;
    else s.rsList.push(rs);
  }

  /** cleanupDeployment: delete old RSs past revisionHistoryLimit */
  private async cleanupDeployment(s: Sync, oldRSs: readonly ReplicaSet[]): Promise<void> {
    const latest = oldRSs.map((rs) => s.rsList.find((r) => r.metadata.uid === rs.metadata.uid) ?? rs);
    for (const rs of replicaSetsToCleanUp(s.d, latest)) {
      this.logger.debug({ deployment: objectKey(s.d), replicaSet: rs.metadata.name }, 'cleaning up an old replica set');
      try {
        await this.rsClient.delete(rs.metadata.name ?? '', { namespace: rs.metadata.namespace ?? '' });
      } catch (err) {
        // stop at the first failure rather than hammer the API server
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** syncDeploymentStatus: counts and Available only */
  private async syncDeploymentStatus(s: Sync, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
    const status = calculateStatus(allRSs, newRS, s.d, this.clock.now());
    if (sameStatus(s.d.status, status)) return;
    s.d.status = status;
    await this.updateStatus(s);
  }

  /** syncRolloutStatus: counts and every condition; a timed requeue to check the progress deadline */
  private async syncRolloutStatus(s: Sync, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<ReconcileResult> {
    const now = this.clock.now();
    const status = rolloutStatus(allRSs, newRS, s.d, now);
    if (sameStatus(s.d.status, status)) {
      const after = progressCheckAfter(s.d, status, now);
      return after !== undefined ? { requeueAfter: after } : undefined;
    }
    s.d.status = status;
    await this.updateStatus(s);
  }

  /**
   * kube's UpdateStatus of its Deployment copy: status and the revision annotation in one
   * PUT to /status (kube's Deployment status strategy keeps annotations, and a write
   * there does not bump the generation). A server whose /status drops annotations gets
   * the revision in a metadata merge patch instead (see the header).
   */
  private async updateStatus(s: Sync): Promise<void> {
    const d = s.d;
    const revision = d.metadata.annotations?.[REVISION_ANNOTATION];
    const revisionChanged = revision !== undefined && revision !== s.storedRevision;
    if (!revisionChanged && sameStatus(s.storedStatus, d.status)) return;
    const body = { ...d, status: wireStatus(d.status ?? {}) };
    const updated = await this.deploymentClient.updateStatus(body, { fieldManager: CONTROLLER_FIELD_MANAGER });
    s.storedStatus = structuredClone(d.status);
    d.metadata.resourceVersion = updated.metadata?.resourceVersion ?? d.metadata.resourceVersion;
    if (!revisionChanged) return;
    if (updated.metadata?.annotations?.[REVISION_ANNOTATION] !== revision) {
      const patch = { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } };
      const patched = await this.deploymentClient.patch(d.metadata.name ?? '', 'merge', patch, { namespace: d.metadata.namespace ?? '', fieldManager: CONTROLLER_FIELD_MANAGER });
      d.metadata.resourceVersion = patched.metadata?.resourceVersion ?? d.metadata.resourceVersion;
    }
    s.storedRevision = revision;
  }

  private event(d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder?.event({ ...DEPLOYMENT_TYPE, metadata: d.metadata }, type, reason, message);
  }
}
