import Fastify from 'fastify';
import t from 'tap';
import { testCatalogue, testPods } from '../catalogue/test-defs.js';
import { registerDiscoveryRoutes } from './discovery-routes.js';
import { discoveryForm, parseAccept } from './media-type.js';

// the Accept headers kubectl sends for /api and /apis (kubectl-contract §2.1)
const KUBECTL_133 =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const KUBECTL_127 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

function app(t: { teardown(fn: () => unknown): void }) {
  const server = Fastify();
  registerDiscoveryRoutes(server, testCatalogue());
  t.teardown(() => server.close());
  return server;
}

t.test('the Accept header picks the discovery form', async (t) => {
  const cases: Array<[string | undefined, string]> = [
    [KUBECTL_133, 'v2'],
    [KUBECTL_127, 'v2beta1'],
    [`${V2BETA1},${V2}`, 'v2'],
    ['application/json; g=apidiscovery.k8s.io; v=v2beta1; as=APIGroupDiscoveryList', 'v2beta1'],
    ['application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,application/json', 'legacy'],
    ['application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', 'legacy'],
    ['application/json, */*', 'legacy'],
    ['*/*', 'legacy'],
    [undefined, 'legacy'],
  ];
  for (const [accept, want] of cases) t.equal(discoveryForm(accept), want, accept ?? '(none)');
  t.same(parseAccept('a/b;x="1"'), [{ type: 'a/b', params: { x: '1' } }]);
});

t.test('/api and /apis answer in the asked form with the exact Content-Type', async (t) => {
  const server = app(t);
  const cases: Array<{ url: string; accept?: string; contentType: string; kind: string; apiVersion?: string }> = [
    { url: '/api', accept: KUBECTL_133, contentType: V2, kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' },
    { url: '/apis', accept: KUBECTL_133, contentType: V2, kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' },
    { url: '/api', accept: KUBECTL_127, contentType: V2BETA1, kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2beta1' },
    { url: '/apis?timeout=32s', accept: KUBECTL_127, contentType: V2BETA1, kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2beta1' },
    { url: '/api', accept: 'application/json, */*', contentType: 'application/json', kind: 'APIVersions' },
    { url: '/apis', contentType: 'application/json', kind: 'APIGroupList' },
  ];
  for (const c of cases) {
    const res = await server.inject({ url: c.url, headers: c.accept ? { accept: c.accept } : {} });
    const name = `${c.url} ${c.accept ?? ''}`;
    t.equal(res.statusCode, 200, name);
    t.equal(res.headers['content-type'], c.contentType, name);
    t.equal(res.headers.vary, 'Accept', name);
    const body = res.json();
    t.equal(body.kind, c.kind, name);
    if (c.apiVersion) t.equal(body.apiVersion, c.apiVersion, name);
  }
});

t.test('aggregated discovery: core in /api, named groups in /apis', async (t) => {
  const server = app(t);
  const core = (await server.inject({ url: '/api', headers: { accept: KUBECTL_133 } })).json();
  t.equal(core.items.length, 1);
  t.equal(core.items[0].metadata.name, '');
  const v1 = core.items[0].versions[0];
  t.match(v1, { version: 'v1', freshness: 'Current' });
  t.same(
    v1.resources.map((r: { resource: string }) => r.resource),
    ['nodes', 'pods'],
  );
  const pods = v1.resources.find((r: { resource: string }) => r.resource === 'pods');
  t.match(pods, {
    resource: 'pods',
    singularResource: 'pod',
    scope: 'Namespaced',
    responseKind: { group: '', version: 'v1', kind: 'Pod' },
    shortNames: ['po'],
    categories: ['all'],
    verbs: testPods.verbs,
  });
  t.same(
    pods.subresources.map((s: { subresource: string }) => s.subresource),
    ['binding', 'eviction', 'log', 'status'],
  );
  t.same(pods.subresources[1], { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] });
  const nodes = v1.resources.find((r: { resource: string }) => r.resource === 'nodes');
  t.equal(nodes.scope, 'Cluster');

  const groups = (await server.inject({ url: '/apis', headers: { accept: KUBECTL_127 } })).json();
  t.same(
    groups.items.map((i: { metadata: { name: string } }) => i.metadata.name),
    ['apps'],
  );
  const deployments = groups.items[0].versions[0].resources[0];
  t.match(deployments, { resource: 'deployments', shortNames: ['deploy'] });
  t.same(deployments.subresources[0], { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
});

t.test('legacy discovery', async (t) => {
  const server = app(t);
  const versions = (await server.inject({ url: '/api', headers: { host: '127.0.0.1:6443' } })).json();
  t.same(versions, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });

  const groups = (await server.inject({ url: '/apis' })).json();
  t.same(groups, {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
  });

  const apps = (await server.inject({ url: '/apis/apps' })).json();
  t.same(apps, { kind: 'APIGroup', apiVersion: 'v1', name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });

  const core = (await server.inject({ url: '/api/v1' })).json();
  t.match(core, { kind: 'APIResourceList', groupVersion: 'v1' });
  const byName = new Map(core.resources.map((r: { name: string }) => [r.name, r]));
  t.same([...byName.keys()], ['nodes', 'nodes/status', 'pods', 'pods/binding', 'pods/eviction', 'pods/log', 'pods/status']);
  t.same(byName.get('pods'), {
    name: 'pods',
    singularName: 'pod',
    namespaced: true,
    kind: 'Pod',
    verbs: testPods.verbs,
    shortNames: ['po'],
    categories: ['all'],
  });
  t.same(byName.get('pods/eviction'), { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  t.same(byName.get('pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  t.same(byName.get('pods/binding'), { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
  t.notOk('shortNames' in (byName.get('nodes/status') as object));

  const appsV1 = (await server.inject({ url: '/apis/apps/v1?timeout=32s' })).json();
  t.match(appsV1, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1' });
  t.same(
    appsV1.resources.find((r: { name: string }) => r.name === 'deployments/scale'),
    { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
  );
});

t.test('unknown groups and versions are 404 Status', async (t) => {
  const server = app(t);
  for (const url of ['/api/v2', '/apis/nope', '/apis/nope/v1', '/apis/apps/v9']) {
    const res = await server.inject({ url });
    t.equal(res.statusCode, 404, url);
    t.match(res.json(), { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 }, url);
  }
});

t.test('discovery follows the catalogue as it changes', async (t) => {
  const catalogue = testCatalogue();
  const server = Fastify();
  registerDiscoveryRoutes(server, catalogue);
  t.teardown(() => server.close());
  catalogue.add({ ...testPods, group: 'example.com', version: 'v1alpha1', kind: 'Widget', plural: 'widgets', singular: 'widget', shortNames: [], categories: [], subresources: [], modelName: 'Widget' });
  const groups = (await server.inject({ url: '/apis', headers: { accept: KUBECTL_133 } })).json();
  t.same(
    groups.items.map((i: { metadata: { name: string } }) => i.metadata.name),
    ['apps', 'example.com'],
  );
  catalogue.remove('example.com', 'v1alpha1', 'widgets');
  t.equal((await server.inject({ url: '/apis/example.com/v1alpha1' })).statusCode, 404);
});
