/**
 * The node lifecycle controller (kube's pkg/controller/nodelifecycle): tells live nodes
 * from dead ones and says so on the Node, so the scheduler stops placing pods there and
 * the taint eviction controller moves them away.
 *
 * Two loops, as in kube:
 *   monitor pass   every nodeMonitorPeriod, over all nodes (monitorNodeHealth):
 *                  - node-health.ts decides from the Lease and the Ready heartbeat whether
 *                    the kubelet went silent for the grace period; if so the node's
 *                    conditions are written Unknown (one status PUT),
 *                  - a node that just stopped being Ready: event NodeNotReady, and its
 *                    pods' Ready conditions turned False (MarkPodsNotReady; retried on the
 *                    next pass until it succeeds),
 *                  - the NoExecute taint (not-ready / unreachable) follows the Ready status
 *                    the pass observed; adding one is rate-limited per zone, and stops
 *                    when every zone is fully disrupted (then it looks like our network,
 *                    not the nodes).
 *   node workers   on every Node event (reconcile(name), level-based): the NoSchedule
 *                  taints that mirror the node's conditions and spec.unschedulable
 *                  (TaintNodesByCondition).
 * Health bookkeeping is the controller's memory, on its own Clock (kube's nodeHealthMap):
 * a restarted controller gives every node a fresh grace period, as kube's does.
 */

import type { Clock } from '../../client/clock.js';
import type { EventRecorder } from '../../client/events/types.js';
import type { SharedInformer } from '../../client/informers/index.js';
import type { KubeObject, ResourceClient } from '../../client/types.js';
import type { ReconcileResult } from '../../client/workqueue/index.js';
import { QueueController, type ControllerOptions } from '../common/queue-controller.js';
import { markPodsNotReady } from './pod-status-writer.js';
import { checkNodeHealth, type LeaseLike, type NodeCondition, type NodeHealth, type NodeLike } from './node-health.js';
import { noExecuteAction, untaintAction, type NoExecuteAction } from './no-execute-taints.js';
import { noScheduleTaintChanges } from './no-schedule-taints.js';
import { nodeTaintWriter, type NodeTaintWriter } from './node-taint-writer.js';
import { addPodNodeNameIndex, podsOnNode } from './pods-by-node.js';
import { resolveNodeLifecycleSettings, type NodeLifecycleSettings, type ResolvedNodeLifecycleSettings } from './settings.js';
import type { Taint } from './taints.js';
import { computeZoneState, zoneKey, zoneTaintRate, type ZoneState } from './zone-state.js';
import { ZoneRateLimiter } from './zone-rate-limiter.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleControllerOptions extends ControllerOptions<NodeLifecycleSettings> {
  /** events with source component node-controller */
  recorder?: EventRecorder;
}

type Node = NodeLike & { spec?: { taints?: Taint[]; unschedulable?: boolean } };

const asNode = (obj: KubeObject): Node => obj as Node;
const nodeRef = (node: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'Node', ...node });

export class NodeLifecycleController extends QueueController<EventRecorder | undefined> {
  readonly settings: ResolvedNodeLifecycleSettings;
  private readonly nodes: SharedInformer<KubeObject>;
  private readonly leases: SharedInformer<KubeObject>;
  private readonly pods: SharedInformer<KubeObject>;
  private readonly nodeClient: ResourceClient<KubeObject>;
  private readonly podClient: ResourceClient<KubeObject>;
  private readonly taints: NodeTaintWriter;
  /** what the controller remembers of each node's heartbeats */
  private readonly health = new Map<string, NodeHealth>();
  /** nodes seen by the last pass (for RegisteredNode / RemovingNode) */
  private readonly knownNodes = new Set<string>();
  /** nodes whose pods could not all be marked not ready: the next pass tries again */
  private readonly nodesToRetry = new Set<string>();
  /** nodes waiting for their zone's limiter to allow a NoExecute taint, in arrival order */
  private readonly taintQueue = new Set<string>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly zoneLimiters = new Map<string, ZoneRateLimiter>();
  private allZonesFullyDisrupted = false;

