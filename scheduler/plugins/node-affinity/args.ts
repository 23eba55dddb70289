/**
 * NodeAffinityArgs from the profile: an optional addedAffinity that every pod of the
 * profile must also satisfy (required part) and is scored by (preferred part). Bad args
 * are a configuration error, reported with a clear message when the plugin is built.
 */
import type { V1NodeAffinity } from '@kubernetes/client-node';

export interface NodeAffinityArgs {
  addedAffinity?: V1NodeAffinity;
}

export function parseNodeAffinityArgs(args: unknown): NodeAffinityArgs {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) throw new Error('NodeAffinity args: expected an object');
  const added = (args as { addedAffinity?: unknown }).addedAffinity;
  if (added === undefined || added === null) return {};
  if (typeof added !== 'object' || Array.isArray(added)) throw new Error('NodeAffinity args: addedAffinity must be an object');
  const a = added as V1NodeAffinity;
  const terms = a.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (a.requiredDuringSchedulingIgnoredDuringExecution && (!Array.isArray(terms) || terms.length === 0)) {
    throw new Error('NodeAffinity args: addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: must have at least one node selector term');
  }
  const preferred = a.preferredDuringSchedulingIgnoredDuringExecution;
  if (preferred !== undefined && !Array.isArray(preferred)) {
    throw new Error('NodeAffinity args: addedAffinity.preferredDuringSchedulingIgnoredDuringExecution must be a list');
  }
  for (const [i, p] of (preferred ?? []).entries()) {
    if (typeof p?.weight !== 'number' || p.weight < 1 || p.weight > 100) {
      throw new Error(`NodeAffinity args: addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].weight: must be in the range 1-100`);
    }
  }
  return { addedAffinity: a };
}
