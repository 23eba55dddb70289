import Fastify from 'fastify';
import t from 'tap';
import { testCatalogue, testPods } from '../catalogue/test-defs.js';
import { OPENAPI_V2_CONTENT_TYPE, registerOpenApiRoutes } from './openapi-routes.js';

function app(t: { teardown(fn: () => unknown): void }, catalogue = testCatalogue()) {
  const server = Fastify();
  const docs = registerOpenApiRoutes(server, catalogue);
  t.teardown(() => server.close());
  return { server, docs, catalogue };
}

t.test('/openapi/v2 is an empty protobuf document for any Accept', async (t) => {
  const { server } = app(t);
  for (const accept of ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/json', '*/*', undefined]) {
    const res = await server.inject({ url: '/openapi/v2?timeout=32s', headers: accept ? { accept } : {} });
    t.equal(res.statusCode, 200, accept ?? '(none)');
    t.equal(res.headers['content-type'], OPENAPI_V2_CONTENT_TYPE);
    t.equal(res.rawPayload.length, 0);
  }
});

t.test('/openapi/v3 indexes every group-version with a stable hash', async (t) => {
  const { server } = app(t);
  const first = (await server.inject({ url: '/openapi/v3' })).json();
  t.same(Object.keys(first.paths), ['api/v1', 'apis/apps/v1']);
  t.match(first.paths['api/v1'].serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  t.match(first.paths['apis/apps/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  // the same catalogue state gives the same hashes, even from a fresh server
  const again = (await app(t).server.inject({ url: '/openapi/v3' })).json();
  t.same(again, first);
});

t.test('hashed document URLs: caching headers as kube', async (t) => {
  const { server } = app(t);
  const url = (await server.inject({ url: '/openapi/v3' })).json().paths['apis/apps/v1'].serverRelativeURL as string;
  const hashed = await server.inject({ url, headers: { accept: 'application/json' } });
  t.equal(hashed.statusCode, 200);
  t.equal(hashed.headers['content-type'], 'application/json');
  t.equal(hashed.headers['cache-control'], 'public, immutable');
  t.equal(hashed.headers.etag, `"${url.split('hash=')[1]}"`);
  const stale = await server.inject({ url: '/openapi/v3/apis/apps/v1?hash=OLD' });
  t.equal(stale.statusCode, 200);
  t.equal(stale.headers['cache-control'], 'no-cache, private');
  t.equal(stale.body, hashed.body);
  const notModified = await server.inject({ url, headers: { 'if-none-match': hashed.headers.etag as string } });
  t.equal(notModified.statusCode, 304);
  for (const missing of ['/openapi/v3/apis/nope/v1', '/openapi/v3/api/v2']) {
    const res = await server.inject({ url: missing });
    t.equal(res.statusCode, 404, missing);
    t.match(res.json(), { kind: 'Status', reason: 'NotFound' });
  }
});

t.test('group-version documents: paths per kind and scope, ops per verb', async (t) => {
  const { server } = app(t);
  const core = (await server.inject({ url: '/openapi/v3/api/v1' })).json();
  t.equal(core.openapi, '3.0.0');
  const cases: Array<[string, string[]]> = [
    ['/api/v1/namespaces/{namespace}/pods', ['get', 'post', 'delete']],
    ['/api/v1/namespaces/{namespace}/pods/{name}', ['get', 'put', 'patch', 'delete']],
    ['/api/v1/pods', ['get']],
    ['/api/v1/namespaces/{namespace}/pods/{name}/status', ['get', 'put', 'patch']],
    ['/api/v1/namespaces/{namespace}/pods/{name}/eviction', ['post']],
    ['/api/v1/namespaces/{namespace}/pods/{name}/binding', ['post']],
    ['/api/v1/nodes', ['get', 'post', 'delete']],
    ['/api/v1/nodes/{name}', ['get', 'put', 'patch', 'delete']],
  ];
  for (const [path, ops] of cases) {
    const item = core.paths[path];
    t.ok(item, path);
    t.same(
      Object.keys(item ?? {}).filter((k) => k !== 'parameters').sort(),
      [...ops].sort(),
      path,
    );
  }
  t.notOk(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'], 'streaming subresources have no JSON ops');
  t.notOk(core.paths['/api/v1/namespaces/{namespace}/nodes'], 'cluster-scoped kinds have no namespaced path');

  const patch = core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
  t.same(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  t.equal(patch['x-kubernetes-action'], 'patch');
  t.same(
    patch.parameters.map((p: { name: string }) => p.name),
    ['dryRun', 'fieldManager', 'fieldValidation', 'force'],
  );
  t.same(Object.keys(patch.requestBody.content).sort(), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
  ]);
  t.equal(patch.operationId, 'patchCoreV1NamespacedPod');
  t.same(
    core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].parameters.map((p: { name: string }) => p.name),
    ['name', 'namespace', 'pretty'],
  );
  t.same(
    core.paths['/api/v1/nodes/{name}'].parameters.map((p: { name: string }) => p.name),
    ['name', 'pretty'],
  );

  const apps = (await server.inject({ url: '/openapi/v3/apis/apps/v1' })).json();
  const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  t.same(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  t.same(scale.get.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/io.k8s.api.autoscaling.v1.Scale' });
  t.equal(scale.patch.operationId, 'patchAppsV1NamespacedDeploymentScale');
});

t.test('components.schemas: every reference resolves; kinds carry their GVK list', async (t) => {
  const { server } = app(t);
  for (const url of ['/openapi/v3/api/v1', '/openapi/v3/apis/apps/v1']) {
    const doc = (await server.inject({ url })).json();
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!));
    for (const id of refs) t.ok(doc.components.schemas[id], `${url}: ${id} is defined`);
  }
  const core = (await server.inject({ url: '/openapi/v3/api/v1' })).json();
  const schemas = core.components.schemas;
  t.same(schemas['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  t.same(schemas['io.k8s.api.core.v1.PodList']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'PodList', version: 'v1' }]);
  t.same(schemas['io.k8s.api.policy.v1.Eviction']['x-kubernetes-group-version-kind'], [{ group: 'policy', kind: 'Eviction', version: 'v1' }]);
  t.match(schemas['io.k8s.api.core.v1.PodSpec'].properties.containers, {
    items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
  });
  t.match(schemas['io.k8s.api.core.v1.Container'].properties.env, { 'x-kubernetes-patch-merge-key': 'name' });
  t.match(schemas['io.k8s.api.core.v1.Container'].properties.volumeMounts, { 'x-kubernetes-patch-merge-key': 'mountPath' });
  t.match(schemas['io.k8s.api.core.v1.ServicePort'], undefined, 'no Service in the test catalogue');
  t.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Patch']);
  t.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']);
  t.notOk(schemas['io.k8s.api.apps.v1.Deployment'], 'each document holds its own group-version');
});

t.test('documents are regenerated when the catalogue changes, and only then', async (t) => {
  const { server, docs, catalogue } = app(t);
  const before = docs.current();
  t.equal(docs.current(), before, 'cached');
  catalogue.add({ ...testPods, group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', singular: 'widget', shortNames: [], categories: [], subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }], modelName: 'Widget' });
  const index = (await server.inject({ url: '/openapi/v3' })).json();
  t.ok(index.paths['apis/example.com/v1']);
  t.same(index.paths['api/v1'], JSON.parse(before.index.toString()).paths['api/v1'], 'unchanged GVs keep their hash');
  const widgets = (await server.inject({ url: '/openapi/v3/apis/example.com/v1' })).json();
  const patch = widgets.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch;
  t.same(patch['x-kubernetes-group-version-kind'], { group: 'example.com', version: 'v1', kind: 'Widget' });
  t.notOk(patch.requestBody.content['application/strategic-merge-patch+json'], 'no strategic merge patch for kinds without a built-in model');
  t.match(widgets.components.schemas['com.example.v1.Widget'], {
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
  });
  catalogue.remove('example.com', 'v1', 'widgets');
  t.notOk((await server.inject({ url: '/openapi/v3' })).json().paths['apis/example.com/v1']);
});
