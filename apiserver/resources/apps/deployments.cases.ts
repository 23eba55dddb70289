import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, stored, update } from '../core/strategy-harness.js';
import { deployments } from './deployments.js';
import { PERCENT_ERROR } from './int-or-percent.js';
import { podTemplate, workload } from './test-fixtures.js';

const deploy = (spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KubeObject => workload(spec, extra);

t.test('definition', async (t) => {
  t.match(deployments, { group: 'apps', version: 'v1', kind: 'Deployment', shortNames: ['deploy'], categories: ['all'], modelName: 'V1Deployment' });
  t.same(
    deployments.subresources.map((s) => s.name),
    ['scale', 'status'],
  );
  t.same(deployments.scale, { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' });
  t.same(
    deployments.printerColumns!.map((c) => [c.name, c.priority]),
    [['Name', 0], ['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1]],
  );
});

t.test('defaults', async (t) => {
  const { obj, errors } = create(deployments, deploy());
  t.same(errors, []);
  const spec = obj.spec as Record<string, any>;
  t.equal(spec.replicas, 1);
  t.same(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  t.equal(spec.revisionHistoryLimit, 10);
  t.equal(spec.progressDeadlineSeconds, 600);
  t.match(spec.template.spec, { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 });
  t.match(spec.template.spec.containers[0], { imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' });
  t.notOk('serviceAccountName' in spec.template.spec, 'pod-only defaults are not applied to templates');

  const recreate = create(deployments, deploy({ strategy: { type: 'Recreate' }, replicas: 0 })).obj.spec as Record<string, any>;
  t.same(recreate.strategy, { type: 'Recreate' }, 'no rollingUpdate for Recreate');
  t.equal(recreate.replicas, 0, 'explicit zero kept');
  const partial = create(deployments, deploy({ strategy: { rollingUpdate: { maxSurge: 1 } } })).obj.spec as Record<string, any>;
  t.same(partial.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } });
});

t.test('validation', async (t) => {
  const mismatch = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: `selector` does not match template `labels`';
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', deploy(), []],
    ['no selector', deploy({ selector: undefined }), ['spec.selector: Required value', mismatch.replace('"db"', '"web"')]],
    [
      'empty selector',
      deploy({ selector: {} }),
      ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ],
    ['selector mismatch', deploy({ template: podTemplate({ app: 'db' }) }), [mismatch]],
    [
      'template without labels',
      deploy({ template: { spec: podTemplate().spec } }),
      ['spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`'],
    ],
    [
      'bad selector operator',
      deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'Near', values: ['web'] }] } }),
      [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string{"web"}}}}: invalid label selector',
      ],
    ],
    ['negative replicas', deploy({ replicas: -1 }), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['bad label in template', deploy({ selector: { matchLabels: { app: 'web' } }, template: { ...podTemplate(), metadata: { labels: { app: 'web', 'a b': 'x' } } } }), [
      `spec.template.labels: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]],
    ['container without image', deploy({ template: { ...podTemplate(), spec: { containers: [{ name: 'c' }] } } }), ['spec.template.spec.containers[0].image: Required value']],
    ['restartPolicy Never', deploy({ template: { ...podTemplate(), spec: { ...podTemplate().spec, restartPolicy: 'Never' } } }), [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]],
    ['activeDeadlineSeconds', deploy({ template: { ...podTemplate(), spec: { ...podTemplate().spec, activeDeadlineSeconds: 10 } } }), [
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ]],
    ['unknown strategy', deploy({ strategy: { type: 'BlueGreen' } }), [
      'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ]],
    ['Recreate with rollingUpdate', deploy({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }), [
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]],
    ['both zero', deploy({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
    ]],
    ['bad percent', deploy({ strategy: { rollingUpdate: { maxSurge: 'lots' } } }), [
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"lots"}: ${PERCENT_ERROR}`,
    ]],
    ['negative int', deploy({ strategy: { rollingUpdate: { maxSurge: -1 } } }), ['spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0']],
    ['over 100%', deploy({ strategy: { rollingUpdate: { maxUnavailable: '110%' } } }), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%',
    ]],
    ['surge over 100% is fine', deploy({ strategy: { rollingUpdate: { maxSurge: '200%' } } }), []],
    ['negative minReadySeconds', deploy({ minReadySeconds: -5 }), ['spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0']],
    ['negative revisionHistoryLimit', deploy({ revisionHistoryLimit: -1 }), ['spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0']],
    ['deadline not above minReady', deploy({ minReadySeconds: 30, progressDeadlineSeconds: 30 }), [
      'spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds',
    ]],
  ];
  for (const [name, input, want] of cases) t.same(create(deployments, input).errors, want, name);
});

t.test('update', async (t) => {
  const old = stored(deployments, deploy());
  t.same(update(deployments, deploy({ replicas: 5 }), old).errors, [], 'scaling is allowed');
  t.same(update(deployments, deploy({ selector: { matchLabels: { app: 'web', tier: 'x' } }, template: podTemplate({ app: 'web', tier: 'x' }) }), old).errors, [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const specChanged = deployments.strategy.specChanged!;
  t.notOk(specChanged(deploy(), old), 'a replace of the original manifest is no spec change');
  t.ok(specChanged(deploy({ replicas: 3 }), old), 'replicas is a spec change');
  t.ok(specChanged(deploy({}, { metadata: { ...old.metadata, annotations: { a: 'b' } } }), old), 'annotations bump the generation');
});

t.test('printer cells', async (t) => {
  const d = stored(deployments, deploy({ replicas: 3 }));
  d.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
  t.same(cells(deployments, d), ['web', '2/3', 3, 2, '120m', 'nginx', 'nginx:1.25', 'app=web']);
  t.same(cells(deployments, stored(deployments, deploy()), undefined, false), ['web', '0/1', 0, 0, '120m']);
});
