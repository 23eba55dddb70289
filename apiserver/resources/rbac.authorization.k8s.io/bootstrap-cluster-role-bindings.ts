/**
 * The ClusterRoleBindings kube-apiserver creates at start: cluster-admin for the
 * system:masters group, discovery and self-review for every authenticated user, the
 * public info paths for everyone, and each control-plane component's own role.
 */
import type { RbacV1Subject } from '@kubernetes/client-node';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { bootstrapMeta } from './bootstrap-policy.js';
import { RBAC_GROUP } from './policy-rules.js';

const group = (name: string): RbacV1Subject => ({ apiGroup: RBAC_GROUP, kind: 'Group', name });
const user = (name: string): RbacV1Subject => ({ apiGroup: RBAC_GROUP, kind: 'User', name });

/** a binding named after the ClusterRole it grants, as kube names its defaults */
const binding = (role: string, subjects: RbacV1Subject[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: bootstrapMeta(role),
  roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
  subjects,
});

export function bootstrapClusterRoleBindings(): KubeObject[] {
  return [
    binding('cluster-admin', [group('system:masters')]),
    binding('system:discovery', [group('system:authenticated')]),
    binding('system:basic-user', [group('system:authenticated')]),
    binding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    binding('system:kube-scheduler', [user('system:kube-scheduler')]),
    binding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
  ];
}
