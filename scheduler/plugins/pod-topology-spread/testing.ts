/**
 * Test fixtures for PodTopologySpread's tests: nodes with zone/hostname labels, pods with
 * labels and spread constraints, and the run of one plugin through a cycle's extension
 * points (PreFilter → Filter per node; PreScore → Score → NormalizeScore). Not a test file
 * itself: tap runs *.test.ts only.
 */
import type { V1LabelSelector, V1Node, V1Pod, V1Taint, V1Toleration, V1TopologySpreadConstraint } from '@kubernetes/client-node';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { Status } from '../../framework/status.js';
import type { NodeScore } from '../../framework/types.js';
import { fakeHandle, nodeInfos } from '../helpers/fake-handle.js';

export { nodeInfos };
import { PodTopologySpread, factory } from './index.js';

export const ZONE = 'zone';
export const HOST = 'kubernetes.io/hostname';

/** a node labelled with its hostname and the extra labels */
export function node(name: string, labels: Record<string, string> = {}, taints?: V1Taint[]): V1Node {
  return { metadata: { name, labels: { [HOST]: name, ...labels } }, ...(taints ? { spec: { taints } } : {}) };
}

/** a node with exactly these labels (no hostname) */
export function bareNode(name: string, labels: Record<string, string> = {}): V1Node {
  return { metadata: { name, labels } };
}

export interface PodOptions {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  constraints?: V1TopologySpreadConstraint[];
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  terminating?: boolean;
  uid?: string;
}

let counter = 0;

export function pod(o: PodOptions = {}): V1Pod {
  const name = o.name ?? `p${++counter}`;
  return {
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? `uid-${name}`,
      labels: o.labels ?? {},
      ...(o.terminating ? { deletionTimestamp: new Date(0) } : {}),
    },
    spec: {
      containers: [{ name: 'c' }],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.constraints ? { topologySpreadConstraints: o.constraints } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    },
  };
}

/** `n` pods with these labels on a node */
export function podsOn(nodeName: string, n: number, labels: Record<string, string> = { foo: '' }, extra: PodOptions = {}): V1Pod[] {
  return Array.from({ length: n }, () => pod({ ...extra, nodeName, labels }));
}

/** a constraint selecting pods that have label `foo` (kube's tests use st.MakeLabelSelector().Exists("foo")) */
export function constraint(
  topologyKey: string,
  maxSkew: number,
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule',
  extra: Partial<V1TopologySpreadConstraint> = {},
): V1TopologySpreadConstraint {
  const labelSelector: V1LabelSelector = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
  return { topologyKey, maxSkew, whenUnsatisfiable, labelSelector, ...extra };
}

export interface Cluster {
  infos: NodeInfo[];
  plugin: PodTopologySpread;
}

export function cluster(nodes: V1Node[], pods: V1Pod[] = [], args?: unknown, workloadSelectors?: V1LabelSelector[]): Cluster {
  const infos = nodeInfos(nodes, pods);
  const handle = fakeHandle(infos, workloadSelectors ? { workloadSelectors } : {});
  return { infos, plugin: factory(args, handle) as PodTopologySpread };
}

/** PreFilter, then (when it succeeded) Filter on every node, by node name */
export function runFilter(c: Cluster, incoming: V1Pod): { state: CycleState; preFilter: Status; results: Map<string, Status> } {
  const state = new CycleState();
  const preFilter = c.plugin.preFilter(state, incoming).status;
  const results = new Map<string, Status>();
  if (preFilter.code === 'Success') for (const info of c.infos) results.set(info.name, c.plugin.filter(state, incoming, info));
  return { state, preFilter, results };
}

/** PreScore over the candidate nodes, then Score and NormalizeScore; scores undefined when PreScore skipped */
export function runScore(c: Cluster, incoming: V1Pod, candidates: string[] = c.infos.map((i) => i.name)): { preScore: Status; scores?: Record<string, number>; raw?: Record<string, number> } {
  const state = new CycleState();
  const filtered = c.infos.filter((i) => candidates.includes(i.name));
  const preScore = c.plugin.preScore(state, incoming, filtered);
  if (preScore.code !== 'Success') return { preScore };
  const list: NodeScore[] = filtered.map((i) => ({ name: i.name, score: c.plugin.score(state, incoming, i).score }));
  const raw = Object.fromEntries(list.map((s) => [s.name, s.score]));
  c.plugin.normalizeScore(state, incoming, list);
  return { preScore, raw, scores: Object.fromEntries(list.map((s) => [s.name, s.score])) };
}
