/**
 * The pod's hard node constraints as the spreading counts see them (kube's
 * nodeaffinity.GetRequiredNodeAffinity): spec.nodeSelector AND the required node affinity
 * terms. With nodeAffinityPolicy Honor (the default) only nodes they admit form domains,
 * so a pod pinned to zone A is not held back by the pods in zone B.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { matchNodeSelectorMap, nodeSelectorMatcher } from '../helpers/node-selector.js';

export function requiredNodeAffinity(pod: V1Pod): (node: V1Node) => boolean {
  const selector = pod.spec?.nodeSelector;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = required ? nodeSelectorMatcher(required) : undefined;
  return (node) => matchNodeSelectorMap(selector, node) && (terms === undefined || terms(node));
}
