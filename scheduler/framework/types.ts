/**
 * The plugin contract (kube-scheduler's framework interfaces), the extension points in
 * the order a pod meets them:
 *
 *   QueueSort → PreFilter → Filter (per node) → PostFilter (only when no node fits)
 *   → PreScore → Score (per node) → NormalizeScore → Reserve → Permit → Bind
 *
 * Everything up to Permit is synchronous: the scheduling cycle runs without yielding, so
 * every plugin sees the same snapshot. Only PostFilter (preemption deletes pods) and Bind
 * talk to the API server. A plugin is one object implementing the points it needs; one
 * folder per plugin under scheduler/plugins/, one registry (plugins/registry.ts).
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../client/clock.js';
import type { KubeClient } from '../../client/types.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { Status } from './status.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** the cluster as the cycle sees it (kube's SharedLister) */
export interface Snapshot {
  /** every node, in a stable order */
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** nodes with at least one pod that has a (anti-)affinity term */
  havePodsWithAffinityList(): readonly NodeInfo[];
  /** nodes with at least one pod that has a required anti-affinity term */
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
  /** how many nodes have an image (normalized name), for ImageLocality's spread factor */
  imageNodeCount(image: string): number;
}

/** pods already nominated to a node by preemption, which Filter must count as present */
export interface NominatedPods {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/** the API objects plugins may read that are not pods or nodes */
export interface Listers {
  /** PodDisruptionBudgets (policy/v1) */
  podDisruptionBudgets(): readonly import('@kubernetes/client-node').V1PodDisruptionBudget[];
  /** PersistentVolumeClaims by namespace/name, for VolumeRestrictions */
  persistentVolumeClaim(namespace: string, name: string): import('@kubernetes/client-node').V1PersistentVolumeClaim | undefined;
  /** namespaces' labels, for affinity terms with namespaceSelector */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** label selectors of the Services, ReplicaSets, StatefulSets and ReplicationControllers in the namespace that select these labels (PodTopologySpread's system default constraints, kube's DefaultSelector) */
  workloadSelectorsFor(namespace: string, podLabels: Record<string, string>): import('@kubernetes/client-node').V1LabelSelector[];
}

/** what a plugin gets when it is built (kube's framework.Handle) */
export interface Handle {
  snapshot(): Snapshot;
  nominator: NominatedPods;
  listers: Listers;
  client: KubeClient | undefined;
  clock: Clock;
  logger: Logger;
  /** run every Filter plugin on one node, counting nominated pods of equal or higher priority (preemption uses it) */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status;
  /** tell every PreFilter plugin with extensions that a pod was added to / removed from a node (preemption's what-if) */
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: V1Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: V1Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
  /** the scheduler's profile name, for events */
  profileName: string;
  /** records Events as this profile (preemption's Preempted events) */
  events?: import('../../client/events/types.js').EventRecorder;
}

export interface Plugin {
  readonly name: string;
}

export interface QueueSortPlugin extends Plugin {
  /** true when a should be scheduled before b */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** a pod waiting in the scheduling queue */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** when it was first added to the queue (ms), for age ordering */
  initialAttemptTimestamp: number;
  /** when it was last (re)added (ms) */
  timestamp: number;
  attempts: number;
  /** plugins that rejected it in its last attempt, for queueing hints */
  unschedulablePlugins: Set<string>;
}

export interface PreFilterResult {
  /** only these nodes can possibly fit (undefined: all) */
  nodeNames?: Set<string>;
}

export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: V1Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, podToSchedule: V1Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PreFilterPlugin extends Plugin {
  /** Skip = this plugin's Filter has nothing to check for this pod */
  preFilter(state: CycleState, pod: V1Pod, nodes: readonly NodeInfo[]): { status: Status; result?: PreFilterResult };
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): Status;
}

/** why each node was rejected, by node name */
export type NodeToStatusMap = Map<string, Status>;

export interface PostFilterResult {
  nominatedNodeName?: string;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: V1Pod, filtered: NodeToStatusMap): Promise<{ status: Status; result?: PostFilterResult }>;
}

export interface PreScorePlugin extends Plugin {
  /** Skip = this plugin's Score has nothing to add for this pod */
  preScore(state: CycleState, pod: V1Pod, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: V1Pod, nodeInfo: NodeInfo): { score: number; status?: Status };
  /** scale the raw scores into [0, MAX_NODE_SCORE] in place */
  normalizeScore?(state: CycleState, pod: V1Pod, scores: NodeScore[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: V1Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: V1Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Wait with timeoutMs holds the pod before binding until allowed or rejected */
  permit(state: CycleState, pod: V1Pod, nodeName: string): { status: Status; timeoutMs?: number };
}

export interface BindPlugin extends Plugin {
  /** Skip = not this binder's pod */
  bind(state: CycleState, pod: V1Pod, nodeName: string): Promise<Status>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: V1Pod, nodeName: string): void;
}

/** a plugin's constructor: its args from the profile (may be undefined) and the handle */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

/** the node, for plugins that must have one (a NodeInfo can exist before its Node arrives) */
export function nodeOf(nodeInfo: NodeInfo): V1Node | undefined {
  return nodeInfo.node;
}

/** what changed in the cluster, for moving unschedulable pods back (kube's ClusterEvent) */
export type EventResource = 'Node' | 'AssignedPod' | 'UnscheduledPod' | 'PersistentVolumeClaim' | 'PodDisruptionBudget' | 'Namespace';
export type ActionType = 'Add' | 'Update' | 'Delete';

export interface ClusterEvent {
  resource: EventResource;
  action: ActionType;
}

/**
 * A queueing hint: given the pod the plugin rejected and the changed object (old is
 * undefined for Add, new is undefined for Delete), could the change make it schedulable?
 */
export type QueueingHint = (pod: V1Pod, oldObj: unknown, newObj: unknown) => 'Queue' | 'Skip';

export interface ClusterEventWithHint {
  event: ClusterEvent;
  /** no hint: every such event requeues the pod */
  hint?: QueueingHint;
}

/** plugins that reject pods say which events might change their mind (kube's EnqueueExtensions) */
export interface EnqueueExtensions {
  eventsToRegister(): ClusterEventWithHint[];
}
