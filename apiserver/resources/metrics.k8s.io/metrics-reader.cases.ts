/**
 * get/list over a fake cluster: selection, sorting, one scrape per node per request,
 * failing kubelets left out, and metrics-server's NotFound errors.
 */
import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { ApiError } from '../../errors/api-error.js';
import type { KubeletSummary } from './kubelet-summary.js';
import { getNodeMetrics, getPodMetrics, listNodeMetrics, listPodMetrics, type MetricsSource } from './metrics-reader.js';

const nodeObj = (name: string): KubeObject => ({ metadata: { name, labels: { zone: name === 'n2' ? 'b' : 'a' } } });
const podObj = (namespace: string, name: string, nodeName: string, phase = 'Running'): KubeObject => ({ metadata: { namespace, name, uid: `${namespace}-${name}` }, spec: { nodeName }, status: { phase } });

function fixture() {
  const nodes = [nodeObj('n2'), nodeObj('n1'), nodeObj('down')];
  const pods = [podObj('b', 'p3', 'n2'), podObj('a', 'p2', 'n1'), podObj('a', 'p1', 'n1'), podObj('a', 'pending', ''), podObj('a', 'lost', 'down')];
  const summaryOf = (nodeName: string): KubeletSummary => ({
    node: { cpu: { time: '2026-01-01T00:00:00Z', usageNanoCores: nodeName === 'n1' ? 3_000_000 : 1_000_000 }, memory: { workingSetBytes: 4096 } },
    pods: pods
      .filter((p) => (p['spec'] as { nodeName: string }).nodeName === nodeName)
      .map((p) => ({ podRef: { name: p.metadata.name!, namespace: p.metadata.namespace!, uid: p.metadata.uid! }, containers: [{ name: 'c', cpu: { usageNanoCores: 1_000_000 }, memory: { workingSetBytes: 8192 } }] })),
  });
  const scraped: string[] = [];
  const src: MetricsSource = {
    listNodes: async () => nodes,
    getNode: async (name) => nodes.find((n) => n.metadata.name === name),
    listPods: async (ns) => pods.filter((p) => !ns || p.metadata.namespace === ns),
    getPod: async (ns, name) => pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name),
    scrape: async (node) => {
      scraped.push(node.metadata.name!);
      return node.metadata.name === 'down' ? undefined : summaryOf(node.metadata.name!);
    },
    now: () => new Date('2026-01-01T00:00:05Z'),
    windowMs: 10_000,
  };
  return { src, scraped };
}

const names = (items: KubeObject[]) => items.map((i) => (i.metadata.namespace ? `${i.metadata.namespace}/${i.metadata.name}` : i.metadata.name));

t.test('list NodeMetrics: sorted, the unreachable kubelet left out, selectors applied', async (t) => {
  const { src, scraped } = fixture();
  const all = await listNodeMetrics(src);
  t.same(names(all), ['n1', 'n2']);
  t.same(all[0]!['usage'], { cpu: '3m', memory: '4Ki' });
  t.same(scraped.sort(), ['down', 'n1', 'n2']);
  const zoneB = await listNodeMetrics(src, (n) => n.metadata.labels?.['zone'] === 'b');
  t.same(names(zoneB), ['n2']);
});

t.test('list PodMetrics: one scrape per node, not-running and unreachable pods left out', async (t) => {
  const { src, scraped } = fixture();
  t.same(names(await listPodMetrics(src, '')), ['a/p1', 'a/p2', 'b/p3']);
  t.same(scraped.sort(), ['down', 'n1', 'n2'], 'each node once, though n1 has two pods');
  t.same(names(await listPodMetrics(src, 'a')), ['a/p1', 'a/p2']);
  t.same(names(await listPodMetrics(src, 'a', (p) => p.metadata.name === 'p2')), ['a/p2']);
  t.same(await listPodMetrics(src, 'nothing-here'), []);
});

t.test('get: metrics, or the NotFound metrics-server gives', async (t) => {
  const { src } = fixture();
  t.equal((await getNodeMetrics(src, 'n1')).metadata.name, 'n1');
  t.same((await getPodMetrics(src, 'a', 'p1'))['containers'], [{ name: 'c', usage: { cpu: '1m', memory: '8Ki' } }]);
  const cases: Array<{ name: string; read: () => Promise<unknown>; message: string }> = [
    { name: 'no such node', read: () => getNodeMetrics(src, 'ghost'), message: 'node "ghost" not found' },
    { name: 'a node without metrics', read: () => getNodeMetrics(src, 'down'), message: 'nodemetrics.metrics.k8s.io "down" not found' },
    { name: 'no such pod', read: () => getPodMetrics(src, 'a', 'ghost'), message: 'pod "ghost" not found' },
    { name: 'a pending pod', read: () => getPodMetrics(src, 'a', 'pending'), message: 'podmetrics.metrics.k8s.io "a/pending" not found' },
    { name: 'a pod on an unreachable node', read: () => getPodMetrics(src, 'a', 'lost'), message: 'podmetrics.metrics.k8s.io "a/lost" not found' },
  ];
  for (const c of cases) {
    const err = await c.read().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(err instanceof ApiError && err.reason === 'NotFound', `${c.name}: NotFound`);
    t.equal((err as Error | undefined)?.message, c.message, c.name);
  }
});
