/**
 * The metrics routes through real requests (Fastify inject) on a bare app: JSON lists
 * and objects with their type meta, selectors from the query, Tables with
 * metrics-server's columns, watch refused, errors as Status. Plus the TLS scraper's
 * "leave it out" on a node it cannot locate.
 */
import Fastify from 'fastify';
import t from 'tap';
import { Catalogue } from '../../catalogue/catalogue.js';
import type { KubeObject, ResourceDef } from '../../catalogue/resource-def.js';
import { apiErrors } from '../../errors/api-error.js';
import { errorStatus } from '../../routes/error-status.js';
import type { KubeletSummary } from './kubelet-summary.js';
import { registerMetricsRoutes } from './metrics-routes.js';
import { kubeletSummaryScraper } from './scrape-kubelet.js';

const def = (kind: string, plural: string, namespaced: boolean): ResourceDef => ({
  group: '', version: 'v1', kind, plural, singular: kind.toLowerCase(), shortNames: [], namespaced, categories: [], verbs: ['get', 'list'], modelName: `V1${kind}`, subresources: [], strategy: {},
});
const NODE = def('Node', 'nodes', false);
const POD = def('Pod', 'pods', true);

const objects: Record<string, KubeObject[]> = {
  nodes: [{ metadata: { name: 'n1', labels: { role: 'x' } } }, { metadata: { name: 'n2' } }],
  pods: [
    { metadata: { namespace: 'default', name: 'web', uid: 'u1', labels: { app: 'web' } }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } },
    { metadata: { namespace: 'other', name: 'db', uid: 'u2' }, spec: { nodeName: 'n2' }, status: { phase: 'Running' } },
  ],
};

const summaryOf = (node: string): KubeletSummary => ({
  node: { cpu: { time: '2026-01-01T00:00:00Z', usageNanoCores: 5_000_000 }, memory: { workingSetBytes: 2 << 20 } },
  pods: objects['pods']!.filter((p) => (p['spec'] as { nodeName: string }).nodeName === node).map((p) => ({
    podRef: { name: p.metadata.name!, namespace: p.metadata.namespace!, uid: p.metadata.uid! },
    containers: [
      { name: 'a', cpu: { time: '2026-01-01T00:00:00Z', usageNanoCores: 1_000_000 }, memory: { workingSetBytes: 1 << 20 } },
      { name: 'b', cpu: { time: '2026-01-01T00:00:00Z', usageNanoCores: 2_000_000 }, memory: { workingSetBytes: 1 << 20 } },
    ],
  })),
});

async function app() {
  const a = Fastify();
  a.setErrorHandler(async (err: Error, _request, reply) => {
    const { status } = errorStatus(err);
    return reply.code(status.code).type('application/json').send(status);
  });
  const registry = {
    list: async (d: ResourceDef, ns: string) => objects[d.plural]!.filter((o) => !ns || o.metadata.namespace === ns),
    get: async (d: ResourceDef, ns: string, name: string) => {
      const found = objects[d.plural]!.find((o) => o.metadata.name === name && (o.metadata.namespace ?? '') === ns);
      if (!found) throw apiErrors.notFound({ group: '', resource: d.plural, name });
      return found;
    },
  };
  registerMetricsRoutes(a, { catalogue: new Catalogue([NODE, POD]), registry, now: () => new Date('2026-01-01T00:00:05Z'), scrape: async (n) => summaryOf(n.metadata.name!) });
  await a.ready();
  t.teardown(() => a.close());
  return a;
}

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

