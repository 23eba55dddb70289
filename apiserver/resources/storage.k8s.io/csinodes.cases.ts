import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo, stored, update } from '../core/strategy-harness.js';
import { csinodes } from './csinodes.js';

const node = (drivers: unknown[]): KubeObject => ({ metadata: { name: 'node-1', creationTimestamp: minutesAgo(3) }, spec: { drivers } });
const ebs = { name: 'ebs.csi.aws.com', nodeID: 'i-0123', topologyKeys: ['topology.ebs.csi.aws.com/zone'], allocatable: { count: 25 } };

t.test('definition', async (t) => {
  t.match(csinodes, { group: 'storage.k8s.io', kind: 'CSINode', plural: 'csinodes', namespaced: false, modelName: 'V1CSINode' });
});

t.test('validation', async (t) => {
  const cases: Array<[string, unknown[], string[]]> = [
    ['valid', [ebs], []],
    ['none', [], []],
    ['no node id', [{ name: 'x.csi.io' }], ['spec.drivers[0].nodeID: Required value']],
    ['long node id', [{ name: 'x.csi.io', nodeID: 'n'.repeat(193) }], [`spec.drivers[0].nodeID: Invalid value: "${'n'.repeat(193)}": must be 192 characters or less`]],
    ['negative count', [{ ...ebs, allocatable: { count: -1 } }], ['spec.drivers[0].allocatable.count: Invalid value: -1: must be greater than or equal to 0']],
    ['duplicate driver', [ebs, ebs], ['spec.drivers[1].name: Duplicate value: "ebs.csi.aws.com"']],
    ['duplicate topology key', [{ ...ebs, topologyKeys: ['zone', 'zone'] }], ['spec.drivers[0]: Duplicate value: "zone"']],
    ['driver name', [{ ...ebs, name: 'a_b' }], [`spec.drivers[0].name: Invalid value: "a_b": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`]],
  ];
  for (const [name, drivers, want] of cases) t.same(create(csinodes, node(drivers), '').errors, want, name);
});

t.test('registered drivers are fixed except their count', async (t) => {
  const old = stored(csinodes, node([ebs]));
  t.same(update(csinodes, node([{ ...ebs, allocatable: { count: 30 } }, { name: 'new.csi.io', nodeID: 'n1' }]), old).errors, []);
  t.equal(update(csinodes, node([{ ...ebs, nodeID: 'i-9' }]), old).errors.length, 1);
  t.match(update(csinodes, node([{ ...ebs, nodeID: 'i-9' }]), old).errors[0], /^spec\.drivers: Invalid value: .*: field is immutable$/);
});

t.test('printer cells', async (t) => {
  t.same(cells(csinodes, node([ebs])), ['node-1', 1, '3m']);
});
