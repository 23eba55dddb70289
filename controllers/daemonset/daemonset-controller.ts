/**
 * The DaemonSet controller (kube's pkg/controller/daemon): one pod of the template on every
 * node that should run it, pinned there by a required node affinity on metadata.name
 * (the scheduler binds it), replaced node by node on a template change.
 *
 * Level-based: handlers only enqueue DaemonSet keys (nodes coming, going or changing
 * eligibility; daemon pods and revisions changing). reconcile(key):
 *   1. claims the DaemonSet's pods and ControllerRevisions;
 *   2. constructHistory: the current revision and its hash (daemonset-history.ts);
 *   3. while creations/deletions it asked for are still unseen (expectations), only
 *      refreshes status; otherwise manage (create where missing, delete where unwanted,
 *      failed pods with a per-node backoff), then the RollingUpdate step, then trims
 *      history;
 *   4. writes status when a number changed.
 * Creations go in slow-start batches (1, 2, 4, …) so a quota error stops after one try.
 */
import type { V1LabelSelector } from '@kubernetes/client-node';

import { isNotFound } from '../../client/api-error.js';

import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { claimObjects } from '../common/claim-objects.js';
import { getControllerOf, newControllerRef } from '../common/controller-ref.js';
import { ControllerExpectations } from '../common/expectations.js';
import { CONTROLLER_FIELD_MANAGER, PodControl } from '../common/pod-control.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { resolveControllerRef } from '../common/resolve-controller-ref.js';
import { ControllerHistory } from '../history/controller-history.js';
import type { ControllerRevision } from '../history/controller-revision.js';
import { labelSelectorMatcher, selectorMatchesOrFalse, type LabelMatcher } from '../label-selector.js';
import { nodeShouldRunDaemonPod, replaceNodeNameAffinity, type DaemonSet, type Node, type Pod } from './daemon-pod-predicates.js';
import { constructHistory, historyToClean } from './daemonset-history.js';
import { daemonPodTemplate, DAEMONSET_HASH_LABEL, podsByNode, podsShouldBeOnNode, unscheduledPodsWithoutNode } from './daemonset-pods.js';
import { rollingUpdateStep } from './daemonset-rolling-update.js';
import { computeDaemonSetCounts, daemonSetStatusUpToDate, type DaemonSetCounts } from './daemonset-status.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';

export interface DaemonSetSettings {
  /** DaemonSets synced at once (kube's --concurrent-daemonset-syncs, default 2) */
  workers?: number;
  /** most creations or deletions per sync (kube's BurstReplicas, 250) */
  burstReplicas?: number;
  /** failed daemon pods: first delay before deleting one again on a node, doubling to the max (kube: 1 s, 15 min) */
  failedPodsBackoffInitialMs?: number;
  failedPodsBackoffMaxMs?: number;
}

export interface DaemonSetControllerOptions extends ControllerOptions<DaemonSetSettings> {
  recorder: EventRecorder;
}

const APPS_V1 = 'apps/v1';
const KIND = 'DaemonSet';
/** kube's FailedDaemonPodReason */
export const FAILED_DAEMON_POD_REASON = 'FailedDaemonPod';
const SLOW_START_INITIAL_BATCH = 1;

const asDs = (obj: KubeObject): DaemonSet => ({ ...obj, apiVersion: APPS_V1, kind: KIND }) as DaemonSet;
const selectorOf = (ds: DaemonSet) => ds.spec?.selector as V1LabelSelector | undefined;

export class DaemonSetController extends QueueController<EventRecorder> {
  readonly expectations: ControllerExpectations;
  private readonly burstReplicas: number;
  private readonly backoff: FailedPodsBackoff;
  private readonly daemonSets: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly nodes: SharedInformer<KubeObject>;
  private readonly revisions: SharedInformer<KubeObject>;
  private readonly dsClient: ResourceClient<DaemonSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly history: ControllerHistory;
  private readonly podControl: PodControl;

