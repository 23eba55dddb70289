/**
 * rbac.authorization.k8s.io/v1 ClusterRole: cluster-wide policy rules, which (unlike a
 * Role's) may name non-resource URLs, plus an optional aggregationRule whose label
 * selectors pick the ClusterRoles whose rules this one gathers (kube's
 * ValidateClusterRole). kube-apiserver creates its default roles at start
 * (bootstrap-cluster-roles.ts).
 */
import type { V1AggregationRule } from '@kubernetes/client-node';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { labelSelectorRequirements, validateLabelSelector } from '../../selectors/label-selector.js';
import { bootstrapClusterRoles } from './bootstrap-cluster-roles.js';
import { validatePolicyRules } from './policy-rules.js';
import { roleColumns } from './role-columns.js';

function validateAggregationRule(rule: V1AggregationRule | undefined | null): FieldError[] {
  if (rule === undefined || rule === null) return [];
  const selectors = Array.isArray(rule.clusterRoleSelectors) ? rule.clusterRoleSelectors : [];
  if (selectors.length === 0)
    return [fieldErrors.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  return selectors.flatMap((selector, i) => {
    const at = `aggregationRule.clusterRoleSelectors[${i}]`;
    return [...validateLabelSelector(selector, at), ...(convertible(selector) ? [] : [fieldErrors.invalid(at, 'null', 'invalid label selector.')])];
  });
}

/** kube also converts each selector, and reports one that does not convert (the value it prints is the nil result) */
function convertible(selector: Parameters<typeof labelSelectorRequirements>[0]): boolean {
  try {
    labelSelectorRequirements(selector);
    return true;
  } catch {
    return false;
  }
}

function validate(obj: KubeObject): FieldError[] {
  return [...validatePolicyRules(obj.rules, false), ...validateAggregationRule(obj.aggregationRule as V1AggregationRule | undefined)];
}

export const clusterRoleStrategy: Strategy = { validate };

export const clusterroles: ResourceDef = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  shortNames: [],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1ClusterRole',
  nameRule: 'path-segment',
  subresources: [],
  printerColumns: roleColumns,
  strategy: clusterRoleStrategy,
  bootstrapObjects: bootstrapClusterRoles,
};