  constructor(opts: NodeLifecycleControllerOptions) {
    const settings = resolveNodeLifecycleSettings(opts.settings);
    super(opts, settings.workers);
    this.settings = settings;
    this.nodeClient = opts.client.resource('v1', 'Node');
    this.podClient = opts.client.resource('v1', 'Pod');
    this.taints = nodeTaintWriter(this.nodeClient, this.clock);

    this.nodes = opts.informers.informerFor('v1', 'Node');
    this.leases = opts.informers.informerFor('coordination.k8s.io/v1', 'Lease', { namespace: NODE_LEASE_NAMESPACE });
    this.pods = opts.informers.informerFor('v1', 'Pod');
    addPodNodeNameIndex(this.pods);

    this.nodes.addEventHandler({
      onAdd: (node) => this.queue.add(node.metadata?.name ?? ''),
      onUpdate: (_old, node) => this.queue.add(node.metadata?.name ?? ''),
      onDelete: (node) => this.taintQueue.delete(node.metadata?.name ?? ''),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.cachesSynced(signal, [this.nodes, this.leases, this.pods], 'caches synced; monitoring node health'))) return;
    const monitor = this.everyPeriod(signal, this.settings.nodeMonitorPeriodMs, () => this.monitorNodeHealth(), 'node health pass failed');
    await this.runWorkers(signal);
    await monitor;
  }

  /** the NoSchedule taints of one node (kube's doNoScheduleTaintingPass) */
  async reconcile(name: string): Promise<ReconcileResult> {
    const cached = this.nodes.lister().get(name);
    if (!cached) return;
    const { toAdd, toRemove } = noScheduleTaintChanges(asNode(cached));
    if (toAdd.length === 0 && toRemove.length === 0) return;
    this.logger.debug({ node: name, toAdd, toRemove }, 'syncing NoSchedule taints with node conditions');
    await this.taints.swap(cached, toAdd, toRemove);
  }

