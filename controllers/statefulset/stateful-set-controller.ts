/**
 * The StatefulSet controller (kube's pkg/controller/statefulset): pods with stable names
 * (`<set>-<ordinal>`), stable storage (one PVC per claim template and ordinal), ordered
 * or parallel creation and deletion, and rolling updates tracked by ControllerRevisions.
 *
 * Level-based: informer handlers only enqueue set keys; reconcile(key) reads the set, its
 * pods, revisions and claims from the caches and:
 *   1. claims its pods and revisions (adopting orphans that match, releasing strays);
 *   2. finds the update revision (the template now) and the current one (status), creating
 *      or renumbering a ControllerRevision when the template is new or rolled back;
 *   3. plans the pod actions (stateful-set-plan.ts) and runs them in order;
 *   4. writes status only when it changed, then truncates history to revisionHistoryLimit.
 * A failed action is thrown after the status write: the work queue retries with backoff.
 * kube uses no expectations here: pod names are fixed, so a lagging cache at worst makes
 * a create fail with AlreadyExists, which is retried.
 */
import type { V1LabelSelector } from '@kubernetes/client-node';

import { isNotFound } from '../../client/api-error.js';

import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { claimObjects } from '../common/claim-objects.js';
import { getControllerOf, newControllerRef } from '../common/controller-ref.js';
import { CONTROLLER_FIELD_MANAGER } from '../common/pod-control.js';
import { isPodReady } from '../common/pod-status.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { resolveControllerRef } from '../common/resolve-controller-ref.js';
import { ControllerHistory, revisionsToTruncate } from '../history/controller-history.js';
import {
  applyRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevision,
  sortRevisions,
  templatePatch,
  type ControllerRevision,
} from '../history/controller-revision.js';
import { labelSelectorMatcher, selectorMatchesOrFalse, type LabelMatcher } from '../label-selector.js';
import { completeRollingUpdate, planStatefulSet, statusDiffers, type PodAction, type StatefulSetStatusCounts } from './stateful-set-plan.js';
import { StatefulPodControl } from './stateful-pod-control.js';
import { getPodRevision, isMemberOf, type Pod, type StatefulSet } from './stateful-set-utils.js';

export interface StatefulSetSettings {
  /** sets synced at once (kube's --concurrent-statefulset-syncs, default 5) */
  workers?: number;
}

export interface StatefulSetControllerOptions extends ControllerOptions<StatefulSetSettings> {
  recorder: EventRecorder;
}

const APPS_V1 = 'apps/v1';
const KIND = 'StatefulSet';
const DEFAULT_REVISION_HISTORY_LIMIT = 10;

const asSet = (obj: KubeObject): StatefulSet => ({ ...obj, apiVersion: APPS_V1, kind: KIND }) as StatefulSet;

export class StatefulSetController extends QueueController<EventRecorder> {
  private readonly sets: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly revisions: SharedInformer<KubeObject>;
  private readonly claims: SharedInformer<KubeObject>;
  private readonly setClient: ResourceClient<StatefulSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly history: ControllerHistory;
  private readonly podControl: StatefulPodControl;

