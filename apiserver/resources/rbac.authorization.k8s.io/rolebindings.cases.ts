import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { rolebindings } from './rolebindings.js';

const rb = (extra: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'read-pods', namespace: 'default', creationTimestamp: minutesAgo(5) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
  ...extra,
});

t.test('definition', async (t) => {
  t.match(rolebindings, { kind: 'RoleBinding', plural: 'rolebindings', namespaced: true, modelName: 'V1RoleBinding', nameRule: 'path-segment' });
});

t.test('defaults', async (t) => {
  const { obj } = create(rolebindings, rb({ roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default' }] }));
  t.same(obj.roleRef, { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' });
  t.same(obj.subjects, [
    { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'ServiceAccount', name: 'default', apiGroup: '' },
  ]);
});

t.test('validation', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid', { subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }] }, []],
    ['cluster role', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } }, []],
    ['service account without namespace', { subjects: [{ kind: 'ServiceAccount', name: 'builder' }] }, []],
    ['bad kind', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Pod', name: 'x' } }, ['roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"']],
    ['bad group', { roleRef: { apiGroup: 'apps', kind: 'Role', name: 'x' } }, ['roleRef.apiGroup: Unsupported value: "apps": supported values: "rbac.authorization.k8s.io"']],
    ['no role name', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role' } }, ['roleRef.name: Required value']],
    ['role name with slash', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a/b' } }, ['roleRef.name: Invalid value: "a/b": may not contain \'/\'']],
    ['subject kind', { subjects: [{ kind: 'Robot', name: 'r2' }] }, ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"']],
    ['subject name', { subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io' }] }, ['subjects[0].name: Required value']],
    ['user group', { subjects: [{ kind: 'User', name: 'u', apiGroup: 'v1' }] }, ['subjects[0].apiGroup: Unsupported value: "v1": supported values: "rbac.authorization.k8s.io"']],
    ['service account group', { subjects: [{ kind: 'ServiceAccount', name: 'sa', apiGroup: 'rbac.authorization.k8s.io' }] }, ['subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""']],
    [
      'service account name',
      { subjects: [{ kind: 'ServiceAccount', name: 'Bad_Name' }] },
      [
        `subjects[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
  ];
  for (const [name, extra, want] of cases) t.same(create(rolebindings, rb(extra)).errors, want, name);
});

t.test('roleRef is immutable', async (t) => {
  const old = stored(rolebindings, rb({ subjects: [{ kind: 'User', name: 'jane' }] }));
  t.same(update(rolebindings, { ...old, subjects: [{ kind: 'User', name: 'joe' }] }, old).errors, [], 'subjects may change');
  t.same(update(rolebindings, { ...old, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'other' } }, old).errors, [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
  ]);
});

t.test('printer cells', async (t) => {
  const subjects = [
    { kind: 'User', name: 'jane' },
    { kind: 'User', name: 'joe' },
    { kind: 'Group', name: 'devs' },
    { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
  ];
  t.same(cells(rolebindings, rb({ subjects })), ['read-pods', 'Role/pod-reader', '5m', 'jane, joe', 'devs', 'ci/builder']);
  t.same(cells(rolebindings, rb({}), undefined, false), ['read-pods', 'Role/pod-reader', '5m']);
  t.same(cells(rolebindings, rb({})), ['read-pods', 'Role/pod-reader', '5m', '', '', '']);
});
