/**
 * The workloads' status rules (kube's Validate<Kind>StatusUpdate): counters are not
 * negative, the partial counts do not exceed their totals, and collisionCount (the hash
 * salt controllers bump on name collisions) never goes down. Run on every write: creates
 * carry no status and main-resource updates keep the stored one, so in effect only
 * /status writes are checked, as in kube.
 */
import type { KubeObject, Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { nonNegative } from './field-checks.js';

export interface StatusRules {
  /** counters that must be ≥ 0 */
  counts: string[];
  /** [field, bound, message]: status[field] may not exceed status[bound] */
  bounds?: Array<[string, string, string]>;
}

const statusOf = (obj: KubeObject): Record<string, unknown> =>
  obj.status && typeof obj.status === 'object' && !Array.isArray(obj.status) ? (obj.status as Record<string, unknown>) : {};
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export function validateStatus(obj: KubeObject, rules: StatusRules): FieldError[] {
  const status = statusOf(obj);
  const errs = [...rules.counts, 'collisionCount'].flatMap((f) => nonNegative(status[f], `status.${f}`));
  for (const [field, bound, message] of rules.bounds ?? []) {
    if (num(status[field]) > num(status[bound])) errs.push(fieldErrors.invalid(`status.${field}`, num(status[field]), message));
  }
  return errs;
}

/** IsDecremented: dropping the field counts as going to 0 */
export function collisionCountNotDecremented(obj: KubeObject, old: KubeObject): FieldError[] {
  const before = statusOf(old).collisionCount;
  const after = statusOf(obj).collisionCount;
  if (typeof before !== 'number' || (typeof after === 'number' && after >= before)) return [];
  return [fieldErrors.invalid('status.collisionCount', num(after), 'cannot be decremented')];
}

/**
 * The replicated kinds: `partial` counts may not exceed status.replicas, and available pods
 * may not outnumber ready ones (kube words that last bound differently per kind).
 */
function replicaRules(counts: string[], partial: string[], availableOverReady: string): StatusRules {
  const bounds = partial.map((f): [string, string, string] => [f, 'replicas', 'cannot be greater than status.replicas']);
  return { counts, bounds: [...bounds, ['availableReplicas', 'readyReplicas', availableOverReady]] };
}

export const DEPLOYMENT_STATUS = replicaRules(
  ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'],
  ['updatedReplicas', 'readyReplicas', 'availableReplicas'],
  'cannot be greater than readyReplicas',
);

export const REPLICASET_STATUS = replicaRules(
  ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'],
  ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
  'cannot be greater than readyReplicas',
);

export const STATEFULSET_STATUS = replicaRules(
  ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration'],
  ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'],
  'cannot be greater than status.readyReplicas',
);

export const DAEMONSET_STATUS: StatusRules = {
  counts: [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
  ],
};

/** a strategy that also checks status by `rules` (and collisionCount on updates) */
export function withStatusRules(strategy: Strategy, rules: StatusRules): Strategy {
  return {
    ...strategy,
    validate: (obj, ctx) => [...(strategy.validate?.(obj, ctx) ?? []), ...validateStatus(obj, rules)],
    validateUpdate: (obj, old, ctx) => [...(strategy.validateUpdate?.(obj, old, ctx) ?? []), ...collisionCountNotDecremented(obj, old)],
  };
}
