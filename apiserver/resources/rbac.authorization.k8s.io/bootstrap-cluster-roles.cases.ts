import t from 'tap';
import type { V1ClusterRole, V1ClusterRoleBinding } from '@kubernetes/client-node';
import { create } from '../core/strategy-harness.js';
import { bootstrapClusterRoleBindings } from './bootstrap-cluster-role-bindings.js';
import { clusterrolebindings } from './clusterrolebindings.js';
import { clusterroles } from './clusterroles.js';

const roles = clusterroles.bootstrapObjects!() as unknown as V1ClusterRole[];
const byName = (name: string) => roles.find((r) => r.metadata?.name === name);

t.test('every default role and binding is valid and labelled as kube labels them', async (t) => {
  for (const role of clusterroles.bootstrapObjects!()) {
    t.same(create(clusterroles, role, '').errors, [], String(role.metadata.name));
    t.equal(role.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults');
    t.equal(role.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true');
  }
  for (const binding of clusterrolebindings.bootstrapObjects!()) t.same(create(clusterrolebindings, binding, '').errors, [], String(binding.metadata.name));
});

t.test('the roles users look for exist', async (t) => {
  for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:node', 'system:kube-scheduler', 'system:kube-controller-manager'])
    t.ok(byName(name), name);
  t.same(byName('cluster-admin')?.rules, [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]);
});

t.test('admin, edit and view carry their aggregated rules', async (t) => {
  const has = (role: string, group: string, resource: string, verb: string) =>
    (byName(role)?.rules ?? []).some((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs.includes(verb));
  t.ok(has('view', '', 'pods', 'list'));
  t.notOk(has('view', '', 'pods', 'delete'));
  t.notOk(has('view', '', 'secrets', 'get'), 'view may not read secrets');
  t.ok(has('edit', '', 'pods', 'delete'));
  t.ok(has('edit', '', 'pods', 'list'), 'edit includes view');
  t.notOk(has('edit', 'rbac.authorization.k8s.io', 'roles', 'create'));
  t.ok(has('admin', 'rbac.authorization.k8s.io', 'rolebindings', 'create'));
  t.ok(has('admin', 'apps', 'deployments', 'update'), 'admin includes edit');
  t.ok(has('admin', '', 'pods', 'watch'), 'admin includes view through edit');
  t.same(byName('admin')?.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] });
  t.equal(byName('edit')?.metadata?.labels?.['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
  const rules = byName('admin')?.rules ?? [];
  t.equal(new Set(rules.map((r) => JSON.stringify(r))).size, rules.length, 'no rule twice');
});

t.test('default bindings', async (t) => {
  const bindings = bootstrapClusterRoleBindings() as unknown as V1ClusterRoleBinding[];
  const subjects = (name: string) => bindings.find((b) => b.metadata?.name === name)?.subjects?.map((s) => `${s.kind}:${s.name}`);
  t.same(subjects('cluster-admin'), ['Group:system:masters']);
  t.same(subjects('system:public-info-viewer'), ['Group:system:authenticated', 'Group:system:unauthenticated']);
  t.same(subjects('system:kube-scheduler'), ['User:system:kube-scheduler']);
  t.same(subjects('system:kube-controller-manager'), ['User:system:kube-controller-manager']);
  for (const b of bindings) t.same(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.metadata?.name });
});
