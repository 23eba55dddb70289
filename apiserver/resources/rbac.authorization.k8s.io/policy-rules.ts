/**
 * kube's ValidatePolicyRule, shared by Roles and ClusterRoles: every rule names verbs;
 * a resource rule names API groups and resources; a non-resource rule (URLs such as
 * "/healthz") is only meaningful cluster-wide, so a Role may not have one, and a rule is
 * one or the other, never both.
 */
import type { V1PolicyRule } from '@kubernetes/client-node';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Go's %#v of a []string, which kube prints for list values in these messages */
export const goStringSlice = (list: readonly string[]): string => `[]string{${list.map((s) => JSON.stringify(s)).join(', ')}}`;

const count = (list: unknown): number => (Array.isArray(list) ? list.length : 0);

function validatePolicyRule(rule: V1PolicyRule, namespaced: boolean, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!count(rule.verbs)) errs.push(fieldErrors.required(`${at}.verbs`, 'verbs must contain at least one value'));
  const urls = Array.isArray(rule.nonResourceURLs) ? rule.nonResourceURLs : [];
  if (urls.length) {
    const invalid = (detail: string): FieldError => ({
      type: 'FieldValueInvalid',
      field: `${at}.nonResourceURLs`,
      message: `Invalid value: ${goStringSlice(urls)}: ${detail}`,
    });
    if (namespaced) errs.push(invalid('namespaced rules cannot apply to non-resource URLs'));
    if (count(rule.apiGroups) || count(rule.resources) || count(rule.resourceNames)) errs.push(invalid('rules cannot apply to both regular resources and non-resource URLs'));
    return errs;
  }
  if (!count(rule.apiGroups)) errs.push(fieldErrors.required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!count(rule.resources)) errs.push(fieldErrors.required(`${at}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

/** `rules` of a Role (namespaced) or ClusterRole */
export function validatePolicyRules(rules: unknown, namespaced: boolean): FieldError[] {
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) return [fieldErrors.typeInvalid('rules', rules, 'must be an array')];
  return rules.flatMap((rule: unknown, i) =>
    rule && typeof rule === 'object' ? validatePolicyRule(rule as V1PolicyRule, namespaced, `rules[${i}]`) : [fieldErrors.typeInvalid(`rules[${i}]`, rule, 'must be an object')],
  );
}

/** kube's printRole / printClusterRole second column: the creation time in RFC 3339 (UTC) */
export function createdAt(timestamp: string | undefined): string {
  if (!timestamp) return '';
  const t = new Date(timestamp);
  return Number.isNaN(t.getTime()) ? timestamp : t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