  /** one monitor pass over every node (kube's monitorNodeHealth) */
  async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodes.lister().list().map(asNode);
    this.trackMembership(nodes);
    const zoneReady = new Map<string, Array<NodeCondition | undefined>>();

    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      try {
        await this.checkNode(node, zoneReady);
      } catch (err) {
        this.logger.warn({ err, node: name }, 'node health check failed; skipping it this pass');
      }
    }
    await this.handleDisruption(zoneReady, nodes);
    await this.taintingPass();
  }

  private async checkNode(node: Node, zoneReady: Map<string, Array<NodeCondition | undefined>>): Promise<void> {
    const name = node.metadata?.name ?? '';
    const lease = this.leases.lister().get(name, NODE_LEASE_NAMESPACE) as LeaseLike | undefined;
    const result = checkNodeHealth({
      node,
      lease,
      saved: this.health.get(name),
      now: this.clock.now(),
      nodeMonitorGracePeriodMs: this.settings.nodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: this.settings.nodeStartupGracePeriodMs,
    });
    this.health.set(name, result.health);
    let current = node;
    if (result.conditions) {
      this.logger.info({ node: name, silentForMs: this.clock.now() - result.health.probeTimestamp }, 'node stopped posting status; marking its conditions Unknown');
      const body = { ...structuredClone(node as KubeObject), apiVersion: 'v1', kind: 'Node', status: { ...structuredClone(node.status ?? {}), conditions: result.conditions } };
      current = asNode(await this.nodeClient.updateStatus(body));
      this.health.set(name, result.healthAfterWrite!);
    }
    const currentReady = result.currentReady;
    if (!currentReady) return;
    const zone = zoneKey(node.metadata?.labels);
    if (!zoneReady.has(zone)) zoneReady.set(zone, []);
    zoneReady.get(zone)!.push(currentReady);

    await this.processTaintBasedEviction(current, result.observedReady.status);

    const justFailed = currentReady.status !== 'True' && result.observedReady.status === 'True';
    if (justFailed) this.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    if (justFailed || (this.nodesToRetry.has(name) && result.observedReady.status !== 'True')) {
      const failed = await markPodsNotReady(this.podClient, podsOnNode(this.pods, name), name, this.clock.now(), this.recorder, this.logger);
      if (failed) {
        this.nodesToRetry.add(name);
        return;
      }
    }
    this.nodesToRetry.delete(name);
  }

  /** kube's processTaintBaseEviction: swaps and removals now, additions through the zone's limiter */
  private async processTaintBasedEviction(node: Node, observedReadyStatus: string): Promise<void> {
    const name = node.metadata?.name ?? '';
    const action = noExecuteAction(node.spec?.taints, observedReadyStatus);
    if (!action) {
      if (observedReadyStatus === 'True') this.taintQueue.delete(name);
      return;
    }
    if (action.kind === 'taint') {
      this.taintQueue.add(name);
      return;
    }
    if (action.kind === 'untaint') this.taintQueue.delete(name);
    // a failed swap is retried on the next pass; the pods still get marked below
    await this.apply(node, action).catch((err: unknown) => this.logger.warn({ err, node: name }, 'failed to update NoExecute taints; retrying on the next pass'));
  }

  /** zone states and limiters (kube's handleDisruption) */
  private async handleDisruption(zoneReady: Map<string, Array<NodeCondition | undefined>>, nodes: Node[]): Promise<void> {
    const states = new Map<string, ZoneState>();
    for (const [zone, conditions] of zoneReady) states.set(zone, computeZoneState(conditions, this.settings.unhealthyZoneThreshold).state);
    const allFull = states.size > 0 && [...states.values()].every((s) => s === 'FullDisruption');
    const wasAllFull = this.allZonesFullyDisrupted;
    this.allZonesFullyDisrupted = allFull;

    if (allFull) {
      if (!wasAllFull) {
        // every node unreachable at once: more likely the control plane's network than every node
        this.logger.warn('all nodes are not ready; entering master disruption mode: no NoExecute taints until one comes back');
        for (const node of nodes) {
          const action = untaintAction(node.spec?.taints);
          if (action) await this.apply(node, action).catch((err: unknown) => this.logger.warn({ err, node: node.metadata?.name }, 'failed to remove NoExecute taints'));
        }
        this.taintQueue.clear();
      }
      for (const [zone, state] of states) {
        this.zoneStates.set(zone, state);
        this.limiter(zone).setRate(0);
      }
      return;
    }
    if (wasAllFull) this.logger.info('a node is ready again; leaving master disruption mode');
    for (const [zone, state] of states) {
      const before = this.zoneStates.get(zone);
      if (before !== state) this.logger.info({ zone, from: before ?? 'Initial', to: state }, 'zone state changed');
      this.zoneStates.set(zone, state);
      this.limiter(zone).setRate(zoneTaintRate(state, zoneReady.get(zone)?.length ?? 0, this.settings));
    }
  }

  /** kube's doNoExecuteTaintingPass: queued nodes get their taint when their zone's limiter allows */
  private async taintingPass(): Promise<void> {
    for (const name of [...this.taintQueue]) {
      const cached = this.nodes.lister().get(name);
      if (!cached) {
        this.taintQueue.delete(name);
        continue;
      }
      const node = asNode(cached);
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      const action = noExecuteAction(node.spec?.taints, ready?.status ?? 'Unknown');
      if (!action || action.kind !== 'taint') {
        // ready again, or already tainted: nothing to rate-limit any more
        this.taintQueue.delete(name);
        if (action) await this.apply(node, action).catch((err: unknown) => this.logger.warn({ err, node: name }, 'failed to update NoExecute taints'));
        continue;
      }
      if (!this.limiter(zoneKey(node.metadata?.labels)).tryAccept()) continue;
      try {
        await this.apply(node, action);
        this.taintQueue.delete(name);
      } catch (err) {
        this.logger.warn({ err, node: name }, 'failed to add NoExecute taint; retrying on the next pass');
      }
    }
  }

  private async apply(node: Node, action: NoExecuteAction): Promise<void> {
    this.logger.info({ node: node.metadata?.name, add: action.toAdd.map((t) => t.key), remove: action.toRemove.map((t) => t.key) }, 'updating NoExecute taints');
    await this.taints.swap(node as KubeObject, action.toAdd, action.toRemove);
  }

  private limiter(zone: string): ZoneRateLimiter {
    let limiter = this.zoneLimiters.get(zone);
    if (!limiter) this.zoneLimiters.set(zone, (limiter = new ZoneRateLimiter(this.clock, this.settings.evictionLimiterQPS)));
    return limiter;
  }

  /** RegisteredNode / RemovingNode events, and forgetting deleted nodes */
  private trackMembership(nodes: Node[]): void {
    const seen = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      seen.add(name);
      if (!this.knownNodes.has(name)) {
        this.knownNodes.add(name);
        this.event(node, 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
      }
    }
    for (const name of [...this.knownNodes]) {
      if (seen.has(name)) continue;
      this.knownNodes.delete(name);
      this.health.delete(name);
      this.nodesToRetry.delete(name);
      this.taintQueue.delete(name);
      this.event({ metadata: { name } }, 'Normal', 'RemovingNode', `Removing Node ${name} from Controller`);
    }
  }

  private event(node: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder?.event(nodeRef(node), type, reason, message);
  }
}
