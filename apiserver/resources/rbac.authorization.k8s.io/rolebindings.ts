/**
 * rbac.authorization.k8s.io/v1 RoleBinding: grants a Role, or a ClusterRole's rules
 * within this namespace, to subjects. roleRef is fixed once created.
 */
import { ALL_VERBS, type ResourceDef } from '../../catalogue/resource-def.js';
import { bindingColumns, bindingStrategy } from './role-bindings.js';

export const roleBindingStrategy = bindingStrategy(['Role', 'ClusterRole'], true);

export const rolebindings: ResourceDef = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  shortNames: [],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1RoleBinding',
  nameRule: 'path-segment',
  subresources: [],
  printerColumns: bindingColumns,
  strategy: roleBindingStrategy,
};
