/**
 * rbac.authorization.k8s.io/v1 Role: a namespaced set of policy rules (kube's
 * ValidateRole). Names are URL path segments, so "system:leader-locking" style names with
 * ':' are valid.
 */
import { ALL_VERBS, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { validatePolicyRules } from './policy-rules.js';
import { roleColumns } from './role-columns.js';

export const roleStrategy: Strategy = {
  validate: (obj) => validatePolicyRules(obj.rules, true),
};

export const roles: ResourceDef = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  shortNames: [],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1Role',
  nameRule: 'path-segment',
  subresources: [],
  printerColumns: roleColumns,
  strategy: roleStrategy,
};
