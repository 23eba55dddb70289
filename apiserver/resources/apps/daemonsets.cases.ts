import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, stored, update } from '../core/strategy-harness.js';
import { daemonsets } from './daemonsets.js';
import { podTemplate, workload } from './test-fixtures.js';

t.test('definition', async (t) => {
  t.match(daemonsets, { group: 'apps', kind: 'DaemonSet', shortNames: ['ds'], categories: ['all'], modelName: 'V1DaemonSet' });
  t.same(daemonsets.subresources.map((s) => s.name), ['status']);
  t.equal(daemonsets.scale, undefined);
  t.same(
    daemonsets.printerColumns!.filter((c) => c.priority === 0).map((c) => c.name),
    ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age'],
  );
});

t.test('defaults', async (t) => {
  const spec = create(daemonsets, workload()).obj.spec as Record<string, any>;
  t.same(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  t.equal(spec.revisionHistoryLimit, 10);
  t.notOk('replicas' in spec);
  t.equal(spec.template.spec.terminationGracePeriodSeconds, 30);
  const onDelete = create(daemonsets, workload({ updateStrategy: { type: 'OnDelete' } })).obj.spec as Record<string, any>;
  t.same(onDelete.updateStrategy, { type: 'OnDelete' });
});

t.test('validation', async (t) => {
  const rolling = (r: Record<string, unknown>) => workload({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: r } });
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', workload(), []],
    ['surge instead of unavailable', rolling({ maxUnavailable: 0, maxSurge: '10%' }), []],
    ['no selector', workload({ selector: undefined }), ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']],
    ['empty selector', workload({ selector: {} }), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
    ]],
    ['mismatch', workload({ template: podTemplate({ app: 'x' }) }), ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`']],
    ['both non-zero', rolling({ maxUnavailable: 1, maxSurge: 1 }), [
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
    ]],
    ['both zero', rolling({ maxUnavailable: 0, maxSurge: 0 }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']],
    ['surge over 100%', rolling({ maxUnavailable: 0, maxSurge: '101%' }), [
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be greater than 100%',
    ]],
    ['unknown strategy', workload({ updateStrategy: { type: 'Surge' } }), [
      'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Surge", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
    ]],
    ['activeDeadlineSeconds', workload({ template: { ...podTemplate(), spec: { ...podTemplate().spec, activeDeadlineSeconds: 1 } } }), [
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
    ]],
    ['negative revisionHistoryLimit', workload({ revisionHistoryLimit: -3 }), ['spec.revisionHistoryLimit: Invalid value: -3: must be greater than or equal to 0']],
  ];
  for (const [name, input, want] of cases) t.same(create(daemonsets, input).errors, want, name);
});

t.test('update', async (t) => {
  const old = stored(daemonsets, workload());
  t.same(update(daemonsets, workload({ template: podTemplate() }), old).errors, []);
  t.match(update(daemonsets, workload({ selector: { matchLabels: { app: 'web', x: 'y' } }, template: podTemplate({ app: 'web', x: 'y' }) }), old).errors, [/field is immutable$/]);
});

t.test('printer cells', async (t) => {
  const ds = stored(daemonsets, workload({ template: { ...podTemplate(), spec: { ...podTemplate().spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } }));
  ds.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 };
  t.same(cells(daemonsets, ds), ['web', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '120m', 'nginx', 'nginx:1.25', 'app=web']);
  t.same(cells(daemonsets, stored(daemonsets, workload()), undefined, false), ['web', 0, 0, 0, 0, 0, '<none>', '120m']);
});
