/**
 * Test fixtures for InterPodAffinity's tests: nodes with labels, pods with labels and
 * affinity, NodeInfos holding them, and the shared fake Handle with namespace labels.
 * Not a test file itself: tap runs *.test.ts only.
 */
import type { V1Affinity, V1Node, V1Pod, V1PodAffinityTerm, V1WeightedPodAffinityTerm } from '@kubernetes/client-node';
import type { NodeInfo } from '../../framework/node-info.js';
import type { Handle } from '../../framework/types.js';
import { nodeInfos, fakeHandle as sharedFakeHandle } from '../helpers/fake-handle.js';

export { nodeInfos };

export function node(name: string, labels: Record<string, string> = {}): V1Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } };
}

/** a node with no labels at all (not even the hostname) */
export function bareNode(name: string): V1Node {
  return { metadata: { name } };
}

export interface PodSpec {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  affinity?: V1PodAffinityTerm[];
  antiAffinity?: V1PodAffinityTerm[];
  preferredAffinity?: V1WeightedPodAffinityTerm[];
  preferredAntiAffinity?: V1WeightedPodAffinityTerm[];
}

let podCounter = 0;

export function pod(spec: PodSpec = {}): V1Pod {
  const affinity: V1Affinity = {};
  if (spec.affinity || spec.preferredAffinity) {
    affinity.podAffinity = {
      ...(spec.affinity ? { requiredDuringSchedulingIgnoredDuringExecution: spec.affinity } : {}),
      ...(spec.preferredAffinity ? { preferredDuringSchedulingIgnoredDuringExecution: spec.preferredAffinity } : {}),
    };
  }
  if (spec.antiAffinity || spec.preferredAntiAffinity) {
    affinity.podAntiAffinity = {
      ...(spec.antiAffinity ? { requiredDuringSchedulingIgnoredDuringExecution: spec.antiAffinity } : {}),
      ...(spec.preferredAntiAffinity ? { preferredDuringSchedulingIgnoredDuringExecution: spec.preferredAntiAffinity } : {}),
    };
  }
  return {
    metadata: { name: spec.name ?? `p${++podCounter}`, namespace: spec.namespace ?? 'default', labels: spec.labels ?? {} },
    spec: {
      containers: [{ name: 'c' }],
      ...(spec.nodeName ? { nodeName: spec.nodeName } : {}),
      ...(Object.keys(affinity).length ? { affinity } : {}),
    },
  };
}

/** a required term selecting matchLabels in topologyKey */
export function term(matchLabels: Record<string, string>, topologyKey: string, extra: Partial<V1PodAffinityTerm> = {}): V1PodAffinityTerm {
  return { labelSelector: { matchLabels }, topologyKey, ...extra };
}

export function weighted(weight: number, t: V1PodAffinityTerm): V1WeightedPodAffinityTerm {
  return { weight, podAffinityTerm: t };
}

/** the shared fake Handle (helpers/fake-handle.ts) with these namespaces' labels */
export function fakeHandle(infos: readonly NodeInfo[], namespaces: Record<string, Record<string, string>> = { default: {} }): Handle {
  return sharedFakeHandle(infos, { namespaceLabels: namespaces });
}
