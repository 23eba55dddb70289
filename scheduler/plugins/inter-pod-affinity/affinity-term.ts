/**
 * A pod's podAffinity / podAntiAffinity terms in the form the plugin evaluates (kube's
 * framework.AffinityTerm): the set of namespaces the term names, its namespaceSelector,
 * its label selector and its topology key.
 *
 * Namespace semantics (PodAffinityTerm): no `namespaces` and no `namespaceSelector` means
 * the pod's own namespace; otherwise a candidate pod's namespace must be listed OR its
 * labels must match the selector ({} = every namespace, null = none).
 *
 * kube-scheduler resolves the incoming pod's namespaceSelector into namespace names once
 * per cycle; k8ts' listers only answer "labels of namespace X", so we evaluate the selector
 * lazily against the candidate pod's namespace. The outcome is the same, except that a
 * namespace the lister does not know matches only an empty selector (kube: it is not
 * listed, so it matches nothing but the "everything" selector).
 *
 * Parsing a pod's terms (and compiling their selectors) is cached per pod object:
 * NodeInfos keep the same V1Pod objects between cycles and pods are never mutated in
 * place, so a WeakMap is safe and saves the work on every PreFilter/PreScore for every
 * existing pod.
 */
import type { V1LabelSelector, V1Pod, V1PodAffinityTerm, V1WeightedPodAffinityTerm } from '@kubernetes/client-node';
import { labelSelectorMatcher, type LabelMatcher } from '../helpers/label-selector.js';

export interface AffinityTerm {
  readonly namespaces: ReadonlySet<string>;
  /** undefined: the term has no namespaceSelector (matches no namespace by labels) */
  readonly namespaceSelector: V1LabelSelector | undefined;
  /** undefined: a null labelSelector, which matches no pod */
  readonly labelSelector: V1LabelSelector | undefined;
  readonly topologyKey: string;
  /** the compiled labelSelector and namespaceSelector */
  readonly matchesPodLabels: LabelMatcher;
  readonly matchesNamespaceLabels: LabelMatcher;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

/** a namespace's labels; undefined when the namespace is unknown */
export type NamespaceLabelsLookup = (namespace: string) => Record<string, string> | undefined;

const NO_TERMS: PodAffinityTerms = Object.freeze({
  requiredAffinity: [],
  requiredAntiAffinity: [],
  preferredAffinity: [],
  preferredAntiAffinity: [],
});

const cache = new WeakMap<V1Pod, PodAffinityTerms>();

export const namespaceOf = (pod: V1Pod): string => pod.metadata?.namespace ?? '';

export function newAffinityTerm(pod: V1Pod, term: V1PodAffinityTerm): AffinityTerm {
  const listed = term.namespaces ?? [];
  // the pod's own namespace only when the term names none and selects none
  const namespaces = new Set(listed.length === 0 && !term.namespaceSelector ? [namespaceOf(pod)] : listed);
  return {
    namespaces,
    namespaceSelector: term.namespaceSelector ?? undefined,
    labelSelector: term.labelSelector ?? undefined,
    topologyKey: term.topologyKey,
    matchesPodLabels: labelSelectorMatcher(term.labelSelector),
    matchesNamespaceLabels: labelSelectorMatcher(term.namespaceSelector),
  };
}

function weighted(pod: V1Pod, terms: V1WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  return (terms ?? []).map((w) => ({ ...newAffinityTerm(pod, w.podAffinityTerm), weight: w.weight }));
}

/** the pod's four term lists, parsed once per pod object */
export function affinityTermsOf(pod: V1Pod): PodAffinityTerms {
  const cached = cache.get(pod);
  if (cached) return cached;
  const affinity = pod.spec?.affinity;
  const aff = affinity?.podAffinity;
  const anti = affinity?.podAntiAffinity;
  const terms: PodAffinityTerms =
    !aff && !anti
      ? NO_TERMS
      : {
          requiredAffinity: (aff?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newAffinityTerm(pod, t)),
          requiredAntiAffinity: (anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newAffinityTerm(pod, t)),
          preferredAffinity: weighted(pod, aff?.preferredDuringSchedulingIgnoredDuringExecution),
          preferredAntiAffinity: weighted(pod, anti?.preferredDuringSchedulingIgnoredDuringExecution),
        };
  cache.set(pod, terms);
  return terms;
}

function namespaceSelected(term: AffinityTerm, namespace: string, namespaceLabels: NamespaceLabelsLookup): boolean {
  if (term.namespaces.has(namespace)) return true;
  const selector = term.namespaceSelector;
  if (!selector) return false;
  const labels = namespaceLabels(namespace);
  if (labels) return term.matchesNamespaceLabels(labels);
  // unknown namespace: only the select-everything selector can match it
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** does the term select this pod (namespace first, then the pod's labels)? */
export function termMatches(term: AffinityTerm, pod: V1Pod, namespaceLabels: NamespaceLabelsLookup): boolean {
  if (!namespaceSelected(term, namespaceOf(pod), namespaceLabels)) return false;
  return term.matchesPodLabels(pod.metadata?.labels ?? {});
}

/**
 * True when the pod matches every term, false for an empty list. Required affinity is
 * satisfied by one pod that matches all the incoming pod's terms, never by several pods
 * each matching one of them.
 */
export function podMatchesAllTerms(terms: readonly AffinityTerm[], pod: V1Pod, namespaceLabels: NamespaceLabelsLookup): boolean {
  if (terms.length === 0) return false;
  return terms.every((t) => termMatches(t, pod, namespaceLabels));
}
