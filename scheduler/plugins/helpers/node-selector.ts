/**
 * Node selector terms (v1.NodeSelector, v1.PreferredSchedulingTerm) as kube evaluates them
 * (component-helpers' nodeaffinity package), shared by NodeAffinity, PodTopologySpread and
 * anything else that asks "does this pod's node affinity admit this node".
 *
 * - The terms of a NodeSelector are ORed; inside a term, matchExpressions (on labels) and
 *   matchFields (only metadata.name) are ANDed.
 * - A term with no requirements at all matches nothing (kube skips it), so an empty
 *   NodeSelector matches no node.
 * - A term with an invalid requirement (unknown operator, Gt/Lt without exactly one
 *   integer value, a field other than metadata.name) is ignored — it matches nothing —
 *   while the other terms still count, as kube's lazy-error node selector does.
 * - Gt/Lt compare the label value as an integer; a value that is not an integer fails.
 */
import type { V1Node, V1NodeSelector, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1Pod, V1PreferredSchedulingTerm } from '@kubernetes/client-node';

type NodeMatcher = (labels: Record<string, string>, name: string) => boolean;

const INTEGER = /^[+-]?\d+$/;

function parseInteger(s: string | undefined): number | undefined {
  if (s === undefined || !INTEGER.test(s)) return undefined;
  return Number(s);
}

/** one label requirement; undefined when it is invalid */
function labelRequirement(req: V1NodeSelectorRequirement): ((labels: Record<string, string>) => boolean) | undefined {
  const key = req.key;
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In': {
      const set = new Set(values);
      return (labels) => Object.hasOwn(labels, key) && set.has(labels[key]!);
    }
    case 'NotIn': {
      const set = new Set(values);
      return (labels) => !Object.hasOwn(labels, key) || !set.has(labels[key]!);
    }
    case 'Exists':
      return (labels) => Object.hasOwn(labels, key);
    case 'DoesNotExist':
      return (labels) => !Object.hasOwn(labels, key);
    case 'Gt':
    case 'Lt': {
      const bound = values.length === 1 ? parseInteger(values[0]) : undefined;
      if (bound === undefined) return undefined;
      const greater = req.operator === 'Gt';
      return (labels) => {
        const v = Object.hasOwn(labels, key) ? parseInteger(labels[key]) : undefined;
        if (v === undefined) return false;
        return greater ? v > bound : v < bound;
      };
    }
    default:
      return undefined;
  }
}

/** one field requirement: only metadata.name with In/NotIn is meaningful; undefined when invalid */
function fieldRequirement(req: V1NodeSelectorRequirement): ((name: string) => boolean) | undefined {
  if (req.key !== 'metadata.name') return undefined;
  const set = new Set(req.values ?? []);
  if (req.operator === 'In') return (name) => set.has(name);
  if (req.operator === 'NotIn') return (name) => !set.has(name);
  return undefined;
}

const isEmptyTerm = (term: V1NodeSelectorTerm): boolean => !term.matchExpressions?.length && !term.matchFields?.length;

/** a term compiled; undefined when it is empty or invalid (it then matches nothing) */
function compileTerm(term: V1NodeSelectorTerm): NodeMatcher | undefined {
  if (isEmptyTerm(term)) return undefined;
  const labelChecks: ((labels: Record<string, string>) => boolean)[] = [];
  for (const req of term.matchExpressions ?? []) {
    const check = labelRequirement(req);
    if (!check) return undefined;
    labelChecks.push(check);
  }
  const fieldChecks: ((name: string) => boolean)[] = [];
  for (const req of term.matchFields ?? []) {
    const check = fieldRequirement(req);
    if (!check) return undefined;
    fieldChecks.push(check);
  }
  return (labels, name) => labelChecks.every((c) => c(labels)) && fieldChecks.every((c) => c(name));
}

const nodeLabels = (node: V1Node): Record<string, string> => node.metadata?.labels ?? {};
const nodeName = (node: V1Node): string => node.metadata?.name ?? '';

/** does one term admit the node */
export function matchNodeSelectorTerm(term: V1NodeSelectorTerm, node: V1Node): boolean {
  const m = compileTerm(term);
  return m !== undefined && m(nodeLabels(node), nodeName(node));
}

/** a NodeSelector compiled once into a predicate over nodes (terms ORed) */
export function nodeSelectorMatcher(selector: V1NodeSelector | undefined): (node: V1Node) => boolean {
  const terms = (selector?.nodeSelectorTerms ?? []).map(compileTerm).filter((m): m is NodeMatcher => m !== undefined);
  return (node) => {
    const labels = nodeLabels(node);
    const name = nodeName(node);
    return terms.some((m) => m(labels, name));
  };
}

/** required terms: does any term admit the node (none / all-empty terms: no) */
export function matchNodeSelectorTerms(terms: readonly V1NodeSelectorTerm[] | undefined, node: V1Node): boolean {
  return nodeSelectorMatcher({ nodeSelectorTerms: [...(terms ?? [])] })(node);
}

/** preferred terms compiled once into (node) → sum of the weights of the terms that match */
export function preferredSchedulingTermsScorer(terms: readonly V1PreferredSchedulingTerm[] | undefined): (node: V1Node) => number {
  const compiled: { weight: number; match: NodeMatcher }[] = [];
  for (const term of terms ?? []) {
    // weight 0 and empty preferences can never contribute (kube drops them too)
    if (!term.weight || !term.preference) continue;
    const match = compileTerm(term.preference);
    if (match) compiled.push({ weight: term.weight, match });
  }
  return (node) => {
    const labels = nodeLabels(node);
    const name = nodeName(node);
    let sum = 0;
    for (const t of compiled) if (t.match(labels, name)) sum += t.weight;
    return sum;
  };
}

/** sum of the weights of the preferred terms that admit the node */
export function preferredSchedulingTermsScore(terms: readonly V1PreferredSchedulingTerm[] | undefined, node: V1Node): number {
  return preferredSchedulingTermsScorer(terms)(node);
}

/** a plain pod.spec.nodeSelector map: every pair must be a node label */
export function matchNodeSelectorMap(selector: Record<string, string> | undefined, node: V1Node): boolean {
  if (!selector) return true;
  const labels = nodeLabels(node);
  for (const [k, v] of Object.entries(selector)) if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  return true;
}

/**
 * The pod's hard node constraints (kube's nodeaffinity.GetRequiredNodeAffinity): its
 * nodeSelector map AND its required node affinity terms, compiled once. NodeAffinity
 * filters with it; PodTopologySpread uses it to pick the nodes whose domains count.
 */
export function requiredNodeAffinityMatcher(pod: V1Pod): (node: V1Node) => boolean {
  const selector = pod.spec?.nodeSelector;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = required ? nodeSelectorMatcher(required) : undefined;
  return (node) => matchNodeSelectorMap(selector, node) && (terms === undefined || terms(node));
}
