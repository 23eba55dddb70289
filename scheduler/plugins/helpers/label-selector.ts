/**
 * Label selectors (metav1.LabelSelector) as kube-scheduler evaluates them, shared by every
 * plugin that selects pods or namespaces (InterPodAffinity, PodTopologySpread, …).
 *
 * Semantics follow metav1.LabelSelectorAsSelector: a missing (null/undefined) selector
 * matches nothing, an empty one ({}) matches everything, and every matchLabels entry and
 * every matchExpressions requirement must hold (AND). An unknown operator makes the whole
 * selector invalid; kube then treats it as matching nothing rather than failing the cycle,
 * and so do we.
 */
import type { V1LabelSelector, V1LabelSelectorRequirement } from '@kubernetes/client-node';

export type Labels = Record<string, string>;
export type LabelMatcher = (labels: Labels | undefined) => boolean;

const never: LabelMatcher = () => false;
const always: LabelMatcher = () => true;

/** one requirement compiled to a predicate; undefined when the operator is unknown */
function compileRequirement(req: V1LabelSelectorRequirement): LabelMatcher | undefined {
  const key = req.key;
  const values = new Set(req.values ?? []);
  switch (req.operator) {
    case 'In':
      return (labels) => labels !== undefined && Object.hasOwn(labels, key) && values.has(labels[key]!);
    case 'NotIn':
      // a missing label is "not in" any set, as in kube
      return (labels) => labels === undefined || !Object.hasOwn(labels, key) || !values.has(labels[key]!);
    case 'Exists':
      return (labels) => labels !== undefined && Object.hasOwn(labels, key);
    case 'DoesNotExist':
      return (labels) => labels === undefined || !Object.hasOwn(labels, key);
    default:
      return undefined;
  }
}

/**
 * Compile a selector once into a fast predicate: plugins evaluate the same selector
 * against every pod on every node, so the per-call work is only the comparisons.
 */
export function labelSelectorMatcher(selector: V1LabelSelector | undefined | null): LabelMatcher {
  if (!selector) return never;
  const checks: LabelMatcher[] = [];
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  if (matchLabels.length) {
    checks.push((labels) => labels !== undefined && matchLabels.every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v));
  }
  for (const req of selector.matchExpressions ?? []) {
    const check = compileRequirement(req);
    if (!check) return never;
    checks.push(check);
  }
  if (checks.length === 0) return always;
  if (checks.length === 1) return checks[0]!;
  return (labels) => checks.every((c) => c(labels));
}

/** does the selector select these labels (null selector: nothing; {}: everything) */
export function matchLabelSelector(selector: V1LabelSelector | undefined | null, labels: Labels | undefined): boolean {
  return labelSelectorMatcher(selector)(labels);
}
