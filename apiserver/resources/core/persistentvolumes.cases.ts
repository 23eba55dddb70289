import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { persistentvolumes as pvs } from './persistentvolumes.js';
import { cells, create, minutesAgo, stored, update } from './strategy-harness.js';

const pv = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'pv-1', creationTimestamp: minutesAgo(45) },
  spec,
  ...extra,
});
const good = { accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' }, hostPath: { path: '/data/pv-1' } };

t.test('definition', async (t) => {
  t.match(pvs, { kind: 'PersistentVolume', shortNames: ['pv'], namespaced: false, modelName: 'V1PersistentVolume' });
  t.same(pvs.printerColumns!.map((c) => c.name), ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode']);
});

t.test('defaults', async (t) => {
  const { obj } = create(pvs, pv(good));
  t.match(obj.spec, { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
  t.same(obj.status, { phase: 'Pending' });
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', pv(good), []],
    ['valid local', pv({ ...good, hostPath: undefined, local: { path: '/mnt/disk' }, nodeAffinity: { required: { nodeSelectorTerms: [] } } }), []],
    ['no source', pv({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } }), ['spec: Required value: must specify a volume type']],
    ['two sources', pv({ ...good, nfs: { server: 'nfs', path: '/x' } }), ['spec.nfs: Forbidden: may not specify more than 1 volume type']],
    ['hostPath path', pv({ ...good, hostPath: {} }), ['spec.hostPath.path: Required value']],
    ['local needs affinity', pv({ ...good, hostPath: undefined, local: { path: '/mnt/disk' } }), ['spec.nodeAffinity: Required value: Local volume requires node affinity']],
    ['access modes', pv({ ...good, accessModes: [] }), ['spec.accessModes: Required value']],
    ['capacity required', pv({ ...good, capacity: undefined }), ['spec.capacity: Required value']],
    ['capacity storage only', pv({ ...good, capacity: { storage: '1Gi', cpu: '1' } }), ['spec.capacity: Unsupported value: {"storage":"1Gi","cpu":"1"}: supported values: "storage"']],
    [
      'reclaim policy',
      pv({ ...good, persistentVolumeReclaimPolicy: 'Keep' }),
      ['spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"'],
    ],
  ];
  for (const [name, input, want] of cases) t.same(create(pvs, input).errors, want, name);
});

t.test('update', async (t) => {
  const old = stored(pvs, pv(good));
  t.same(update(pvs, pv({ ...good, claimRef: { namespace: 'default', name: 'data' } }), old).errors, []);
  t.same(update(pvs, pv({ ...good, hostPath: { path: '/elsewhere' } }), old).errors, ['spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation']);
  t.same(update(pvs, pv({ ...good, volumeMode: 'Block' }), old).errors, ['spec.volumeMode: Invalid value: "Block": field is immutable']);
});

t.test('printer cells', async (t) => {
  const bound = {
    ...stored(pvs, pv({ ...good, capacity: { storage: '10240Mi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], storageClassName: 'manual', claimRef: { namespace: 'default', name: 'data' } })),
    status: { phase: 'Bound' },
  };
  t.same(cells(pvs, bound), ['pv-1', '10Gi', 'RWO,ROX', 'Retain', 'Bound', 'default/data', 'manual', '<unset>', '', '45m', 'Filesystem']);
  const failed = { ...bound, status: { phase: 'Failed', reason: 'RecyclerFailed' } };
  t.same(cells(pvs, failed, undefined, false), ['pv-1', '10Gi', 'RWO,ROX', 'Retain', 'Failed', 'default/data', 'manual', '<unset>', 'RecyclerFailed', '45m']);
});
