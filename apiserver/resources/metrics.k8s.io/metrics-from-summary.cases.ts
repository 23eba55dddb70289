/** NodeMetrics/PodMetrics from Summaries: which nodes and pods get metrics, and their shape. */
import t from 'tap';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { readKubeletSummary, type KubeletSummary } from './kubelet-summary.js';
import { nodeMetricsOf, podMetricsOf } from './metrics-from-summary.js';

const ctx = { now: new Date('2026-01-01T12:00:30Z'), windowMs: 10_000 };
const node: KubeObject = { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } } };
const pod = (o: { phase?: string; uid?: string; labels?: Record<string, string> } = {}): KubeObject => ({
  metadata: { name: 'web', namespace: 'default', uid: o.uid ?? 'u1', ...(o.labels ? { labels: o.labels } : {}) },
  spec: { nodeName: 'n1' },
  status: { phase: o.phase ?? 'Running' },
});

const cpu = (usageNanoCores?: number, time = '2026-01-01T12:00:20Z') => ({ time, ...(usageNanoCores !== undefined ? { usageNanoCores } : {}) });
const memory = (workingSetBytes?: number) => ({ time: '2026-01-01T12:00:20Z', ...(workingSetBytes !== undefined ? { workingSetBytes } : {}) });

const summary = (containers: KubeletSummary['pods'][number]['containers'], podUid = 'u1'): KubeletSummary => ({
  node: { nodeName: 'n1', cpu: cpu(4_000_000), memory: memory(16 << 20) },
  pods: [{ podRef: { name: 'web', namespace: 'default', uid: podUid }, containers }],
});

t.test('NodeMetrics', async (t) => {
  t.same(nodeMetricsOf(node, summary([]), ctx), {
    metadata: { name: 'n1', creationTimestamp: '2026-01-01T12:00:30Z', labels: { 'kubernetes.io/hostname': 'n1' } },
    timestamp: '2026-01-01T12:00:20Z',
    window: '10s',
    usage: { cpu: '4m', memory: '16Mi' },
  });
  t.equal(nodeMetricsOf(node, undefined, ctx), undefined, 'kubelet not scraped: none');
  t.equal(nodeMetricsOf(node, { node: { memory: memory(1) }, pods: [] }, ctx), undefined, 'no CPU rate yet: none');
  t.equal(nodeMetricsOf(node, { node: { cpu: cpu(1) }, pods: [] }, ctx), undefined, 'no memory: none');
  t.notOk('labels' in (nodeMetricsOf({ metadata: { name: 'bare' } }, summary([]), ctx)?.metadata ?? {}), 'no labels, no labels field');
});

t.test('PodMetrics', async (t) => {
  const two = summary([
    { name: 'app', cpu: cpu(2_000_000), memory: memory(8 << 20) },
    { name: 'sidecar', cpu: cpu(1_000, '2026-01-01T12:00:25Z'), memory: memory(1000) },
  ]);
  t.same(podMetricsOf(pod({ labels: { app: 'web' } }), two, ctx), {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T12:00:30Z', labels: { app: 'web' } },
    timestamp: '2026-01-01T12:00:25Z',
    window: '10s',
    containers: [
      { name: 'app', usage: { cpu: '2m', memory: '8Mi' } },
      { name: 'sidecar', usage: { cpu: '1u', memory: '1k' } },
    ],
  });
  const cases: Array<{ name: string; pod: KubeObject; summary: KubeletSummary | undefined }> = [
    { name: 'a pod not Running', pod: pod({ phase: 'Pending' }), summary: two },
    { name: 'a Succeeded pod', pod: pod({ phase: 'Succeeded' }), summary: two },
    { name: 'no Summary from its node', pod: pod(), summary: undefined },
    { name: 'a pod of the same name with another uid', pod: pod({ uid: 'u2' }), summary: two },
    { name: 'a container without a CPU rate (first sample)', pod: pod(), summary: summary([{ name: 'app', cpu: cpu(1), memory: memory(1) }, { name: 'new', cpu: cpu(), memory: memory(1) }]) },
    { name: 'a container without memory', pod: pod(), summary: summary([{ name: 'app', cpu: cpu(1) }]) },
    { name: 'no containers in the Summary', pod: pod(), summary: summary([]) },
  ];
  for (const c of cases) t.equal(podMetricsOf(c.pod, c.summary, ctx), undefined, `${c.name}: no metrics`);
});

t.test('readKubeletSummary keeps what it can use and drops malformed parts', async (t) => {
  t.equal(readKubeletSummary(null), undefined);
  t.equal(readKubeletSummary({ pods: [] }), undefined, 'no node');
  t.same(
    readKubeletSummary({
      node: { nodeName: 'n1', cpu: { time: 't', usageNanoCores: 5, usageCoreNanoSeconds: 9 }, memory: { workingSetBytes: -1 } },
      pods: [
        { podRef: { name: 'a', namespace: 'ns', uid: 'u' }, containers: [{ name: 'c', cpu: { usageNanoCores: 'x' } }, { cpu: {} }, 'junk'] },
        { podRef: { name: 'b' }, containers: [] },
        'junk',
      ],
    }),
    {
      node: { nodeName: 'n1', cpu: { time: 't', usageNanoCores: 5 }, memory: {} },
      pods: [{ podRef: { name: 'a', namespace: 'ns', uid: 'u' }, containers: [{ name: 'c', cpu: {} }] }],
    },
  );
});
