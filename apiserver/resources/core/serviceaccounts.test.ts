import t from 'tap';
import { serviceaccounts } from './serviceaccounts.js';
import { cells, create, minutesAgo } from './strategy-harness.js';

t.test('serviceaccounts', async (t) => {
  t.match(serviceaccounts, { kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'], modelName: 'V1ServiceAccount' });
  const sa = { metadata: { name: 'default', namespace: 'default', creationTimestamp: minutesAgo(0.5) }, secrets: [{ name: 'tok' }] };
  t.same(create(serviceaccounts, sa).errors, []);
  t.same(create(serviceaccounts, { ...sa, secrets: 'tok' }).errors, ['secrets: Invalid value: "tok": must be an array']);
  t.same(cells(serviceaccounts, sa), ['default', 1, '30s']);
});
