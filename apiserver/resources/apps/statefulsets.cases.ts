import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, stored, update } from '../core/strategy-harness.js';
import { statefulsets } from './statefulsets.js';
import { podTemplate, workload } from './test-fixtures.js';

const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
const sts = (spec: Record<string, unknown> = {}): KubeObject => workload({ serviceName: 'web', ...spec });

t.test('definition', async (t) => {
  t.match(statefulsets, { group: 'apps', kind: 'StatefulSet', shortNames: ['sts'], categories: ['all'], nameRule: 'dns1123-label' });
  t.same(
    statefulsets.printerColumns!.map((c) => [c.name, c.priority]),
    [['Name', 0], ['Ready', 0], ['Age', 0], ['Containers', 1], ['Images', 1]],
  );
  t.ok(statefulsets.scale);
});

t.test('defaults', async (t) => {
  const spec = create(statefulsets, sts({ volumeClaimTemplates: [claim] })).obj.spec as Record<string, any>;
  t.equal(spec.podManagementPolicy, 'OrderedReady');
  t.same(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  t.same(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  t.equal(spec.replicas, 1);
  t.equal(spec.revisionHistoryLimit, 10);
  t.equal(spec.template.spec.dnsPolicy, 'ClusterFirst');
  t.same(spec.volumeClaimTemplates[0], { ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { ...claim.spec, volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });

  const explicit = create(statefulsets, sts({ updateStrategy: { type: 'RollingUpdate' } })).obj.spec as Record<string, any>;
  t.same(explicit.updateStrategy, { type: 'RollingUpdate' }, 'explicit type without rollingUpdate is left alone');
  const onDelete = create(statefulsets, sts({ updateStrategy: { type: 'OnDelete' } })).obj.spec as Record<string, any>;
  t.same(onDelete.updateStrategy, { type: 'OnDelete' });
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', sts(), []],
    ['no serviceName is fine', workload(), []],
    ['claim-backed mount is not checked against volumes', sts({ template: { ...podTemplate(), spec: { containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] } } }), []],
    ['bad podManagementPolicy', sts({ podManagementPolicy: 'Random' }), [`spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`]],
    ['bad strategy', sts({ updateStrategy: { type: 'Blue' } }), [
      `spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Blue", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'`,
    ]],
    ['OnDelete with rollingUpdate', sts({ updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 2 } } }), [
      `spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:2, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'`,
    ]],
    ['negative partition', sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } }), [
      'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
    ]],
    ['zero maxUnavailable', sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } }), [
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: cannot be 0',
    ]],
    ['bad retention', sts({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Delete' } }), [
      'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
    ]],
    ['negative ordinals.start', sts({ ordinals: { start: -1 } }), ['spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0']],
    ['negative replicas', sts({ replicas: -1 }), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['no selector', sts({ selector: undefined }), [
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]],
    ['empty selector', sts({ selector: {} }), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
    ]],
    ['restartPolicy', sts({ template: { ...podTemplate(), spec: { ...podTemplate().spec, restartPolicy: 'OnFailure', activeDeadlineSeconds: 5 } } }), [
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
    ]],
  ];
  for (const [name, input, want] of cases) t.same(create(statefulsets, input).errors, want, name);
});

t.test('update', async (t) => {
  const old = stored(statefulsets, sts({ volumeClaimTemplates: [claim] }));
  const forbidden =
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
  const allowed = sts({
    volumeClaimTemplates: [claim],
    replicas: 4,
    minReadySeconds: 5,
    updateStrategy: { type: 'OnDelete' },
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
    template: { ...podTemplate(), spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } },
  });
  t.same(update(statefulsets, allowed, old).errors, []);
  t.same(update(statefulsets, sts({ volumeClaimTemplates: [claim], serviceName: 'other' }), old).errors, [forbidden]);
  const bigger = { ...claim, spec: { ...claim.spec, resources: { requests: { storage: '2Gi' } } } };
  t.same(update(statefulsets, sts({ volumeClaimTemplates: [bigger] }), old).errors, [forbidden]);
  t.same(update(statefulsets, sts({ volumeClaimTemplates: [claim], podManagementPolicy: 'Parallel' }), old).errors, [forbidden]);
  t.same(update(statefulsets, sts({ volumeClaimTemplates: [claim] }), old).errors, [], 'replace with the original manifest');
  t.notOk(statefulsets.strategy.specChanged!(sts({ volumeClaimTemplates: [claim] }), old));
});

t.test('printer cells', async (t) => {
  const s = stored(statefulsets, sts({ replicas: 3 }));
  s.status = { readyReplicas: 3 };
  t.same(cells(statefulsets, s), ['web', '3/3', '120m', 'nginx', 'nginx:1.25']);
});