t.test('lists and objects as JSON', async (t) => {
  const a = await app();
  const nodes = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/nodes' })).json();
  t.same(Object.keys(nodes), ['kind', 'apiVersion', 'metadata', 'items']);
  t.match(nodes, { kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {} });
  t.same(nodes.items.map((i: KubeObject) => i.metadata.name), ['n1', 'n2']);
  t.notOk('kind' in nodes.items[0], 'list items carry no kind');
  t.same(nodes.items[0].usage, { cpu: '5m', memory: '2Mi' });

  const one = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/nodes/n1' })).json();
  t.equal(one.kind, 'NodeMetrics');
  t.equal(one.apiVersion, 'metrics.k8s.io/v1beta1');
  t.same(one.metadata, { name: 'n1', creationTimestamp: '2026-01-01T00:00:05Z', labels: { role: 'x' } });
  t.equal(one.window, '10s');

  const byLabel = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=role%3Dx' })).json();
  t.same(byLabel.items.map((i: KubeObject) => i.metadata.name), ['n1']);
  const byField = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=metadata.name%3Dn2' })).json();
  t.same(byField.items.map((i: KubeObject) => i.metadata.name), ['n2']);

  const allPods = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/pods' })).json();
  t.equal(allPods.kind, 'PodMetricsList');
  t.same(allPods.items.map((i: KubeObject) => `${i.metadata.namespace}/${i.metadata.name}`), ['default/web', 'other/db']);
  const inDefault = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb' })).json();
  t.same(inDefault.items.map((i: KubeObject) => i.metadata.name), ['web']);
  const pod = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/namespaces/other/pods/db' })).json();
  t.equal(pod.kind, 'PodMetrics');
  t.same(pod.containers.map((c: { name: string }) => c.name), ['a', 'b']);
});

t.test('Tables with metrics-server\'s columns (a pod sums its containers)', async (t) => {
  const a = await app();
  const nodes = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/nodes', headers: { accept: TABLE } })).json();
  t.equal(nodes.kind, 'Table');
  t.same(nodes.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'cpu', 'memory', 'Window']);
  t.same(nodes.rows[0].cells, ['n1', '5m', '2Mi', '10s']);
  const pods = (await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web', headers: { accept: TABLE } })).json();
  t.same(pods.rows[0].cells, ['web', '3m', '2Mi', '10s']);
});

t.test('errors: NotFound, a bad selector, watch', async (t) => {
  const a = await app();
  const cases: Array<{ url: string; code: number; message: RegExp }> = [
    { url: '/apis/metrics.k8s.io/v1beta1/nodes/ghost', code: 404, message: /^node "ghost" not found$/ },
    { url: '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/ghost', code: 404, message: /^pod "ghost" not found$/ },
    { url: '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=%3D%3D%3D', code: 400, message: /./ },
    { url: '/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=spec.unschedulable%3Dtrue', code: 400, message: /field label not supported|not a known field selector|spec.unschedulable/ },
    { url: '/apis/metrics.k8s.io/v1beta1/nodes?watch=true', code: 405, message: /does not allow this method/ },
  ];
  for (const c of cases) {
    const r = await a.inject({ url: c.url });
    t.equal(r.statusCode, c.code, c.url);
    t.equal(r.json().kind, 'Status');
    t.match(r.json().message, c.message, c.url);
  }
});

t.test('the TLS scraper leaves out a node it cannot locate, and says why', async (t) => {
  const failures: string[] = [];
  const scrape = kubeletSummaryScraper({ credentials: { cert: '', key: '', ca: '' }, timeoutMs: 1000, onFailure: (node, err) => failures.push(`${node}: ${(err as Error).message}`) });
  t.equal(await scrape({ metadata: { name: 'nowhere' }, status: {} }), undefined);
  t.match(failures, [/^nowhere: node "nowhere" has no address/]);
});

t.test('a malformed list query is a 400, as on every list', async (t) => {
  const a = await app();
  for (const q of ['limit=abc', 'continue=garbage', 'resourceVersion=abc', 'resourceVersionMatch=Bogus&resourceVersion=1', 'timeoutSeconds=abc']) {
    const r = await a.inject({ url: `/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?${q}` });
    t.equal(r.statusCode, 400, q);
  }
  t.equal((await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/nodes/n1?resourceVersion=x' })).statusCode, 400, 'a GET with a bad resourceVersion');
  t.equal((await a.inject({ url: '/apis/metrics.k8s.io/v1beta1/nodes?limit=1' })).json().items.length, 2, 'limit does not page: lists are whole');
});
