/**
 * Test doubles for DefaultPreemption's tests: pods and nodes in one line each, fake
 * Filter plugins (a pod-slot count, a CPU check, an unresolvable taint, a what-if counter
 * with PreFilter extensions), a handle over the real framework Framework (so the
 * nominated-pods filter logic is the scheduler's own), and a KubeClient that records the
 * writes preemption makes and fails the ones a test asks it to.
 */
import type { V1Node, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { pino } from 'pino';
import { ApiError } from '../../../client/api-error.js';
import { FakeClock } from '../../../client/clock.js';
import type { DeleteOptions, KubeClient, KubeObject, PatchType, ResourceClient } from '../../../client/types.js';
import { EXTENSION_POINTS } from '../../config/types.js';
import { CycleState, type StateData } from '../../framework/cycle-state.js';
import { NodeInfo, newPodInfo, type PodInfo } from '../../framework/node-info.js';
import { Framework } from '../../framework/runtime.js';
import { success, unresolvable, unschedulable, type Status } from '../../framework/status.js';
import type { FilterPlugin, Handle, NodeToStatusMap, Plugin, PreFilterPlugin, Snapshot } from '../../framework/types.js';

export interface PodSpec {
  name: string;
  priority?: number;
  cpu?: string;
  labels?: Record<string, string>;
  node?: string;
  nominated?: string;
  /** ISO time of status.startTime */
  start?: string;
  deleting?: boolean;
  preemptedCondition?: boolean;
  policy?: 'Never' | 'PreemptLowerPriority';
  namespace?: string;
}

export function makePod(s: PodSpec): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: s.name,
      namespace: s.namespace ?? 'default',
      uid: `uid-${s.name}`,
      ...(s.labels ? { labels: s.labels } : {}),
      ...(s.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' as unknown as Date } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'x', ...(s.cpu ? { resources: { requests: { cpu: s.cpu } } } : {}) }],
      ...(s.priority !== undefined ? { priority: s.priority } : {}),
      ...(s.node ? { nodeName: s.node } : {}),
      ...(s.policy ? { preemptionPolicy: s.policy } : {}),
      schedulerName: 'default-scheduler',
    },
    status: {
      ...(s.nominated ? { nominatedNodeName: s.nominated } : {}),
      ...(s.start ? { startTime: s.start as unknown as Date } : {}),
      ...(s.preemptedCondition ? { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] } : {}),
    },
  };
}

export interface NodeSpec {
  name: string;
  /** pod slots (allocatable pods) */
  slots?: number;
  cpu?: string;
  labels?: Record<string, string>;
  pods?: PodSpec[];
}

export function makeNodeInfo(s: NodeSpec): NodeInfo {
  const node: V1Node = {
    metadata: { name: s.name, ...(s.labels ? { labels: s.labels } : {}) },
    status: { allocatable: { pods: String(s.slots ?? 110), cpu: s.cpu ?? '64' } },
  };
  const info = new NodeInfo(s.name, node);
  for (const p of s.pods ?? []) info.addPod(newPodInfo(makePod({ ...p, node: s.name })));
  return info;
}

export function fakeSnapshot(nodes: NodeInfo[]): Snapshot {
  return {
    list: () => nodes,
    get: (name) => nodes.find((n) => n.name === name),
    havePodsWithAffinityList: () => [],
    havePodsWithRequiredAntiAffinityList: () => [],
    imageNodeCount: () => 0,
  };
}

/** "Too many pods" (kube's NodeResourcesFit text) when the node's pod slots are all taken */
export const podSlotsFilter: FilterPlugin = {
  name: 'FakePodSlots',
  filter(_state, _pod, nodeInfo) {
    return nodeInfo.pods.size + 1 > nodeInfo.allocatable.allowedPodNumber ? unschedulable('Too many pods') : success();
  },
};

export const cpuFilter: FilterPlugin = {
  name: 'FakeCpu',
  filter(_state, pod, nodeInfo) {
    const want = newPodInfo(pod).requests.milliCPU;
    return nodeInfo.requested.milliCPU + want > nodeInfo.allocatable.milliCPU ? unschedulable('Insufficient cpu') : success();
  },
};

/** a node labelled tainted=yes rejects everything, and evicting pods cannot change that */
export const taintFilter: FilterPlugin = {
  name: 'FakeTaint',
  filter(_state, _pod, nodeInfo) {
    return nodeInfo.node?.metadata?.labels?.['tainted'] === 'yes' ? unresolvable('node(s) had untolerated taint {tainted: yes}') : success();
  },
};

class Count implements StateData {
  constructor(readonly byNode: Map<string, number>) {}
  clone(): Count {
    return new Count(new Map(this.byNode));
  }
}

/**
 * A what-if counter like inter-pod anti-affinity: PreFilter counts pods labelled
 * role=blocker per node into the CycleState; its extensions keep the count right as
 * preemption removes and re-adds pods; Filter rejects a node with any blocker left.
 */
export const blockerPlugin: PreFilterPlugin & FilterPlugin = {
  name: 'FakeBlocker',
  preFilter(state, _pod, nodes) {
    const byNode = new Map<string, number>();
    for (const n of nodes) byNode.set(n.name, n.podList().filter((p) => p.pod.metadata?.labels?.['role'] === 'blocker').length);
    state.write('FakeBlocker', new Count(byNode));
    return { status: success() };
  },
  preFilterExtensions() {
    const change = (state: CycleState, info: PodInfo, nodeName: string, by: number): Status => {
      const c = state.read<Count>('FakeBlocker');
      if (c && info.pod.metadata?.labels?.['role'] === 'blocker') c.byNode.set(nodeName, (c.byNode.get(nodeName) ?? 0) + by);
      return success();
    };
    return {
      addPod: (state, _pod, info, nodeInfo) => change(state, info, nodeInfo.name, 1),
      removePod: (state, _pod, info, nodeInfo) => change(state, info, nodeInfo.name, -1),
    };
  },
  filter(state, _pod, nodeInfo) {
    return (state.read<Count>('FakeBlocker')?.byNode.get(nodeInfo.name) ?? 0) > 0 ? unschedulable('node(s) had a blocker pod') : success();
  },
};

