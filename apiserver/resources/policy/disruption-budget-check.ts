/**
 * The PodDisruptionBudget side of an eviction, as kube's EvictionREST does it: which
 * budgets cover a pod, whether one allows one more disruption, and the status change that
 * records it (one fewer allowed disruption, the pod listed in disruptedPods so the
 * disruption controller does not count it as healthy meanwhile).
 */
import type { V1PodDisruptionBudget, V1PodDisruptionBudgetStatus } from '@kubernetes/client-node';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { ApiError } from '../../errors/api-error.js';
import { labelSelectorRequirements, requirementsMatcher, type LabelSelector } from '../../selectors/label-selector.js';
import { forbiddenError } from '../scheduling.k8s.io/forbidden.js';

/** kube's MaxDisruptedPodSize: evictions the controller has not yet seen, per budget */
export const MAX_DISRUPTED_PODS = 2000;
export const BUDGET_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

/**
 * Does the budget's selector pick the pod? An invalid, null or empty selector picks
 * nothing here (kube: a PDB that selects everything by accident must not block evictions).
 */
export function budgetCovers(pdb: KubeObject, podLabels: Record<string, string> | undefined): boolean {
  let requirements;
  try {
    requirements = labelSelectorRequirements((pdb as V1PodDisruptionBudget).spec?.selector as LabelSelector | undefined);
  } catch {
    return false;
  }
  if (!requirements || requirements.length === 0) return false;
  return requirementsMatcher(requirements)(podLabels ?? {});
}

/** 429 while the controller has not yet processed the budget's latest spec */
export function budgetNotProcessed(pdbName: string): ApiError {
  return new ApiError('TooManyRequests', BUDGET_VIOLATION, {
    causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdbName} is still being processed by the server.` }],
    retryAfterSeconds: 10,
  });
}

const statusOf = (pdb: KubeObject): V1PodDisruptionBudgetStatus => {
  if (!pdb.status || typeof pdb.status !== 'object') pdb.status = {};
  return pdb.status as V1PodDisruptionBudgetStatus;
};

/** kube's checkAndDecrement, on a private copy of the budget; throws when it does not allow one more */
export function checkAndDecrement(pdb: KubeObject, podName: string, now: Date): void {
  const name = pdb.metadata.name ?? '';
  const status = statusOf(pdb);
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw budgetNotProcessed(name);
  const allowed = status.disruptionsAllowed ?? 0;
  const target = { group: 'policy', resource: 'poddisruptionbudget', name };
  if (allowed < 0) throw forbiddenError(target, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS)
    throw forbiddenError(target, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  if (allowed === 0) {
    throw new ApiError('TooManyRequests', BUDGET_VIOLATION, {
      causes: [
        {
          reason: 'DisruptionBudget',
          message: `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
        },
      ],
    });
  }
  status.disruptionsAllowed = allowed - 1;
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (status.disruptionsAllowed === 0) markDisruptionNotAllowed(status, at);
  status.disruptedPods = { ...(status.disruptedPods ?? {}), [podName]: at as unknown as Date };
}

/** kube's UpdateDisruptionAllowedCondition for a budget that has just run out */
function markDisruptionNotAllowed(status: V1PodDisruptionBudgetStatus, at: string): void {
  const conditions = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === 'DisruptionAllowed');
  const fields = { reason: 'InsufficientPods', message: '', ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}) };
  if (!existing) {
    conditions.push({ type: 'DisruptionAllowed', status: 'False', lastTransitionTime: at as unknown as Date, ...fields });
    return;
  }
  if (existing.status !== 'False') Object.assign(existing, { status: 'False', lastTransitionTime: at });
  Object.assign(existing, fields);
}
