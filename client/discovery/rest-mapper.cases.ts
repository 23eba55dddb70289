/**
 * The RESTMapper over a fake discovery fetch: cached per group-version, one refresh on a
 * miss (a CRD appearing later), shared in-flight requests, 404 group-versions as "no
 * matches", failures not cached. (Real-server discovery is in rest/resource-client.test.ts.)
 */
import t from 'tap';
import { ApiError } from '../api-error.js';
import { NoKindMatchError, RestMapper } from './rest-mapper.js';

interface Fake {
  fetch: (path: string) => Promise<unknown>;
  calls: string[];
  docs: Map<string, Array<{ name: string; kind: string; namespaced: boolean }>>;
  fail?: unknown;
}

function fakeDiscovery(): Fake {
  const fake: Fake = {
    calls: [],
    docs: new Map([
      ['/api/v1', [{ name: 'pods', kind: 'Pod', namespaced: true }, { name: 'pods/status', kind: 'Pod', namespaced: true }, { name: 'nodes', kind: 'Node', namespaced: false }]],
      ['/apis/apps/v1', [{ name: 'deployments', kind: 'Deployment', namespaced: true }, { name: 'deployments/scale', kind: 'Scale', namespaced: true }]],
    ]),
    fetch: async (path) => {
      fake.calls.push(path);
      await new Promise((r) => setImmediate(r));
      if (fake.fail) throw fake.fail;
      const resources = fake.docs.get(path);
      if (!resources) throw new ApiError({ kind: 'Status', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
      return { kind: 'APIResourceList', groupVersion: path, resources };
    },
  };
  return fake;
}

t.test('resolves kinds of core and named groups; skips subresources', async (t) => {
  const fake = fakeDiscovery();
  const mapper = new RestMapper(fake.fetch);
  const table = [
    { apiVersion: 'v1', kind: 'Pod', want: { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true } },
    { apiVersion: 'v1', kind: 'Node', want: { group: '', version: 'v1', kind: 'Node', resource: 'nodes', namespaced: false } },
    { apiVersion: 'apps/v1', kind: 'Deployment', want: { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true } },
  ];
  for (const row of table) t.same(await mapper.mapping(row.apiVersion, row.kind), row.want, `${row.apiVersion} ${row.kind}`);
  t.same(fake.calls, ['/api/v1', '/apis/apps/v1'], 'one fetch per group-version');
  await t.rejects(mapper.mapping('apps/v1', 'Scale'), NoKindMatchError, 'a kind only served as a subresource is no match');
});

t.test('a miss refreshes once, so a kind that appears later resolves', async (t) => {
  const fake = fakeDiscovery();
  const mapper = new RestMapper(fake.fetch);
  await mapper.mapping('v1', 'Pod');
  await t.rejects(mapper.mapping('v1', 'Widget'), { message: 'no matches for kind "Widget" in version "v1"' });
  t.equal(fake.calls.length, 2, 'the miss refetched once');
  fake.docs.get('/api/v1')!.push({ name: 'widgets', kind: 'Widget', namespaced: true });
  t.equal((await mapper.mapping('v1', 'Widget')).resource, 'widgets');
  t.equal(fake.calls.length, 3);
  await mapper.mapping('v1', 'Widget');
  t.equal(fake.calls.length, 3, 'then cached');
});

t.test('a group-version the server does not serve yet: no match, not cached', async (t) => {
  const fake = fakeDiscovery();
  const mapper = new RestMapper(fake.fetch);
  await t.rejects(mapper.mapping('example.com/v1', 'Gizmo'), { name: 'NoKindMatchError', message: 'no matches for kind "Gizmo" in version "example.com/v1"' });
  fake.docs.set('/apis/example.com/v1', [{ name: 'gizmos', kind: 'Gizmo', namespaced: false }]);
  t.equal((await mapper.mapping('example.com/v1', 'Gizmo')).resource, 'gizmos');
});

t.test('concurrent lookups share one request, misses included', async (t) => {
  const fake = fakeDiscovery();
  const mapper = new RestMapper(fake.fetch);
  await Promise.all([mapper.mapping('v1', 'Pod'), mapper.mapping('v1', 'Node'), mapper.mapping('v1', 'Pod')]);
  t.equal(fake.calls.length, 1);
  const misses = await Promise.allSettled([mapper.mapping('v1', 'Nope'), mapper.mapping('v1', 'Nope'), mapper.mapping('v1', 'Nope')]);
  t.ok(misses.every((m) => m.status === 'rejected'));
  t.equal(fake.calls.length, 2, 'three concurrent misses, one refresh');
});

t.test('failures are passed on and not cached', async (t) => {
  const fake = fakeDiscovery();
  const mapper = new RestMapper(fake.fetch);
  fake.fail = new ApiError({ code: 403, reason: 'Forbidden', message: 'forbidden' });
  await t.rejects(mapper.mapping('v1', 'Pod'), { code: 403 });
  fake.fail = undefined;
  t.equal((await mapper.mapping('v1', 'Pod')).resource, 'pods');
  await t.rejects(new RestMapper(async () => ({ nope: true })).mapping('v1', 'Pod'), /not an APIResourceList/);
  await t.rejects(mapper.mapping('a/b/c', 'Pod'), /is not "version" or "group\/version"/);
  mapper.reset();
  await mapper.mapping('v1', 'Pod');
  t.equal(fake.calls.length, 3, 'reset forgets the cache');
});
