/**
 * Label selectors as controllers read them (apimachinery's LabelSelectorAsSelector): a
 * missing (null) selector selects NOTHING, an empty one ({}) selects EVERYTHING, and the
 * requirements of matchLabels and matchExpressions must all hold. An invalid selector
 * (unknown operator, In/NotIn without values, Exists with values) is an error, because a
 * controller must not guess what the user meant — kube reports it and selects no pods.
 *
 * Controllers keep their own copy rather than importing the API server's (ARCHITECTURE.md:
 * controllers/ never import apiserver/); the scheduler's plugins have theirs for the same
 * reason. The semantics here are the controllers' (empty = everything), which differ from
 * the eviction subresource's (empty = nothing).
 */
import type { V1LabelSelector } from '@kubernetes/client-node';

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const nothing: LabelMatcher = () => false;
const everything: LabelMatcher = () => true;

/** compile a selector once, match many label sets; throws Error on an invalid selector */
export function labelSelectorMatcher(selector: V1LabelSelector | null | undefined): LabelMatcher {
  if (selector === null || selector === undefined) return nothing;
  const checks: LabelMatcher[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    checks.push((labels) => labels?.[key] === value);
  }
  for (const expr of selector.matchExpressions ?? []) checks.push(expressionMatcher(expr.key, expr.operator, expr.values));
  if (checks.length === 0) return everything;
  return (labels) => checks.every((check) => check(labels));
}

function expressionMatcher(key: string, operator: string, values: string[] | undefined): LabelMatcher {
  const set = new Set(values ?? []);
  switch (operator) {
    case 'In':
    case 'NotIn': {
      if (set.size === 0) throw new Error(`values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`);
      const wantIn = operator === 'In';
      return (labels) => {
        const has = labels !== undefined && Object.hasOwn(labels, key);
        // NotIn also matches a label set without the key, as kube's selectors do
        return wantIn ? has && set.has(labels[key]!) : !has || !set.has(labels[key]!);
      };
    }
    case 'Exists':
    case 'DoesNotExist': {
      if (set.size > 0) throw new Error(`values: Invalid value: ${JSON.stringify([...set])}: values set must be empty for exists and does not exist`);
      const wantPresent = operator === 'Exists';
      return (labels) => (labels !== undefined && Object.hasOwn(labels, key)) === wantPresent;
    }
    default:
      throw new Error(`${JSON.stringify(operator)} is not a valid label selector operator`);
  }
}

/** matches, treating an invalid selector as selecting nothing (for event routing, where there is nobody to tell) */
export function selectorMatchesOrFalse(selector: V1LabelSelector | null | undefined, labels: Record<string, string> | undefined): boolean {
  try {
    return labelSelectorMatcher(selector)(labels);
  } catch {
    return false;
  }
}
