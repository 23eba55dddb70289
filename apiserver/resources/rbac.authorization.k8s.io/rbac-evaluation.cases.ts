import t from 'tap';
import type { RequestAttributes } from '../../auth/request-attributes.js';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { bootstrapClusterRoleBindings } from './bootstrap-cluster-role-bindings.js';
import { bootstrapClusterRoles } from './bootstrap-cluster-roles.js';
import { rbacAuthorize, ruleAllows, type RbacPolicy } from './rbac-evaluation.js';

const request = (extra: Partial<RequestAttributes>): RequestAttributes => ({
  isResourceRequest: true,
  path: '',
  verb: 'get',
  apiGroup: '',
  apiVersion: 'v1',
  namespace: 'default',
  resource: 'pods',
  subresource: '',
  name: '',
  user: { name: 'jane', groups: ['system:authenticated'] },
  ...extra,
});

const policy = (extra: Partial<RbacPolicy> = {}): RbacPolicy => ({
  clusterRoles: bootstrapClusterRoles(),
  clusterRoleBindings: bootstrapClusterRoleBindings(),
  roles: [],
  roleBindings: [],
  ...extra,
});

t.test('rules', async (t) => {
  const cases: Array<[string, Record<string, unknown>, Partial<RequestAttributes>, boolean]> = [
    ['exact', { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, {}, true],
    ['other verb', { apiGroups: [''], resources: ['pods'], verbs: ['list'] }, {}, false],
    ['other group', { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] }, {}, false],
    ['wildcards', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { apiGroup: 'apps', resource: 'deployments', verb: 'delete' }, true],
    ['subresource needs its own entry', { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { subresource: 'log' }, false],
    ['subresource', { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, { subresource: 'log' }, true],
    ['any resource subresource', { apiGroups: ['*'], resources: ['*/scale'], verbs: ['update'] }, { apiGroup: 'apps', resource: 'deployments', subresource: 'scale', verb: 'update' }, true],
    ['resource names', { apiGroups: [''], resources: ['pods'], resourceNames: ['a'], verbs: ['get'] }, { name: 'b' }, false],
    ['resource name', { apiGroups: [''], resources: ['pods'], resourceNames: ['a'], verbs: ['get'] }, { name: 'a' }, true],
    ['url prefix', { nonResourceURLs: ['/apis/*'], verbs: ['get'] }, { isResourceRequest: false, path: '/apis/apps/v1' }, true],
    ['url exact', { nonResourceURLs: ['/healthz'], verbs: ['get'] }, { isResourceRequest: false, path: '/healthz/etcd' }, false],
    ['url rule on a resource request', { nonResourceURLs: ['*'], verbs: ['*'] }, {}, false],
  ];
  for (const [name, rule, req, want] of cases) t.equal(ruleAllows(rule as never, request(req)), want, name);
});

t.test('default policy', async (t) => {
  const admin = request({ user: { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, verb: 'delete', resource: 'nodes', namespace: '' });
  t.same(rbacAuthorize(admin, policy()), {
    allowed: true,
    reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
  });
  t.same(rbacAuthorize(request({}), policy()), { allowed: false, reason: '' }, 'an ordinary user may not read pods');
  t.equal(rbacAuthorize(request({ isResourceRequest: false, path: '/version', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } }), policy()).allowed, true);
  t.equal(rbacAuthorize(request({ isResourceRequest: false, path: '/apis', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } }), policy()).allowed, false);
  t.equal(rbacAuthorize(request({ apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', verb: 'create', namespace: '' }), policy()).allowed, true);
  t.equal(rbacAuthorize(request({ user: { name: 'system:kube-scheduler', groups: [] }, subresource: 'binding', verb: 'create' }), policy()).allowed, true);
});

t.test('role bindings', async (t) => {
  const rb = (subjects: unknown[], roleRef: Record<string, string>, namespace = 'default'): KubeObject => ({ metadata: { name: 'rb', namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects });
  const roles: KubeObject[] = [{ metadata: { name: 'pod-reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }];
  const viaRole = policy({ roles, roleBindings: [rb([{ kind: 'User', name: 'jane' }], { kind: 'Role', name: 'pod-reader' })] });
  t.same(rbacAuthorize(request({}), viaRole), { allowed: true, reason: 'RBAC: allowed by RoleBinding "rb/default" of Role "pod-reader" to User "jane"' });
  t.equal(rbacAuthorize(request({ namespace: 'other' }), viaRole).allowed, false, 'only in the binding namespace');
  t.equal(rbacAuthorize(request({ verb: 'delete' }), viaRole).allowed, false);

  const sa = { name: 'system:serviceaccount:default:builder', groups: ['system:serviceaccounts', 'system:authenticated'] };
  const viaClusterRole = policy({ roleBindings: [rb([{ kind: 'ServiceAccount', name: 'builder' }], { kind: 'ClusterRole', name: 'edit' })] });
  t.same(rbacAuthorize(request({ user: sa, verb: 'create', apiGroup: 'apps', resource: 'deployments' }), viaClusterRole), {
    allowed: true,
    reason: 'RBAC: allowed by RoleBinding "rb/default" of ClusterRole "edit" to ServiceAccount "builder/default"',
  });
  t.equal(rbacAuthorize(request({ user: sa, verb: 'create', resource: 'roles', apiGroup: 'rbac.authorization.k8s.io' }), viaClusterRole).allowed, false, 'edit may not grant');
  t.equal(rbacAuthorize(request({ user: { name: 'devs-member', groups: ['devs'] } }), policy({ roleBindings: [rb([{ kind: 'Group', name: 'devs' }], { kind: 'ClusterRole', name: 'view' })] })).allowed, true);
});
