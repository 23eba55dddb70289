/**
 * The generic machinery kinds opt into through their ResourceDef: the scale subresource
 * (ScaleDef), never-stored kinds (virtualCreate), verbs a kind does not serve, and objects
 * made at start (bootstrapObjects).
 */
import t, { type Test } from 'tap';
import { openStore } from '../../store/index.js';
import { buildApiServer } from '../build-api-server.js';
import { Catalogue } from '../catalogue/catalogue.js';
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { testDef } from '../catalogue/test-defs.js';
import { fieldErrors } from '../errors/field-error.js';

const def = (over: Partial<ResourceDef>): ResourceDef => testDef({ group: 'example.com', ...over });

const replicated = def({
  kind: 'Replicated',
  plural: 'replicateds',
  singular: 'replicated',
  subresources: [
    { name: 'status', verbs: ['get', 'update'] },
    { name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
  ],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
  strategy: {
    validate: (o: KubeObject) => {
      const r = (o.spec as { replicas?: number } | undefined)?.replicas;
      return r !== undefined && r > 10 ? [fieldErrors.invalid('spec.replicas', r, 'must be at most 10')] : [];
    },
  },
});

const review = def({
  kind: 'EchoReview',
  plural: 'echoreviews',
  singular: 'echoreview',
  namespaced: false,
  verbs: ['create'],
  virtualCreate: async ({ body, ctx, services }) => {
    const decision = services.authorize({
      user: ctx.user,
      isResourceRequest: true,
      path: '',
      verb: 'get',
      apiGroup: '',
      apiVersion: 'v1',
      namespace: 'default',
      resource: 'pods',
      subresource: '',
      name: '',
    });
    return { code: 201, body: { ...body, status: { user: ctx.user.name, allowed: decision.allowed } } };
  },
});

const seeded = def({
  kind: 'Seed',
  plural: 'seeds',
  singular: 'seed',
  namespaced: false,
  bootstrapObjects: () => [{ metadata: { name: 'built-in', labels: { a: 'b' } } }],
});

const catalogue = new Catalogue([
  def({ group: '', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, modelName: 'V1Namespace', nameRule: 'dns1123-label' }),
  replicated,
  review,
  seeded,
]);

async function setup(t: Test) {
  const store = await openStore({ backend: 'memory', compactionWindowMs: 0, leaseCheckIntervalMs: 0 });
  const app = buildApiServer({ store, api: { catalogue, cluster: { serviceCIDR: '10.96.0.0/12', podCIDR: '10.244.0.0/16' } } });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await app.inject({ method: method as 'GET', url, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}), headers: { 'content-type': 'application/json' } });
    return { code: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined };
  };
  await app.ready();
  return call;
}

const base = '/apis/example.com/v1/namespaces/default/replicateds';

t.test('scale subresource: GET reads, PUT writes spec.replicas through the strategy', async (t) => {
  const call = await setup(t);
  const created = await call('POST', base, { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } } });
  t.equal(created.code, 201);
  const scale = await call('GET', `${base}/web/scale`);
  t.same(scale.body, {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'web', namespace: 'default', uid: created.body.metadata.uid, resourceVersion: created.body.metadata.resourceVersion, creationTimestamp: created.body.metadata.creationTimestamp },
    spec: { replicas: 2 },
    status: { replicas: 0, selector: 'app=web' },
  });
  const put = await call('PUT', `${base}/web/scale`, { ...scale.body, spec: { replicas: 5 } });
  t.equal(put.code, 200);
  t.equal(put.body.spec.replicas, 5);
  const parent = await call('GET', `${base}/web`);
  t.equal(parent.body.spec.replicas, 5);
  t.equal(parent.body.metadata.generation, 2, 'a scale is a spec change');

  const cases: Array<[string, unknown, number, RegExp]> = [
    ['stale resourceVersion', { ...scale.body, spec: { replicas: 3 } }, 409, /Operation cannot be fulfilled on replicateds.example.com "web"/],
    ['negative', { spec: { replicas: -1 } }, 422, /^Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0$/],
    ['not an integer', { spec: { replicas: 'x' } }, 422, /spec.replicas: Invalid value: "x": must be an integer/],
    ['parent strategy', { spec: { replicas: 11 } }, 422, /^Replicated.example.com "web" is invalid: spec.replicas: Invalid value: 11: must be at most 10$/],
    ['wrong name', { metadata: { name: 'other' }, spec: { replicas: 1 } }, 400, /does not match the name on the URL/],
    ['wrong kind', { kind: 'Pod', spec: { replicas: 1 } }, 400, /does not match the expected kind \(Scale\)/],
  ];
  for (const [name, body, code, message] of cases) {
    const r = await call('PUT', `${base}/web/scale`, body);
    t.equal(r.code, code, name);
    t.match(r.body.message, message, name);
  }
  t.equal((await call('GET', `${base}/missing/scale`)).code, 404);
});

t.test('virtual kinds answer POST and store nothing; other verbs are 405', async (t) => {
  const call = await setup(t);
  const r = await call('POST', '/apis/example.com/v1/echoreviews', { apiVersion: 'example.com/v1', kind: 'EchoReview', spec: { x: 1 } });
  t.equal(r.code, 201);
  t.match(r.body, { spec: { x: 1 }, status: { user: 'system:unsecured', allowed: true } });
  for (const [method, url] of [
    ['GET', '/apis/example.com/v1/echoreviews'],
    ['GET', '/apis/example.com/v1/echoreviews/a'],
    ['DELETE', '/apis/example.com/v1/echoreviews'],
    ['PUT', '/apis/example.com/v1/echoreviews/a'],
  ] as const) {
    const res = await call(method, url, method === 'PUT' ? {} : undefined);
    t.match(res, { code: 405, body: { reason: 'MethodNotAllowed' } }, `${method} ${url}`);
  }
});

t.test('bootstrap objects exist at start and are not overwritten', async (t) => {
  const call = await setup(t);
  const got = await call('GET', '/apis/example.com/v1/seeds/built-in');
  t.match(got, { code: 200, body: { metadata: { name: 'built-in', labels: { a: 'b' } } } });
});