  constructor(opts: StatefulSetControllerOptions) {
    super(opts, opts.settings?.workers ?? 5);
    this.setClient = opts.client.resource<StatefulSet>(APPS_V1, KIND);
    this.podClient = opts.client.resource<Pod>('v1', 'Pod');
    this.history = new ControllerHistory(opts.client);

    this.sets = opts.informers.informerFor(APPS_V1, KIND);
    this.pods = opts.informers.informerFor('v1', 'Pod');
    this.revisions = opts.informers.informerFor(APPS_V1, 'ControllerRevision');
    this.claims = opts.informers.informerFor('v1', 'PersistentVolumeClaim');
    this.podControl = new StatefulPodControl(opts.client, this.claims.lister(), this.recorder);

    this.enqueueOnEveryChange(this.sets);
    this.pods.addEventHandler({
      onAdd: (pod) => this.onPod(pod),
      onUpdate: (old, pod) => this.onPodUpdate(old, pod),
      onDelete: (pod) => this.onPod(pod),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runAfterSync(signal, [this.sets, this.pods, this.revisions, this.claims], 'caches synced; syncing StatefulSets');
  }

  /** sync one StatefulSet by key */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.sets.lister().getByKey(key);
    if (!cached) return;
    const set = asSet(cached);
    let matches: LabelMatcher;
    try {
      matches = labelSelectorMatcher(set.spec?.selector as V1LabelSelector | undefined);
    } catch (err) {
      // a user mistake: nothing to retry until the set changes
      this.logger.error({ err, statefulset: key }, 'error converting StatefulSet selector');
      return;
    }
    const namespace = set.metadata?.namespace ?? '';
    const controllerRef = newControllerRef(set, APPS_V1, KIND);
    const recheckOwner = async () => {
      try {
        return await this.setClient.get(set.metadata?.name ?? '', { namespace });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    };
    const revisionList = await claimObjects<ControllerRevision>({
      owner: set,
      controllerRef,
      matches: (r) => matches(r.metadata?.labels),
      objects: this.revisions.lister().list({ namespace }) as ControllerRevision[],
      client: this.history.revisions,
      recheckOwner,
    });
    const pods = await claimObjects<Pod>({
      owner: set,
      controllerRef,
      matches: (p) => matches(p.metadata?.labels) && isMemberOf(set, p),
      objects: this.pods.lister().list({ namespace }) as Pod[],
      client: this.podClient,
      recheckOwner,
    });

    const revisions = sortRevisions(revisionList);
    const { current, update, collisionCount } = await this.setRevisions(set, revisions);
    const plan = planStatefulSet({
      set,
      currentSet: applyRevision(set, current),
      updateSet: applyRevision(set, update),
      currentRevision: current.metadata?.name ?? '',
      updateRevision: update.metadata?.name ?? '',
      collisionCount,
      pods,
      existingClaims: new Set(this.claims.lister().list({ namespace }).map((c) => c.metadata?.name ?? '')),
      controllerRef,
      now: this.clock.now(),
    });

    let failure: unknown;
    try {
      for (const action of plan.actions) await this.execute(set, action);
    } catch (err) {
      failure = err;
    }
    const status = completeRollingUpdate(set, plan.status);
    if (statusDiffers(set, status)) await this.writeStatus(set, status);
    if (failure) throw failure;

    const known = revisions.some((r) => r.metadata?.name === update.metadata?.name) ? revisions : sortRevisions([...revisions, update]);
    const live = new Set<string>([current.metadata?.name ?? '', update.metadata?.name ?? '']);
    for (const pod of pods) {
      const revision = getPodRevision(pod);
      if (revision) live.add(revision);
    }
    for (const old of revisionsToTruncate(known, live, set.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT)) await this.history.delete(old);

    // look again when ready pods become available (kube's last line of defence against clock skew)
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && status.readyReplicas !== status.availableReplicas) return { requeueAfter: minReadySeconds * 1000 };
    return;
  }

  /**
   * getStatefulSetRevisions: the update revision is the one whose data equals the
   * template now — the newest already (nothing to do), an older one (a rollback: renumber
   * it as the newest), or none (create it). The current revision is the one status names.
   */
  private async setRevisions(set: StatefulSet, revisions: ControllerRevision[]): Promise<{ current: ControllerRevision; update: ControllerRevision; collisionCount: number }> {
    let collisionCount = set.status?.collisionCount ?? 0;
    const wanted = newControllerRevision({
      owner: set,
      ownerApiVersion: APPS_V1,
      ownerKind: KIND,
      templateLabels: set.spec?.template?.metadata?.labels,
      data: templatePatch(set),
      revision: nextRevision(revisions),
      collisionCount,
      ...(set.metadata?.annotations ? { annotations: set.metadata.annotations } : {}),
    });
    const equal = findEqualRevisions(revisions, wanted);
    let update: ControllerRevision;
    if (equal.length > 0 && equal[equal.length - 1] === revisions[revisions.length - 1]) update = equal[equal.length - 1]!;
    else if (equal.length > 0) update = await this.history.renumber(equal[equal.length - 1]!, Number(wanted.revision));
    else ({ revision: update, collisionCount } = await this.history.create(set.metadata?.name ?? '', wanted, collisionCount));
    const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  private async execute(set: StatefulSet, action: PodAction): Promise<void> {
    switch (action.type) {
      case 'create':
        return this.podControl.createPod(set, action.pod);
      case 'createClaims':
        return this.podControl.createMissingClaims(set, action.pod);
      case 'updateIdentity':
        return this.podControl.updatePod(set, action.pod);
      case 'delete': {
        const where = `${set.metadata?.namespace}/${set.metadata?.name}`;
        if (action.why === 'failed') this.recorder.event(set, 'Warning', 'RecreatingFailedPod', `StatefulSet ${where} is recreating failed Pod ${action.pod.metadata?.name}`);
        if (action.why === 'succeeded') this.recorder.event(set, 'Normal', 'RecreatingTerminatedPod', `StatefulSet ${where} is recreating terminated Pod ${action.pod.metadata?.name}`);
        if (action.why === 'scaleDown') await this.podControl.ownClaimsByPod(set, action.pod);
        this.logger.debug({ statefulset: where, pod: action.pod.metadata?.name, why: action.why }, 'deleting StatefulSet pod');
        return this.podControl.deletePod(set, action.pod);
      }
    }
  }

  /** PUT …/status with the cached resourceVersion; a conflict is retried by the queue on fresh data */
  private async writeStatus(set: StatefulSet, status: StatefulSetStatusCounts): Promise<void> {
    const body = structuredClone(set);
    body.status = { ...body.status, ...status };
    await this.setClient.updateStatus(body, { fieldManager: CONTROLLER_FIELD_MANAGER });
  }

  /** the set a pod's controllerRef names, if it is still that set (same uid) */
  private ownerOf(pod: KubeObject): KubeObject | undefined {
    return resolveControllerRef(this.sets.lister(), { kind: KIND }, pod.metadata?.namespace, getControllerOf(pod));
  }

  private onPod(pod: KubeObject): void {
    if (getControllerOf(pod)) {
      const set = this.ownerOf(pod);
      if (set) this.enqueue(set);
      return;
    }
    // an orphan: every set that could adopt it
    for (const set of this.sets.lister().list({ namespace: pod.metadata?.namespace ?? '' })) {
      if (selectorMatchesOrFalse(asSet(set).spec?.selector as V1LabelSelector | undefined, pod.metadata?.labels)) this.enqueue(set);
    }
  }

  private onPodUpdate(old: KubeObject, pod: KubeObject): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const oldRef = getControllerOf(old);
    if (oldRef && oldRef.uid !== getControllerOf(pod)?.uid) this.onPod(old);
    this.onPod(pod);
    // a pod that just became ready becomes available minReadySeconds later
    const set = this.ownerOf(pod);
    const minReadySeconds = set ? (asSet(set).spec?.minReadySeconds ?? 0) : 0;
    if (set && minReadySeconds > 0 && !isPodReady(old as Pod) && isPodReady(pod as Pod)) this.queue.addAfter(objectKey(set), minReadySeconds * 1000 + 1000);
  }
}
