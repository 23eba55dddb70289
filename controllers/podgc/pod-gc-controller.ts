/**
 * kube's pod garbage collector (pkg/controller/podgc): every gcCheckPeriodMs (kube: 20 s)
 * one pass over the cached pods and nodes (pod-gc-plan.ts says what to remove):
 * terminated pods beyond the threshold, terminating pods on out-of-service nodes, pods
 * orphaned by a deleted node, and terminating pods that never got a node. Each pod is
 * marked Failed (status patch) and force-deleted with grace 0.
 *
 * Orphans are not trusted to the node cache alone: a node name missing from it waits out
 * a quarantine (kube: 40 s) and is then checked with a live GET; only a 404 condemns its
 * pods. A pass never throws: failures are logged and the next pass tries again.
 */
import type { V1Node, V1Pod, V1PodCondition } from '@kubernetes/client-node';

import { isNotFound } from '../../client/api-error.js';

import { objectKey, type SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import { InformerController, type ControllerOptions } from '../common/queue-controller.js';
import { formatTime } from '../common/time.js';
import {
  markFailedPatch,
  missingNodeNames,
  orphanCondition,
  podsOnNodes,
  terminatedPodsToDelete,
  terminatingPodsOnOutOfServiceNodes,
  unscheduledTerminatingPods,
} from './pod-gc-plan.js';

export interface PodGCSettings {
  /** how often a pass runs (kube's gcCheckPeriod, 20 s) */
  gcCheckPeriodMs?: number;
  /** kube's --terminated-pod-gc-threshold (12500); 0 or less turns that part off */
  terminatedPodThreshold?: number;
  /** how long a missing node is given to appear before its pods count as orphaned (kube: 40 s) */
  quarantineMs?: number;
}

export type PodGCControllerOptions = ControllerOptions<PodGCSettings>;

const asPods = (objs: KubeObject[]) => objs as unknown as V1Pod[];

export class PodGCController extends InformerController {
  private readonly pods: SharedInformer<KubeObject>;
  private readonly nodes: SharedInformer<KubeObject>;
  private readonly podApi: ResourceClient<KubeObject>;
  private readonly nodeApi: ResourceClient<KubeObject>;
  private readonly periodMs: number;
  private readonly threshold: number;
  private readonly quarantineMs: number;
  /** node name → when its quarantine ends (kube's nodeQueue.AddAfter) */
  private readonly quarantine = new Map<string, number>();

  constructor(opts: PodGCControllerOptions) {
    const s = opts.settings ?? {};
    super(opts);
    this.periodMs = s.gcCheckPeriodMs ?? 20_000;
    this.threshold = s.terminatedPodThreshold ?? 12_500;
    this.quarantineMs = s.quarantineMs ?? 40_000;
    this.pods = opts.informers.informerFor('v1', 'Pod');
    this.nodes = opts.informers.informerFor('v1', 'Node');
    this.podApi = opts.client.resource('v1', 'Pod');
    this.nodeApi = opts.client.resource('v1', 'Node');
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.cachesSynced(signal, [this.pods, this.nodes]))) return;
    this.logger.info('caches synced; collecting pods every %d ms', this.periodMs);
    await this.everyPeriod(signal, this.periodMs, () => this.gc(), 'pod garbage collection pass failed');
  }

  /** one pass (kube's gc) */
  async gc(): Promise<void> {
    const pods = asPods(this.pods.lister().list());
    const nodeNamed = (name: string) => this.nodes.lister().get(name) as unknown as V1Node | undefined;
    const handled = new Set<string>();
    const collect = async (victims: V1Pod[], condition?: V1PodCondition) => {
      await Promise.all(
        victims.map(async (pod) => {
          const key = objectKey(pod as unknown as KubeObject);
          if (handled.has(key)) return;
          handled.add(key);
          await this.markFailedAndDelete(pod, condition);
        }),
      );
    };
    const terminated = terminatedPodsToDelete(pods, this.threshold);
    if (terminated.length > 0) this.logger.info({ count: terminated.length }, 'garbage collecting terminated pods');
    await collect(terminated);
    await collect(terminatingPodsOnOutOfServiceNodes(pods, nodeNamed));
    await collect(podsOnNodes(pods, await this.deletedNodes(pods, (n) => nodeNamed(n) !== undefined)), orphanCondition(formatTime(this.clock.now())));
    await collect(unscheduledTerminatingPods(pods));
  }

  /** nodes missing from the cache for a whole quarantine and confirmed gone by a live GET */
  private async deletedNodes(pods: V1Pod[], cached: (name: string) => boolean): Promise<Set<string>> {
    const now = this.clock.now();
    for (const name of missingNodeNames(pods, cached)) if (!this.quarantine.has(name)) this.quarantine.set(name, now + this.quarantineMs);
    const deleted = new Set<string>();
    for (const [name, until] of this.quarantine) {
      if (until > now) continue;
      this.quarantine.delete(name);
      if (cached(name)) continue;
      try {
        await this.nodeApi.get(name);
      } catch (err) {
        if (isNotFound(err)) deleted.add(name);
        else this.logger.warn({ err, node: name }, 'could not check whether the node exists');
      }
    }
    return deleted;
  }

  private async markFailedAndDelete(pod: V1Pod, condition?: V1PodCondition): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    this.logger.info({ pod: `${namespace}/${name}` }, 'PodGC is force deleting Pod');
    try {
      const patch = markFailedPatch(pod, condition);
      // Job controllers must see a terminal phase before the pod disappears
      if (patch) await this.podApi.patch(name, 'strategic', patch, { namespace, subresource: 'status', fieldManager: 'PodGC' });
      await this.podApi.delete(name, { namespace, gracePeriodSeconds: 0 });
    } catch (err) {
      if (isNotFound(err)) return;
      this.logger.warn({ err, pod: `${namespace}/${name}` }, 'PodGC could not delete the pod');
    }
  }
}
