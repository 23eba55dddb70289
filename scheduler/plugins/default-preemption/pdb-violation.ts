/**
 * Which victims would break a PodDisruptionBudget (kube's filterPodsWithPDBViolation).
 *
 * Each PDB allows status.disruptionsAllowed more evictions. Walking the victims in order,
 * every victim a PDB selects (same namespace, selector matches) spends one; a victim that
 * drives any of its PDBs below zero is "violating". A pod already listed in the PDB's
 * status.disruptedPods has been counted by the API server's eviction, so it spends nothing.
 * Unlike a plain label selector, a PDB with a missing or empty selector selects nothing.
 *
 * Example: PDB allows 1, victims a, b, c all selected → a non-violating, b and c violating.
 *
 * The split keeps the input order (the callers pass victims most important first).
 */
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { PodInfo } from '../../framework/node-info.js';
import { labelSelectorMatcher, type LabelMatcher } from '../helpers/label-selector.js';

export interface PdbSplit {
  violating: PodInfo[];
  nonViolating: PodInfo[];
}

function pdbMatcher(pdb: V1PodDisruptionBudget): LabelMatcher | undefined {
  const selector = pdb.spec?.selector;
  if (!selector) return undefined;
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  return empty ? undefined : labelSelectorMatcher(selector);
}

export function splitByPdbViolation(victims: readonly PodInfo[], pdbs: readonly V1PodDisruptionBudget[]): PdbSplit {
  const budgets = pdbs.map((pdb) => ({
    namespace: pdb.metadata?.namespace ?? '',
    matches: pdbMatcher(pdb),
    disrupted: pdb.status?.disruptedPods ?? {},
    allowed: pdb.status?.disruptionsAllowed ?? 0,
  }));
  const out: PdbSplit = { violating: [], nonViolating: [] };
  for (const info of victims) {
    const labels = info.pod.metadata?.labels;
    const namespace = info.pod.metadata?.namespace ?? '';
    const name = info.pod.metadata?.name ?? '';
    let violated = false;
    // a pod without labels cannot be selected by any non-empty selector
    if (labels && Object.keys(labels).length > 0) {
      for (const b of budgets) {
        if (b.namespace !== namespace || !b.matches || !b.matches(labels)) continue;
        if (Object.hasOwn(b.disrupted, name)) continue;
        b.allowed -= 1;
        if (b.allowed < 0) violated = true;
      }
    }
    (violated ? out.violating : out.nonViolating).push(info);
  }
  return out;
}
