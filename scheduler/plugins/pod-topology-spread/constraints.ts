/**
 * A pod's topology spread constraints in the form PreFilter/Filter and PreScore/Score use
 * (kube's topologySpreadConstraint, common.go): one whenUnsatisfiable kind at a time, the
 * label selector compiled once, matchLabelKeys folded into the selector, the optional
 * fields defaulted (minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore).
 *
 * When the pod has no constraints of its own, the plugin's default constraints apply, all
 * sharing one selector built from the workloads that select the pod (kube's
 * DefaultSelector); with no such workload there are no default constraints.
 *
 * Also the two per-node questions both halves ask: does the node carry every topology key,
 * and is it eligible for one constraint under its node inclusion policies.
 */
import type { V1LabelSelector, V1LabelSelectorRequirement, V1Node, V1Pod, V1TopologySpreadConstraint } from '@kubernetes/client-node';
import type { PodInfo } from '../../framework/node-info.js';
import { labelSelectorMatcher, type LabelMatcher } from '../helpers/label-selector.js';
import { findUntoleratedTaint } from '../helpers/tolerations.js';

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';
export type NodeInclusionPolicy = 'Honor' | 'Ignore';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  /** the selector after matchLabelKeys were merged in; undefined selects nothing */
  readonly selector: V1LabelSelector | undefined;
  readonly matches: LabelMatcher;
  /**
   * false when the selector has no requirements at all: kube's countPodsMatchSelector
   * counts no existing pods for an empty selector (even though the incoming pod still
   * "matches" it for its self-count in Filter), and we keep that quirk.
   */
  readonly countsExistingPods: boolean;
  readonly minDomains: number;
  readonly nodeAffinityPolicy: NodeInclusionPolicy;
  readonly nodeTaintsPolicy: NodeInclusionPolicy;
}

const KNOWN_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

const hasRequirements = (s: V1LabelSelector | undefined): boolean =>
  Boolean(s && (Object.keys(s.matchLabels ?? {}).length > 0 || (s.matchExpressions ?? []).length > 0));

/** an invalid selector fails the cycle with an Error status, as LabelSelectorAsSelector's error does in kube */
function checkSelector(selector: V1LabelSelector | undefined): void {
  for (const r of selector?.matchExpressions ?? []) {
    if (!KNOWN_OPERATORS.has(r.operator)) throw new Error(`"${r.operator}" is not a valid label selector operator`);
  }
}

/**
 * matchLabelKeys: the pod's own values for those keys are ANDed into the selector, so
 * only pods of the same revision/variant are counted. Keys the pod lacks are ignored, and
 * a missing selector stays a selector of nothing (kube's mergeLabelSetWithSelector).
 */
function mergeMatchLabelKeys(selector: V1LabelSelector | undefined, keys: readonly string[] | undefined, podLabels: Record<string, string>): V1LabelSelector | undefined {
  if (!selector || !keys?.length) return selector;
  const extra: V1LabelSelectorRequirement[] = [];
  for (const key of keys) {
    if (Object.hasOwn(podLabels, key)) extra.push({ key, operator: 'In', values: [podLabels[key]!] });
  }
  if (extra.length === 0) return selector;
  return { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
}

export function compileConstraint(c: V1TopologySpreadConstraint, selector: V1LabelSelector | undefined): SpreadConstraint {
  checkSelector(selector);
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    matches: labelSelectorMatcher(selector),
    countsExistingPods: hasRequirements(selector),
    minDomains: c.minDomains ?? 1,
    nodeAffinityPolicy: (c.nodeAffinityPolicy as NodeInclusionPolicy | undefined) ?? 'Honor',
    nodeTaintsPolicy: (c.nodeTaintsPolicy as NodeInclusionPolicy | undefined) ?? 'Ignore',
  };
}

/** the pod's own constraints of one kind (kube's filterTopologySpreadConstraints) */
export function podConstraints(pod: V1Pod, action: WhenUnsatisfiable): SpreadConstraint[] {
  const labels = pod.metadata?.labels ?? {};
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === action)
    .map((c) => compileConstraint(c, mergeMatchLabelKeys(c.labelSelector, c.matchLabelKeys, labels)));
}

/** the workloads' selectors ANDed into one (they all select the pod, so they cannot conflict) */
export function mergeSelectors(selectors: readonly V1LabelSelector[]): V1LabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: V1LabelSelectorRequirement[] = [];
  for (const s of selectors) {
    Object.assign(matchLabels, s.matchLabels ?? {});
    matchExpressions.push(...(s.matchExpressions ?? []));
  }
  return { matchLabels, matchExpressions };
}

/** default constraints of one kind with the workload selector (kube's buildDefaultConstraints) */
export function defaultConstraints(defaults: readonly V1TopologySpreadConstraint[], action: WhenUnsatisfiable, workloadSelectors: () => V1LabelSelector[]): SpreadConstraint[] {
  const ofKind = defaults.filter((c) => c.whenUnsatisfiable === action);
  if (ofKind.length === 0) return [];
  const selector = mergeSelectors(workloadSelectors());
  if (!hasRequirements(selector)) return [];
  return ofKind.map((c) => compileConstraint(c, selector));
}

/** does the node carry every constraint's topology key */
export function nodeHasAllTopologyKeys(labels: Record<string, string> | undefined, constraints: readonly SpreadConstraint[]): boolean {
  if (!labels) return constraints.length === 0;
  return constraints.every((c) => Object.hasOwn(labels, c.topologyKey));
}

/** kube's DoNotScheduleTaintsFilterFunc: only taints that keep pods off a node count */
const blocksScheduling = (t: { effect: string }): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/**
 * Is the node one of the constraint's domains' members: with nodeAffinityPolicy Honor the
 * pod's nodeSelector/required node affinity must admit it; with nodeTaintsPolicy Honor the
 * pod must tolerate its NoSchedule/NoExecute taints.
 */
export function nodeIncluded(c: SpreadConstraint, pod: V1Pod, node: V1Node, affinityAdmits: (node: V1Node) => boolean): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !affinityAdmits(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, blocksScheduling)) return false;
  return true;
}

/**
 * Does an existing pod count for the constraint: same namespace as the incoming pod, not
 * being deleted (a terminating pod is about to free its domain), selected.
 */
export function podCounts(pod: V1Pod, c: SpreadConstraint, namespace: string): boolean {
  if (!c.countsExistingPods) return false;
  const meta = pod.metadata;
  if (meta?.deletionTimestamp || (meta?.namespace ?? '') !== namespace) return false;
  return c.matches(meta?.labels ?? {});
}

/** how many of a node's pods count for the constraint */
export function countMatchingPods(pods: Iterable<PodInfo>, c: SpreadConstraint, namespace: string): number {
  if (!c.countsExistingPods) return 0;
  let n = 0;
  for (const info of pods) if (podCounts(info.pod, c, namespace)) n++;
  return n;
}