export interface ClientCall {
  verb: 'patch' | 'delete';
  name: string;
  namespace?: string;
  type?: PatchType;
  body?: unknown;
  subresource?: string;
  preconditions?: DeleteOptions['preconditions'];
}

/** a KubeClient that records pod patches and deletes; `fail` maps "verb name" → the error to throw */
export function recordingClient(fail: Record<string, Error> = {}): { client: KubeClient; calls: ClientCall[] } {
  const calls: ClientCall[] = [];
  const unsupported = (): never => {
    throw new Error('not used by preemption');
  };
  const pods: ResourceClient = {
    apiVersion: 'v1',
    kind: 'Pod',
    get: unsupported,
    list: unsupported,
    create: unsupported,
    update: unsupported,
    updateStatus: unsupported,
    apply: unsupported,
    watch: unsupported,
    createSubresource: unsupported,
    getSubresource: unsupported,
    async patch(name, type, body, opts) {
      calls.push({ verb: 'patch', name, type, body, ...(opts?.namespace ? { namespace: opts.namespace } : {}), ...(opts?.subresource ? { subresource: opts.subresource } : {}) });
      const err = fail[`patch ${name}`];
      if (err) throw err;
      return {} as KubeObject;
    },
    async delete(name, opts) {
      calls.push({ verb: 'delete', name, ...(opts?.namespace ? { namespace: opts.namespace } : {}), ...(opts?.preconditions ? { preconditions: opts.preconditions } : {}) });
      const err = fail[`delete ${name}`];
      if (err) throw err;
      return {} as KubeObject;
    },
  };
  const client: KubeClient = {
    resource: <T extends KubeObject>() => pods as unknown as ResourceClient<T>,
    mapping: unsupported,
    userAgent: 'test',
    close: () => {},
  };
  return { client, calls };
}

export const apiError = (code: number, reason: string): ApiError =>
  new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message: `${reason} (test)` } as never);

export interface Recorded {
  name: string | undefined;
  type: string;
  reason: string;
  message: string;
}

export interface FakeCluster {
  handle: Handle;
  framework: Framework;
  calls: ClientCall[];
  events: Recorded[];
  eventSink: { event(regarding: KubeObject, type: string, reason: string, message: string): void };
  /** the cycle state after PreFilter, and the Filter statuses per node, as the scheduler would pass them */
  runFilters(pod: V1Pod): { state: CycleState; filtered: NodeToStatusMap };
}

export interface FakeClusterOptions {
  nodes: NodeInfo[];
  plugins?: Plugin[];
  pdbs?: V1PodDisruptionBudget[];
  /** pods nominated to nodes, by node name */
  nominated?: Record<string, V1Pod[]>;
  fail?: Record<string, Error>;
  clock?: FakeClock;
}

export function fakeCluster(opts: FakeClusterOptions): FakeCluster {
  // kube runs TaintToleration before NodeResourcesFit: the first rejection is the one reported
  const plugins = opts.plugins ?? [taintFilter, podSlotsFilter, cpuFilter];
  const points = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, [] as string[]])) as Record<(typeof EXTENSION_POINTS)[number], string[]>;
  for (const p of plugins) {
    if ('preFilter' in p) points.preFilter.push(p.name);
    if ('filter' in p) points.filter.push(p.name);
  }
  const framework = new Framework('default-scheduler', new Map(plugins.map((p) => [p.name, p])), { points, weights: new Map() }, undefined);
  const nominated = new Map(Object.entries(opts.nominated ?? {}).map(([node, pods]) => [node, pods.map(newPodInfo)]));
  const nominator = { nominatedPodsForNode: (node: string) => nominated.get(node) ?? [] };
  framework.setNominator(nominator);
  const { client, calls } = recordingClient(opts.fail);
  const events: Recorded[] = [];
  const eventSink = {
    event(regarding: KubeObject, type: string, reason: string, message: string) {
      events.push({ name: regarding.metadata?.name, type, reason, message });
    },
  };
  const snapshot = fakeSnapshot(opts.nodes);
  const handle: Handle = {
    snapshot: () => snapshot,
    nominator,
    listers: {
      podDisruptionBudgets: () => opts.pdbs ?? [],
      persistentVolumeClaim: () => undefined,
      namespaceLabels: () => undefined,
      workloadSelectorsFor: () => [],
    },
    client,
    clock: opts.clock ?? new FakeClock(),
    logger: pino({ level: 'silent' }),
    runFilterPluginsWithNominatedPods: (s, p, n) => framework.runFilterPluginsWithNominatedPods(s, p, n),
    runPreFilterExtensionAddPod: (s, p, i, n) => framework.runPreFilterExtensionAddPod(s, p, i, n),
    runPreFilterExtensionRemovePod: (s, p, i, n) => framework.runPreFilterExtensionRemovePod(s, p, i, n),
    profileName: 'default-scheduler',
  };
  return {
    handle,
    framework,
    calls,
    events,
    eventSink,
    runFilters(pod) {
      const state = new CycleState();
      framework.runPreFilterPlugins(state, pod, opts.nodes);
      const filtered: NodeToStatusMap = new Map();
      for (const n of opts.nodes) filtered.set(n.name, framework.runFilterPluginsWithNominatedPods(state, pod, n));
      return { state, filtered };
    },
  };
}
