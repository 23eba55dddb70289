import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, update } from '../core/strategy-harness.js';
import { clusterrolebindings } from './clusterrolebindings.js';

const crb = (extra: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'cluster-admin', creationTimestamp: minutesAgo(60 * 24 * 2) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  ...extra,
});

t.test('definition', async (t) => {
  t.match(clusterrolebindings, { kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false, modelName: 'V1ClusterRoleBinding' });
});

t.test('validation', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid', { subjects: [{ kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' }] }, []],
    ['defaulted groups', { roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'u' }] }, []],
    ['role', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' } }, ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"']],
    ['service account needs namespace', { subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }, ['subjects[0].namespace: Required value']],
    ['service account with namespace', { subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' }] }, []],
  ];
  for (const [name, extra, want] of cases) t.same(create(clusterrolebindings, crb(extra), '').errors, want, name);
});

t.test('roleRef is immutable', async (t) => {
  const old = create(clusterrolebindings, crb({}), '').obj;
  t.same(update(clusterrolebindings, crb({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } }), old).errors, [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef',
  ]);
});

t.test('printer cells', async (t) => {
  t.same(cells(clusterrolebindings, crb({ subjects: [{ kind: 'Group', name: 'system:masters' }] })), ['cluster-admin', 'ClusterRole/cluster-admin', '2d', '', 'system:masters', '']);
});
