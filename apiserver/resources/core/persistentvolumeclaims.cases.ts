import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { persistentvolumeclaims as pvcs } from './persistentvolumeclaims.js';
import { cells, create, minutesAgo, stored, update } from './strategy-harness.js';

const pvc = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'data', namespace: 'default', creationTimestamp: minutesAgo(60 * 24 * 3 + 60 * 4) },
  spec,
  ...extra,
});
const good = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };

t.test('definition', async (t) => {
  t.match(pvcs, { kind: 'PersistentVolumeClaim', shortNames: ['pvc'], namespaced: true, modelName: 'V1PersistentVolumeClaim' });
  t.same(pvcs.printerColumns!.map((c) => c.name), ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode']);
});

t.test('defaults', async (t) => {
  const { obj, errors } = create(pvcs, pvc(good));
  t.same(errors, []);
  t.equal((obj.spec as { volumeMode: string }).volumeMode, 'Filesystem');
  t.same(obj.status, { phase: 'Pending' });
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', pvc({ ...good, storageClassName: 'fast' }), []],
    ['access modes required', pvc({ resources: good.resources }), ['spec.accessModes: Required value: at least 1 access mode is required']],
    [
      'unknown access mode',
      pvc({ ...good, accessModes: ['RWO'] }),
      ['spec.accessModes: Unsupported value: "RWO": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'],
    ],
    ['RWOP alone', pvc({ ...good, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] }), ['spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes']],
    ['storage required', pvc({ accessModes: ['ReadWriteOnce'] }), ['spec.resources[storage]: Required value']],
    ['storage positive', pvc({ ...good, resources: { requests: { storage: '0' } } }), ['spec.resources.requests[storage]: Invalid value: "0": must be greater than zero']],
    ['bad class', pvc({ ...good, storageClassName: 'Fast_SSD' }), [`spec.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`]],
    ['volume mode', pvc({ ...good, volumeMode: 'Raw' }), ['spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"']],
  ];
  for (const [name, input, want] of cases) t.same(create(pvcs, input).errors, want, name);
});

t.test('update: spec fixed except resources; volumeName set once', async (t) => {
  const old = stored(pvcs, pvc(good));
  t.same(update(pvcs, pvc({ ...good, resources: { requests: { storage: '2Gi' } } }), old).errors, []);
  t.same(update(pvcs, pvc({ ...good, volumeName: 'pv-1' }), old).errors, [], 'binding sets volumeName');
  const bound = stored(pvcs, pvc({ ...good, volumeName: 'pv-1' }));
  t.same(update(pvcs, pvc({ ...good, volumeName: 'pv-2' }), bound).errors, [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
  t.same(update(pvcs, pvc({ ...good, accessModes: ['ReadWriteMany'] }), old).errors, [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
});

t.test('printer cells', async (t) => {
  const pending = stored(pvcs, pvc({ ...good, storageClassName: 'standard' }));
  t.same(cells(pvcs, pending), ['data', 'Pending', '', '', '', 'standard', '<unset>', '3d4h', 'Filesystem']);
  const bound = { ...stored(pvcs, pvc({ ...good, volumeName: 'pv-1' })), status: { phase: 'Bound', capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'] } };
  t.same(cells(pvcs, bound), ['data', 'Bound', 'pv-1', '1Gi', 'RWO,RWX', '', '<unset>', '3d4h', 'Filesystem']);
  const deleting = { ...bound, metadata: { ...bound.metadata, deletionTimestamp: minutesAgo(1) } };
  t.equal(cells(pvcs, deleting)[1], 'Terminating');
});
