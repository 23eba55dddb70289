/**
 * policy/v1 PodDisruptionBudget (pdb): how many of the pods a selector picks must stay
 * up during voluntary disruptions (evictions). Validation follows kube's
 * ValidatePodDisruptionBudgetSpec (at most one of minAvailable/maxUnavailable, each a
 * non-negative count or a percentage up to 100%, a valid selector, a known
 * unhealthyPodEvictionPolicy) and, for status, ValidatePodDisruptionBudgetStatusUpdate.
 * A new budget starts with kube's zero status; the disruption controller fills it in.
 */
import type { V1PodDisruptionBudget, V1PodDisruptionBudgetSpec } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { validateLabelSelector, type LabelSelector } from '../../selectors/label-selector.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { intOrPercentString, validateIntOrPercent } from './int-or-percent.js';

export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;
const STATUS_COUNTS = ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const;

const isSet = (v: unknown) => v !== undefined && v !== null;

function validateSpec(spec: unknown): FieldError[] {
  if (spec === undefined || spec === null) return [];
  if (typeof spec !== 'object' || Array.isArray(spec)) return [fieldErrors.typeInvalid('spec', spec, 'must be an object')];
  const s = spec as V1PodDisruptionBudgetSpec;
  const errs: FieldError[] = [];
  if (isSet(s.minAvailable) && isSet(s.maxUnavailable)) errs.push(fieldErrors.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  if (isSet(s.minAvailable)) errs.push(...validateIntOrPercent(s.minAvailable, 'spec.minAvailable'));
  if (isSet(s.maxUnavailable)) errs.push(...validateIntOrPercent(s.maxUnavailable, 'spec.maxUnavailable'));
  if (isSet(s.selector) && (typeof s.selector !== 'object' || Array.isArray(s.selector))) errs.push(fieldErrors.typeInvalid('spec.selector', s.selector, 'must be an object'));
  else errs.push(...validateLabelSelector(s.selector as LabelSelector | undefined, 'spec.selector'));
  const policy = s.unhealthyPodEvictionPolicy;
  if (isSet(policy) && !(UNHEALTHY_POD_EVICTION_POLICIES as readonly unknown[]).includes(policy)) {
    errs.push(fieldErrors.notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

function validateStatus(status: unknown): FieldError[] {
  if (!status || typeof status !== 'object') return [];
  const errs: FieldError[] = [];
  for (const key of STATUS_COUNTS) {
    const v = (status as Record<string, unknown>)[key];
    if (!isSet(v)) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) errs.push(fieldErrors.typeInvalid(`status.${key}`, v, 'must be an integer'));
    else if (v < 0) errs.push(fieldErrors.invalid(`status.${key}`, v, 'must be greater than or equal to 0'));
  }
  return errs;
}

export const pdbStrategy: Strategy = {
  prepareForCreate(obj) {
    // kube resets status to its zero value; the four counts are not omitempty in v1
    obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate: (obj) => [...validateSpec(obj.spec), ...validateStatus(obj.status)],
};

const specOf = (o: KubeObject) => (o as V1PodDisruptionBudget).spec;
/** kube's printPodDisruptionBudget: the value as given, "N/A" when unset */
const budgetCell = (key: 'minAvailable' | 'maxUnavailable') => (o: KubeObject) => {
  const v = specOf(o)?.[key];
  return isSet(v) ? intOrPercentString(v) : 'N/A';
};

export const podDisruptionBudgets: ResourceDef = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  shortNames: ['pdb'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1PodDisruptionBudget',
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  printerColumns: [
    nameColumn,
    column('Min Available', 'string', 'Pods of the selection that must stay available (spec.minAvailable).', budgetCell('minAvailable')),
    column('Max Unavailable', 'string', 'Pods of the selection that may be unavailable (spec.maxUnavailable).', budgetCell('maxUnavailable')),
    column('Allowed Disruptions', 'integer', 'Evictions the budget allows right now (status.disruptionsAllowed).', (o) => (o as V1PodDisruptionBudget).status?.disruptionsAllowed ?? 0),
    ageColumn,
  ],
  strategy: pdbStrategy,
};
