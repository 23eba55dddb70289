/**
 * rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole cluster-wide;
 * ServiceAccount subjects must say their namespace. kube-apiserver creates its default
 * bindings at start (bootstrap-cluster-role-bindings.ts).
 */
import { ALL_VERBS, type ResourceDef } from '../../catalogue/resource-def.js';
import { bootstrapClusterRoleBindings } from './bootstrap-cluster-role-bindings.js';
import { bindingColumns, bindingStrategy } from './role-bindings.js';

export const clusterRoleBindingStrategy = bindingStrategy(['ClusterRole'], false);

export const clusterrolebindings: ResourceDef = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  shortNames: [],
  namespaced: false,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1ClusterRoleBinding',
  nameRule: 'path-segment',
  subresources: [],
  printerColumns: bindingColumns,
  strategy: clusterRoleBindingStrategy,
  bootstrapObjects: bootstrapClusterRoleBindings,
};
