import t from 'tap';
import type { V1LabelSelector } from '@kubernetes/client-node';
import { labelSelectorMatcher, matchLabelSelector } from './label-selector.js';

const cases: { name: string; selector: V1LabelSelector | undefined | null; labels: Record<string, string> | undefined; want: boolean }[] = [
  { name: 'null selector matches nothing', selector: null, labels: { a: '1' }, want: false },
  { name: 'undefined selector matches nothing', selector: undefined, labels: {}, want: false },
  { name: 'empty selector matches everything', selector: {}, labels: { a: '1' }, want: true },
  { name: 'empty selector matches no labels', selector: {}, labels: undefined, want: true },
  { name: 'matchLabels equal', selector: { matchLabels: { a: '1' } }, labels: { a: '1', b: '2' }, want: true },
  { name: 'matchLabels differ', selector: { matchLabels: { a: '1' } }, labels: { a: '2' }, want: false },
  { name: 'matchLabels missing', selector: { matchLabels: { a: '1' } }, labels: {}, want: false },
  { name: 'In hit', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, labels: { a: '2' }, want: true },
  { name: 'In miss', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, labels: { a: '3' }, want: false },
  { name: 'In absent', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, labels: {}, want: false },
  { name: 'NotIn absent matches', selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels: {}, want: true },
  { name: 'NotIn hit', selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels: { a: '1' }, want: false },
  { name: 'Exists', selector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, labels: { a: '' }, want: true },
  { name: 'Exists absent', selector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, labels: { b: '' }, want: false },
  { name: 'DoesNotExist', selector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, labels: { b: '1' }, want: true },
  { name: 'DoesNotExist present', selector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, labels: { a: '1' }, want: false },
  { name: 'unknown operator matches nothing', selector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, labels: { a: '2' }, want: false },
  {
    name: 'labels and expressions ANDed',
    selector: { matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'Exists' }] },
    labels: { a: '1' },
    want: false,
  },
  { name: 'prototype keys are not labels', selector: { matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, labels: {}, want: false },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.equal(matchLabelSelector(c.selector, c.labels), c.want);
    t.equal(labelSelectorMatcher(c.selector)(c.labels), c.want, 'compiled matcher agrees');
  });
}
