import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo } from '../core/strategy-harness.js';
import { clusterroles } from './clusterroles.js';

const clusterRole = (extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 'system:reader', creationTimestamp: minutesAgo(0) }, ...extra });

t.test('definition', async (t) => {
  t.match(clusterroles, { kind: 'ClusterRole', plural: 'clusterroles', namespaced: false, modelName: 'V1ClusterRole', nameRule: 'path-segment' });
});

t.test('validation', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['non-resource URL', { rules: [{ nonResourceURLs: ['/healthz', '/livez'], verbs: ['get'] }] }, []],
    ['everything', { rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] }, []],
    [
      'URLs and resources',
      { rules: [{ nonResourceURLs: ['/healthz'], resources: ['pods'], verbs: ['get'] }] },
      ['rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs'],
    ],
    ['URLs without verbs', { rules: [{ nonResourceURLs: ['/healthz'] }] }, ['rules[0].verbs: Required value: verbs must contain at least one value']],
    ['aggregation', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-view': 'true' } }] } }, []],
    [
      'aggregation without selectors',
      { aggregationRule: { clusterRoleSelectors: [] } },
      ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil'],
    ],
    [
      'bad selector',
      { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } },
      [
        "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        'aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.',
      ],
    ],
  ];
  for (const [name, extra, want] of cases) t.same(create(clusterroles, clusterRole(extra), '').errors, want, name);
});

t.test('printer cells', async (t) => {
  t.same(cells(clusterroles, clusterRole({})), ['system:reader', '2026-01-01T12:00:00Z']);
});
