import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { validateNameByRule } from '../../validation/names.js';
import { cells, create, minutesAgo } from '../core/strategy-harness.js';
import { roles } from './roles.js';

const role = (rules: unknown): KubeObject => ({ metadata: { name: 'pod-reader', namespace: 'default', creationTimestamp: minutesAgo(90) }, rules });

t.test('definition', async (t) => {
  t.match(roles, { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true, modelName: 'V1Role', nameRule: 'path-segment' });
  t.same(validateNameByRule(roles.nameRule!, 'system:leader-locking'), [], "':' is allowed in RBAC names");
  t.same(validateNameByRule(roles.nameRule!, 'a/b'), ["may not contain '/'"]);
});

t.test('validation', async (t) => {
  const cases: Array<[string, unknown, string[]]> = [
    ['no rules', undefined, []],
    ['valid', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }], []],
    ['no verbs', [{ apiGroups: [''], resources: ['pods'], verbs: [] }], ['rules[0].verbs: Required value: verbs must contain at least one value']],
    [
      'no groups or resources',
      [{ verbs: ['get'] }],
      ['rules[0].apiGroups: Required value: resource rules must supply at least one api group', 'rules[0].resources: Required value: resource rules must supply at least one resource'],
    ],
    ['non-resource URL', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }], ['rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs']],
    ['second rule', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { apiGroups: ['apps'], verbs: ['get'] }], ['rules[1].resources: Required value: resource rules must supply at least one resource']],
  ];
  for (const [name, rules, want] of cases) t.same(create(roles, role(rules)).errors, want, name);
});

t.test('printer cells', async (t) => {
  t.same(cells(roles, role([])), ['pod-reader', '2026-01-01T10:30:00Z']);
  t.equal(roles.printerColumns?.[1]?.name, 'Created At');
  t.equal(roles.printerColumns?.[1]?.type, 'date');
});
