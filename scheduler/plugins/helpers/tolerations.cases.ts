import t from 'tap';
import type { V1Taint, V1Toleration } from '@kubernetes/client-node';
import { findUntoleratedTaint, taintEffectIn, toleratesTaint } from './tolerations.js';

const taint: V1Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

const cases: { name: string; toleration: V1Toleration; taint: V1Taint; want: boolean }[] = [
  { name: 'Equal same key/value/effect', toleration: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint, want: true },
  { name: 'empty operator means Equal', toleration: { key: 'dedicated', value: 'gpu' }, taint, want: true },
  { name: 'Equal other value', toleration: { key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint, want: false },
  { name: 'Exists ignores value', toleration: { key: 'dedicated', operator: 'Exists' }, taint, want: true },
  { name: 'other key', toleration: { key: 'other', operator: 'Exists' }, taint, want: false },
  { name: 'other effect', toleration: { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint, want: false },
  { name: 'empty effect matches every effect', toleration: { key: 'dedicated', operator: 'Exists' }, taint: { ...taint, effect: 'NoExecute' }, want: true },
  { name: 'empty key with Exists tolerates all', toleration: { operator: 'Exists' }, taint: { key: 'x', value: 'y', effect: 'PreferNoSchedule' }, want: true },
  { name: 'empty values are equal', toleration: { key: 'k', operator: 'Equal' }, taint: { key: 'k', effect: 'NoSchedule' }, want: true },
  { name: 'unknown operator', toleration: { key: 'dedicated', operator: 'Gt', value: 'gpu' }, taint, want: false },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.equal(toleratesTaint(c.toleration, c.taint), c.want);
  });
}

t.test('findUntoleratedTaint', async (t) => {
  const taints: V1Taint[] = [
    { key: 'soft', effect: 'PreferNoSchedule' },
    { key: 'a', value: '1', effect: 'NoSchedule' },
    { key: 'b', value: '2', effect: 'NoExecute' },
  ];
  t.same(findUntoleratedTaint(taints, []), taints[0], 'first untolerated, no filter');
  const hard = taintEffectIn('NoSchedule', 'NoExecute');
  t.same(findUntoleratedTaint(taints, [], hard), taints[1]);
  t.same(findUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }], hard), taints[2]);
  t.equal(findUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }, { key: 'b', value: '2' }], hard), undefined);
  t.equal(findUntoleratedTaint(undefined, undefined), undefined);
  t.equal(findUntoleratedTaint(taints, [{ operator: 'Exists' }]), undefined);
});
