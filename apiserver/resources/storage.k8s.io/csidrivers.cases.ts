import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { csidrivers } from './csidrivers.js';

const driver = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'ebs.csi.aws.com', creationTimestamp: minutesAgo(60 * 5) }, spec });

t.test('definition', async (t) => {
  t.match(csidrivers, { group: 'storage.k8s.io', kind: 'CSIDriver', plural: 'csidrivers', namespaced: false, modelName: 'V1CSIDriver' });
});

t.test('defaults', async (t) => {
  t.same(create(csidrivers, driver({}), '').obj.spec, {
    attachRequired: true,
    podInfoOnMount: false,
    storageCapacity: false,
    fsGroupPolicy: 'ReadWriteOnceWithFSType',
    volumeLifecycleModes: ['Persistent'],
    requiresRepublish: false,
    seLinuxMount: false,
  });
});

t.test('validation', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['valid', { attachRequired: false, volumeLifecycleModes: ['Persistent', 'Ephemeral'], tokenRequests: [{ audience: 'vault', expirationSeconds: 3600 }, { audience: '' }] }, []],
    ['fs group policy', { fsGroupPolicy: 'Always' }, ['spec.fsGroupPolicy: Unsupported value: "Always": supported values: "File", "None", "ReadWriteOnceWithFSType"']],
    ['mode', { volumeLifecycleModes: ['Block'] }, ['spec.volumeLifecycleModes: Unsupported value: "Block": supported values: "Persistent", "Ephemeral"']],
    ['duplicate audience', { tokenRequests: [{ audience: 'a' }, { audience: 'a' }] }, ['spec.tokenRequests[1].audience: Duplicate value: "a"']],
    ['short token', { tokenRequests: [{ audience: 'a', expirationSeconds: 60 }] }, ['spec.tokenRequests[0].expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes']],
    ['update period', { nodeAllocatableUpdatePeriodSeconds: 5 }, ['spec.nodeAllocatableUpdatePeriodSeconds: Invalid value: 5: must be greater than or equal to 10 seconds']],
  ];
  for (const [name, spec, want] of cases) t.same(create(csidrivers, driver(spec), '').errors, want, name);
});

t.test('updates', async (t) => {
  const old = stored(csidrivers, driver({}));
  t.same(update(csidrivers, driver({ podInfoOnMount: true, requiresRepublish: true }), old).errors, []);
  t.same(update(csidrivers, driver({ attachRequired: false }), old).errors, ['spec.attachedRequired: Invalid value: false: field is immutable']);
  t.same(update(csidrivers, driver({ volumeLifecycleModes: ['Ephemeral'] }), old).errors, ['spec.volumeLifecycleModes: Invalid value: []storage.VolumeLifecycleMode{"Ephemeral"}: field is immutable']);
});

t.test('printer cells', async (t) => {
  t.same(cells(csidrivers, stored(csidrivers, driver({}))), ['ebs.csi.aws.com', true, false, false, '<unset>', false, 'Persistent', '5h']);
  t.same(cells(csidrivers, driver({ tokenRequests: [{ audience: 'a' }, { audience: 'b' }], volumeLifecycleModes: ['Persistent', 'Ephemeral'] })).slice(4, 7), ['a,b', false, 'Persistent,Ephemeral']);
});
