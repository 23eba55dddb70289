/** Label selectors as controllers read them: null → nothing, {} → everything, invalid → error. */
import type { V1LabelSelector } from '@kubernetes/client-node';
import t from 'tap';
import { labelSelectorMatcher, selectorMatchesOrFalse } from './label-selector.js';

const web = { app: 'web', tier: 'front' };

const cases: Array<[string, V1LabelSelector | null | undefined, Record<string, string> | undefined, boolean]> = [
  ['null selects nothing', null, web, false],
  ['undefined selects nothing', undefined, web, false],
  ['empty selects everything', {}, web, true],
  ['empty selects pods without labels', {}, undefined, true],
  ['matchLabels hit', { matchLabels: { app: 'web' } }, web, true],
  ['matchLabels miss', { matchLabels: { app: 'db' } }, web, false],
  ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['back', 'front'] }] }, web, true],
  ['In without the key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, web, false],
  ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, web, false],
  ['NotIn without the key matches', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, web, true],
  ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, web, true],
  ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, web, false],
  ['labels and expressions together', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, web, false],
];

t.test('matching', async (t) => {
  for (const [name, selector, labels, want] of cases) t.equal(labelSelectorMatcher(selector)(labels), want, name);
});

t.test('invalid selectors are errors (or select nothing, for event routing)', async (t) => {
  const invalid: Array<[V1LabelSelector, RegExp]> = [
    [{ matchExpressions: [{ key: 'a', operator: 'Near', values: ['x'] }] }, /"Near" is not a valid label selector operator/],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, /values set can't be empty/],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, /values set must be empty/],
  ];
  for (const [selector, want] of invalid) {
    t.throws(() => labelSelectorMatcher(selector), want);
    t.equal(selectorMatchesOrFalse(selector, web), false);
  }
});