  constructor(opts: DaemonSetControllerOptions) {
    const settings = opts.settings ?? {};
    super(opts, settings.workers ?? 2);
    this.burstReplicas = settings.burstReplicas ?? 250;
    this.backoff = new FailedPodsBackoff(this.clock, settings.failedPodsBackoffInitialMs ?? 1000, settings.failedPodsBackoffMaxMs ?? 15 * 60 * 1000);
    this.expectations = new ControllerExpectations(this.clock);
    this.dsClient = opts.client.resource<DaemonSet>(APPS_V1, KIND);
    this.podClient = opts.client.resource<Pod>('v1', 'Pod');
    this.history = new ControllerHistory(opts.client);
    this.podControl = new PodControl(opts.client, this.recorder);

    this.daemonSets = opts.informers.informerFor(APPS_V1, KIND);
    this.pods = opts.informers.informerFor('v1', 'Pod');
    this.nodes = opts.informers.informerFor('v1', 'Node');
    this.revisions = opts.informers.informerFor(APPS_V1, 'ControllerRevision');

    this.daemonSets.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, ds) => this.enqueue(ds),
      onDelete: (ds) => {
        this.expectations.deleteExpectations(objectKey(ds));
        this.enqueue(ds);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => (pod.metadata?.deletionTimestamp ? this.onPodDeleted(pod) : this.onPodAdded(pod)),
      onUpdate: (old, pod) => this.onPodUpdated(old, pod),
      onDelete: (pod) => this.onPodDeleted(pod),
    });
    this.nodes.addEventHandler({
      onAdd: (node) => {
        for (const ds of this.daemonSets.lister().list()) if (nodeShouldRunDaemonPod(node as Node, asDs(ds)).shouldRun) this.enqueue(ds);
      },
      onUpdate: (old, node) => {
        if (old.metadata?.resourceVersion === node.metadata?.resourceVersion) return;
        for (const ds of this.daemonSets.lister().list()) {
          const before = nodeShouldRunDaemonPod(old as Node, asDs(ds));
          const after = nodeShouldRunDaemonPod(node as Node, asDs(ds));
          if (before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning) this.enqueue(ds);
        }
      },
      onDelete: () => {
        for (const ds of this.daemonSets.lister().list()) this.enqueue(ds);
      },
    });
    const onRevision = (revision: KubeObject) => {
      const ds = this.ownerOf(revision);
      if (ds) this.enqueue(ds);
      else if (!getControllerOf(revision)) this.enqueueMatching(revision);
    };
    this.revisions.addEventHandler({ onAdd: onRevision, onUpdate: (_old, r) => onRevision(r), onDelete: onRevision });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runAfterSync(signal, [this.daemonSets, this.pods, this.nodes, this.revisions], 'caches synced; syncing DaemonSets');
  }

  /** syncDaemonSet */
  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.daemonSets.lister().getByKey(key);
    if (!cached) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const ds = asDs(cached);
    this.backoff.gc();
    const selector = selectorOf(ds);
    if (selector && !selector.matchLabels && !selector.matchExpressions) {
      this.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    let matches: LabelMatcher;
    try {
      matches = labelSelectorMatcher(selector);
    } catch (err) {
      this.logger.error({ err, daemonset: key }, 'error converting DaemonSet selector');
      return;
    }
    if (ds.metadata?.deletionTimestamp) return;
    const namespace = ds.metadata?.namespace ?? '';
    const controllerRef = newControllerRef(ds, APPS_V1, KIND);
    const recheckOwner = async () => {
      try {
        return await this.dsClient.get(ds.metadata?.name ?? '', { namespace });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    };
    const pods = await claimObjects<Pod>({ owner: ds, controllerRef, matches: (p) => matches(p.metadata?.labels), objects: this.pods.lister().list({ namespace }) as Pod[], client: this.podClient, recheckOwner });
    const revisions = await claimObjects<ControllerRevision>({
      owner: ds,
      controllerRef,
      matches: (r) => matches(r.metadata?.labels),
      objects: this.revisions.lister().list({ namespace }) as ControllerRevision[],
      client: this.history.revisions,
      recheckOwner,
    });
    const { current, old } = await constructHistory({ history: this.history, daemonSets: this.dsClient, pods: this.podClient }, ds, revisions, pods);
    const hash = current.metadata?.labels?.[DAEMONSET_HASH_LABEL] ?? '';
    const nodes = this.nodes.lister().list() as Node[];

    if (!this.expectations.satisfied(key)) return this.writeStatus(ds, nodes, pods, hash, false);

    let failure: unknown;
    let requeueAfter: number | undefined;
    try {
      requeueAfter = await this.manage(ds, key, nodes, pods, hash);
      if (this.expectations.satisfied(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
        const step = rollingUpdateStep({ ds, nodes, byNode: podsByNode(pods), hash, now: this.clock.now() });
        await this.syncNodes(ds, key, step.podsToDelete, step.nodesNeedingPods, hash);
      }
      for (const revision of historyToClean(ds, old, pods)) await this.history.delete(revision);
    } catch (err) {
      failure = err;
    }
    const statusResult = await this.writeStatus(ds, nodes, pods, hash, true);
    if (failure) throw failure;
    if (requeueAfter !== undefined) return { requeueAfter: Math.min(requeueAfter, statusResult?.requeueAfter ?? Infinity) };
    return statusResult;
  }

  /** manage: create where missing, delete where unwanted; returns a delay when failed pods wait out their backoff */
  private async manage(ds: DaemonSet, key: string, nodes: readonly Node[], pods: readonly Pod[], hash: string): Promise<number | undefined> {
    const byNode = podsByNode(pods);
    const now = this.clock.now();
    const nodesNeedingPods: string[] = [];
    const podsToDelete: string[] = [];
    let requeueAfter: number | undefined;
    for (const node of nodes) {
      const nodeName = node.metadata?.name ?? '';
      const decision = podsShouldBeOnNode(node, ds, byNode.get(nodeName), hash, now);
      if (decision.needsPod) nodesNeedingPods.push(nodeName);
      podsToDelete.push(...decision.podsToDelete);
      for (const pod of decision.failedPods) {
        // kube fights kubelets that reject the pod here: back off per node
        const backoffKey = `${ds.metadata?.uid}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
        if (this.backoff.inBackoff(backoffKey)) {
          const delay = this.backoff.delay(backoffKey);
          requeueAfter = Math.min(requeueAfter ?? Infinity, delay);
          continue;
        }
        this.backoff.next(backoffKey);
        this.recorder.event(ds, 'Warning', FAILED_DAEMON_POD_REASON, `Found failed daemon pod ${pod.metadata?.namespace}/${pod.metadata?.name} on node ${nodeName}, will try to kill it`);
        podsToDelete.push(pod.metadata?.name ?? '');
      }
    }
    podsToDelete.push(...unscheduledPodsWithoutNode(new Set(nodes.map((n) => n.metadata?.name ?? '')), byNode));
    await this.syncNodes(ds, key, podsToDelete, nodesNeedingPods, hash);
    return requeueAfter;
  }

  /** syncNodes: set expectations, create in slow-start batches, delete all at once */
  private async syncNodes(ds: DaemonSet, key: string, podsToDelete: readonly string[], nodesNeedingPods: readonly string[], hash: string): Promise<void> {
    const createDiff = Math.min(nodesNeedingPods.length, this.burstReplicas);
    const deleteDiff = Math.min(podsToDelete.length, this.burstReplicas);
    if (createDiff === 0 && deleteDiff === 0) return;
    this.expectations.expectCreations(key, createDiff);
    this.expectations.raise(key, 0, deleteDiff);
    const namespace = ds.metadata?.namespace ?? '';
    const template = daemonPodTemplate(ds, hash);
    const controllerRef = newControllerRef(ds, APPS_V1, KIND);
    const errors: unknown[] = [];

    let batch = Math.min(createDiff, SLOW_START_INITIAL_BATCH);
    for (let pos = 0; pos < createDiff; ) {
      const results = await Promise.allSettled(
        nodesNeedingPods.slice(pos, pos + batch).map((nodeName) =>
          this.podControl.createPod(namespace, template, ds, controllerRef, {
            mutate: (pod) => {
              pod.spec = { ...pod.spec!, affinity: replaceNodeNameAffinity(pod.spec?.affinity, nodeName) };
            },
          }),
        ),
      );
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const f of failed) {
        // a creation that failed will never be observed
        this.expectations.creationObserved(key);
        errors.push(f.reason);
      }
      pos += batch;
      if (failed.length > 0) {
        // slow start: after a failing batch, do not try the rest this time
        for (let skipped = createDiff - pos; skipped > 0; skipped--) this.expectations.creationObserved(key);
        break;
      }
      batch = Math.min(2 * batch, createDiff - pos);
    }

    const deletions = await Promise.allSettled(podsToDelete.slice(0, deleteDiff).map((name) => this.podControl.deletePod(namespace, name, ds)));
    for (const d of deletions) {
      if (d.status === 'fulfilled' && d.value) continue;
      // gone already (false) or failed: no deletion event will come for it
      this.expectations.deletionObserved(key);
      if (d.status === 'rejected') errors.push(d.reason);
    }
    if (errors.length) throw errors[0];
  }

  /** updateDaemonSetStatus: write when a number changed; look again when ready pods should turn available */
  private async writeStatus(ds: DaemonSet, nodes: readonly Node[], pods: readonly Pod[], hash: string, updateObservedGeneration: boolean): Promise<ReconcileResult> {
    const counts: DaemonSetCounts = computeDaemonSetCounts(ds, nodes, podsByNode(pods), hash, this.clock.now());
    if (!daemonSetStatusUpToDate(ds, counts)) {
      const body = structuredClone(ds);
      body.status = { ...body.status, ...counts, ...(updateObservedGeneration ? { observedGeneration: ds.metadata?.generation ?? 0 } : {}) };
      await this.dsClient.updateStatus(body, { fieldManager: CONTROLLER_FIELD_MANAGER });
    }
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable) return { requeueAfter: minReadySeconds * 1000 };
    return;
  }

  private ownerOf(obj: KubeObject): KubeObject | undefined {
    return resolveControllerRef(this.daemonSets.lister(), { kind: KIND }, obj.metadata?.namespace, getControllerOf(obj));
  }

  /** orphans: every DaemonSet in the namespace whose selector matches */
  private enqueueMatching(obj: KubeObject): void {
    for (const ds of this.daemonSets.lister().list({ namespace: obj.metadata?.namespace ?? '' })) {
      if (selectorMatchesOrFalse(selectorOf(asDs(ds)), obj.metadata?.labels)) this.enqueue(ds);
    }
  }

  private onPodAdded(pod: KubeObject): void {
    if (getControllerOf(pod)) {
      const ds = this.ownerOf(pod);
      if (!ds) return;
      this.expectations.creationObserved(objectKey(ds));
      this.enqueue(ds);
      return;
    }
    this.enqueueMatching(pod);
  }

  private onPodUpdated(old: KubeObject, pod: KubeObject): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    // graceful deletion began: count it now, so a replacement need not wait for the kubelet
    if (pod.metadata?.deletionTimestamp) {
      if (!old.metadata?.deletionTimestamp) this.onPodDeleted(pod);
      else {
        const ds = this.ownerOf(pod);
        if (ds) this.enqueue(ds);
      }
      return;
    }
    const oldRef = getControllerOf(old);
    if (oldRef && oldRef.uid !== getControllerOf(pod)?.uid) {
      const oldDs = this.ownerOf(old);
      if (oldDs) this.enqueue(oldDs);
    }
    const ds = this.ownerOf(pod);
    if (ds) this.enqueue(ds);
    else if (!getControllerOf(pod)) this.enqueueMatching(pod);
  }

  private onPodDeleted(pod: KubeObject): void {
    const ds = this.ownerOf(pod);
    if (!ds) return;
    this.expectations.deletionObserved(objectKey(ds));
    this.enqueue(ds);
  }
}
