import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, stored, update } from '../core/strategy-harness.js';
import { replicasets } from './replicasets.js';
import { podTemplate, workload } from './test-fixtures.js';

t.test('definition', async (t) => {
  t.match(replicasets, { group: 'apps', kind: 'ReplicaSet', shortNames: ['rs'], categories: ['all'], modelName: 'V1ReplicaSet' });
  t.same(replicasets.scale?.labelSelectorPath, '.spec.selector');
  t.same(
    replicasets.printerColumns!.map((c) => [c.name, c.type, c.priority]),
    [['Name', 'string', 0], ['Desired', 'integer', 0], ['Current', 'integer', 0], ['Ready', 'integer', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
  );
});

t.test('defaults', async (t) => {
  const spec = create(replicasets, workload()).obj.spec as Record<string, any>;
  t.equal(spec.replicas, 1);
  t.equal(spec.template.spec.restartPolicy, 'Always');
  t.notOk('strategy' in spec);
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', workload(), []],
    ['expression selector', workload({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } }), []],
    ['negative replicas', workload({ replicas: -2 }), ['spec.replicas: Invalid value: -2: must be greater than or equal to 0']],
    ['negative minReadySeconds', workload({ minReadySeconds: -1 }), ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0']],
    [
      'empty selector (kube says deployment)',
      workload({ selector: { matchLabels: {} } }),
      ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ],
    [
      'mismatch',
      workload({ template: podTemplate({ app: 'api', tier: 'be' }) }),
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"api", "tier":"be"}: `selector` does not match template `labels`'],
    ],
    ['no containers', workload({ template: { metadata: { labels: { app: 'web' } }, spec: {} } }), ['spec.template.spec.containers: Required value']],
  ];
  for (const [name, input, want] of cases) t.same(create(replicasets, input).errors, want, name);
});

t.test('update', async (t) => {
  const old = stored(replicasets, workload());
  t.same(update(replicasets, workload({ replicas: 0 }), old).errors, []);
  t.match(update(replicasets, workload({ selector: { matchLabels: { app: 'api' } }, template: podTemplate({ app: 'api' }) }), old).errors, [/^spec\.selector: Invalid value: .*field is immutable$/]);
  t.notOk(replicasets.strategy.specChanged!(workload(), old));
});

t.test('printer cells', async (t) => {
  const rs = stored(replicasets, workload({ replicas: 3 }));
  rs.status = { replicas: 3, readyReplicas: 1 };
  t.same(cells(replicasets, rs), ['web', 3, 3, 1, '120m', 'nginx', 'nginx:1.25', 'app=web']);
});
