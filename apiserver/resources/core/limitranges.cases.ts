import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { limitranges } from './limitranges.js';
import { cells, create } from './strategy-harness.js';

const lr = (limits: unknown[]): KubeObject => ({ metadata: { name: 'lim', namespace: 'default', creationTimestamp: '2025-12-31T12:00:00Z' }, spec: { limits } });
const QERR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

t.test('definition and printing', async (t) => {
  t.match(limitranges, { kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'], modelName: 'V1LimitRange' });
  t.same(limitranges.printerColumns!.map((c) => c.name), ['Name', 'Created At']);
  t.same(cells(limitranges, lr([])), ['lim', '2025-12-31T12:00:00Z']);
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', lr([{ type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m' }, default: { cpu: '500m' }, defaultRequest: { cpu: '200m' } }]), []],
    ['number quantity', lr([{ type: 'Container', max: { cpu: 2 } }]), []],
    ['pvc storage', lr([{ type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }]), []],
    ['bad quantity', lr([{ type: 'Container', max: { cpu: 'two' } }]), [`spec.limits[0].max[cpu]: Invalid value: "two": ${QERR}`]],
    ['negative', lr([{ type: 'Container', min: { cpu: '-1' } }]), ['spec.limits[0].min[cpu]: Invalid value: "-1": must be greater than or equal to 0']],
    ['unknown resource', lr([{ type: 'Container', max: { gpu: '1' } }]), ['spec.limits[0].max[gpu]: Invalid value: "gpu": must be a standard limit type or fully qualified']],
    ['qualified resource', lr([{ type: 'Container', max: { 'nvidia.com/gpu': '1' } }]), []],
    ['min > max', lr([{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }]), ['spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1']],
    ['default > max', lr([{ type: 'Container', max: { memory: '1Gi' }, default: { memory: '2Gi' } }]), ['spec.limits[0].default[memory]: Invalid value: "2Gi": default value 2Gi is greater than max value 1Gi']],
    [
      'request > limit',
      lr([{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '1' } }]),
      ['spec.limits[0].defaultRequest[cpu]: Invalid value: "1": default request value 1 is greater than default limit value 500m'],
    ],
    ['pod defaults', lr([{ type: 'Pod', default: { cpu: '1' } }]), ["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"]],
    ['duplicate type', lr([{ type: 'Container' }, { type: 'Container' }]), ['spec.limits[1].type: Duplicate value: "Container"']],
    ['type required', lr([{ max: { cpu: '1' } }]), ['spec.limits[0].type: Required value']],
    ['ratio', lr([{ type: 'Container', maxLimitRequestRatio: { cpu: '0.5' } }]), ['spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1']],
  ];
  for (const [name, input, want] of cases) t.same(create(limitranges, input).errors, want, name);
});

t.test('canonicalize', async (t) => {
  const { obj } = create(limitranges, lr([{ type: 'Container', max: { cpu: 2, memory: '1024Mi' }, min: { cpu: '0.1' } }]));
  limitranges.strategy.canonicalize!(obj);
  t.same((obj.spec as { limits: unknown[] }).limits, [{ type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m' } }]);
});
