/**
 * The taint eviction controller (kube's TaintEvictionController, formerly the
 * NoExecuteTaintManager): pods on a node with NoExecute taints they do not tolerate are
 * deleted; pods tolerating them for tolerationSeconds are deleted when that runs out;
 * pods tolerating them forever stay. eviction-plan.ts decides when; this file acts.
 *
 * Level-based on pod keys: a pod event enqueues the pod, a node whose NoExecute taints
 * changed enqueues every pod on it. reconcile(key) computes the plan; a future deadline
 * becomes a timed requeue (on the Clock), so a restart or a changed toleration simply
 * recomputes it. Before deleting, the pod gets the DisruptionTarget condition (reason
 * DeletionByTaintManager) as kube adds it, and a TaintManagerEviction event "Marking for
 * deletion Pod NS/NAME"; a scheduled deletion that no longer applies gets "Cancelling
 * deletion of Pod NS/NAME".
 */
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';

import { isNotFound } from '../../client/api-error.js';
import type { Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import { objectKey, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { formatTime } from '../common/time.js';
import { evictionPlan, noExecuteTaints } from './eviction-plan.js';
import { addPodNodeNameIndex, podsOnNode } from './pods-by-node.js';
import type { Taint } from './taints.js';

export const DISRUPTION_TARGET_CONDITION: Omit<V1PodCondition, 'lastTransitionTime'> = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByTaintManager',
  message: 'Taint manager: deleting due to NoExecute taint',
};

export interface TaintEvictionSettings {
  /** pods handled at once (kube: 8 workers) */
  workers?: number;
}

export interface TaintEvictionControllerOptions extends ControllerOptions<TaintEvictionSettings> {
  /** events with source component taint-eviction-controller */
  recorder?: EventRecorder;
}

const asPod = (obj: KubeObject): V1Pod => obj as unknown as V1Pod;
const taintsOf = (node: KubeObject | undefined): Taint[] | undefined => (node?.spec as { taints?: Taint[] } | undefined)?.taints;
const taintId = (t: Taint): string => `${t.key}\u0000${t.value ?? ''}\u0000${t.effect}`;

/** the pod with DisruptionTarget set (kube's UpdatePodCondition), or undefined when it already has it */
export function withDisruptionTarget(pod: V1Pod, now: number): V1Pod | undefined {
  const conditions = pod.status?.conditions ?? [];
  const existing = conditions.find((c) => c.type === DISRUPTION_TARGET_CONDITION.type);
  if (existing && existing.status === 'True' && existing.reason === DISRUPTION_TARGET_CONDITION.reason && existing.message === DISRUPTION_TARGET_CONDITION.message) return undefined;
  const next = structuredClone(pod);
  const wanted = {
    ...DISRUPTION_TARGET_CONDITION,
    lastTransitionTime: (existing && existing.status === 'True' ? existing.lastTransitionTime : formatTime(now)) as unknown as Date,
  };
  next.status = { ...next.status, conditions: existing ? conditions.map((c) => (c.type === wanted.type ? wanted : c)) : [...conditions, wanted] };
  return next;
}

export class TaintEvictionController extends QueueController<EventRecorder | undefined> {
  private readonly nodes: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly podClient: ResourceClient<KubeObject>;
  /** pod key → the deadline its deletion is scheduled for */
  private readonly scheduled = new Map<string, number>();
  /** node → taint → when this controller first saw a NoExecute taint that has no timeAdded */
  private readonly firstSeen = new Map<string, Map<string, number>>();

  constructor(opts: TaintEvictionControllerOptions) {
    super(opts, opts.settings?.workers ?? 8);
    this.podClient = opts.client.resource('v1', 'Pod');
    this.nodes = opts.informers.informerFor('v1', 'Node');
    this.pods = opts.informers.informerFor('v1', 'Pod');
    addPodNodeNameIndex(this.pods);

    this.nodes.addEventHandler({
      onAdd: (node) => this.nodeChanged(undefined, node),
      onUpdate: (old, node) => this.nodeChanged(old, node),
      onDelete: (node) => this.firstSeen.delete(node.metadata?.name ?? ''),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.enqueuePod(pod),
      onUpdate: (old, pod) => {
        if (old.metadata?.resourceVersion !== pod.metadata?.resourceVersion) this.enqueuePod(pod);
      },
      onDelete: (pod) => this.scheduled.delete(objectKey(pod)),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.runAfterSync(signal, [this.nodes, this.pods], 'caches synced; evicting pods from NoExecute-tainted nodes');
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.pods.lister().getByKey(key);
    if (!cached) {
      this.scheduled.delete(key);
      return;
    }
    const pod = asPod(cached);
    const nodeName = pod.spec?.nodeName;
    // an unbound pod has no node to be evicted from; a pod being deleted is on its way already
    if (!nodeName || pod.metadata?.deletionTimestamp) {
      this.scheduled.delete(key);
      return;
    }
    const node = this.nodes.lister().get(nodeName);
    const now = this.clock.now();
    const seen = this.firstSeen.get(nodeName);
    const plan = evictionPlan({ pod, taints: taintsOf(node), now, firstSeen: (t) => seen?.get(taintId(t)) });
    switch (plan.kind) {
      case 'none':
      case 'never':
        this.cancel(key, pod);
        return;
      case 'at':
        if (this.scheduled.get(key) !== plan.at) this.logger.debug({ pod: key, node: nodeName, inMs: plan.at - now }, 'pod tolerates the NoExecute taints for a while; deletion scheduled');
        this.scheduled.set(key, plan.at);
        return { requeueAfter: plan.at - now };
      case 'now':
        await this.evict(key, pod);
        return;
    }
  }

  /** kube's deletePodHandler + addConditionAndDeletePod */
  private async evict(key: string, cachedPod: V1Pod): Promise<void> {
    const namespace = cachedPod.metadata?.namespace ?? '';
    const name = cachedPod.metadata?.name ?? '';
    this.recorder?.event({ apiVersion: 'v1', kind: 'Pod', ...(cachedPod as unknown as KubeObject) }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    this.logger.info({ pod: key, node: cachedPod.spec?.nodeName }, 'deleting pod: NoExecute taint');
    let pod: V1Pod;
    try {
      pod = (await this.podClient.get(name, { namespace })) as unknown as V1Pod;
    } catch (err) {
      if (isNotFound(err)) return void this.scheduled.delete(key);
      throw err;
    }
    if (pod.metadata?.uid !== cachedPod.metadata?.uid) return void this.scheduled.delete(key);
    const marked = withDisruptionTarget(pod, this.clock.now());
    if (marked) {
      await this.podClient.patch(name, 'strategic', { metadata: { uid: pod.metadata?.uid }, status: { conditions: marked.status?.conditions } }, { namespace, subresource: 'status' });
    }
    try {
      await this.podClient.delete(name, { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.scheduled.delete(key);
  }

  /** kube's cancelWorkWithEvent: only a pod whose deletion was scheduled gets the event */
  private cancel(key: string, pod: V1Pod): void {
    if (!this.scheduled.delete(key)) return;
    this.recorder?.event({ apiVersion: 'v1', kind: 'Pod', ...(pod as unknown as KubeObject) }, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  private enqueuePod(pod: KubeObject): void {
    if (!asPod(pod).spec?.nodeName) return;
    this.queue.add(objectKey(pod));
  }

  private nodeChanged(old: KubeObject | undefined, node: KubeObject): void {
    const name = node.metadata?.name ?? '';
    const taints = noExecuteTaints(taintsOf(node));
    this.rememberFirstSeen(name, taints);
    if (old && JSON.stringify(noExecuteTaints(taintsOf(old))) === JSON.stringify(taints)) return;
    for (const pod of podsOnNode(this.pods, name)) this.queue.add(objectKey(pod as unknown as KubeObject));
  }

  private rememberFirstSeen(nodeName: string, taints: Taint[]): void {
    const before = this.firstSeen.get(nodeName) ?? new Map<string, number>();
    const after = new Map<string, number>();
    for (const t of taints) if (!t.timeAdded) after.set(taintId(t), before.get(taintId(t)) ?? this.clock.now());
    if (after.size) this.firstSeen.set(nodeName, after);
    else this.firstSeen.delete(nodeName);
  }
}
