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

t.test('serviceaccounts/token takes TokenRequests', async (t) => {
  t.same(
    serviceaccounts.subresources.map(({ name, kind, verbs }) => ({ name, kind, verbs })),
    [{ name: 'token', kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] }],
  );
  t.type(serviceaccounts.subresources[0]?.create, 'function');
});
