import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { cells, create, minutesAgo } from '../core/strategy-harness.js';
import { leases } from './leases.js';

const lease = (spec: unknown): KubeObject => ({ metadata: { name: 'node-1', namespace: 'kube-node-lease', creationTimestamp: minutesAgo(60 * 24 * 10) }, spec });

t.test('definition', async (t) => {
  t.match(leases, { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', shortNames: [], namespaced: true, modelName: 'V1Lease' });
});

t.test('validation', async (t) => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['valid', lease({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-01T11:59:50.123456Z', leaseTransitions: 0 }), []],
    ['no spec', { metadata: { name: 'x' } }, []],
    ['duration', lease({ leaseDurationSeconds: 0 }), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']],
    ['transitions', lease({ leaseTransitions: -1 }), ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0']],
    ['holder type', lease({ holderIdentity: 5 }), ['spec.holderIdentity: Invalid value: 5: must be a string']],
    ['duration type', lease({ leaseDurationSeconds: '40' }), ['spec.leaseDurationSeconds: Invalid value: "40": must be an integer']],
    ['time', lease({ renewTime: 'yesterday' }), ['spec.renewTime: Invalid value: "yesterday": must be an RFC 3339 date-time']],
    ['preferred holder', lease({ preferredHolder: 'b' }), ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined']],
  ];
  for (const [name, input, want] of cases) t.same(create(leases, input, 'kube-node-lease').errors, want, name);
});

t.test('printer cells', async (t) => {
  t.same(cells(leases, lease({ holderIdentity: 'node-1' })), ['node-1', 'node-1', '10d']);
  t.same(cells(leases, lease({})), ['node-1', '', '10d']);
});
