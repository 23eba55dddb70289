/** The Summary from runtime lists: which sandboxes/containers count, rates, sums, node totals. */
import t from 'tap';
import type { Container, ContainerStats, PodSandbox } from '../../cri/api.js';
import { buildSummary, type SummaryInput } from './build-summary.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const ns = (ms: number) => ms * 1e6;

const sandbox = (id: string, name: string, o: Partial<PodSandbox> = {}): PodSandbox => ({
  id,
  metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 },
  state: 'SANDBOX_READY',
  createdAt: ns(T0),
  labels: {},
  annotations: {},
  runtimeHandler: '',
  ...o,
});

const container = (id: string, sandboxId: string, name: string, o: Partial<Container> = {}): Container => ({
  id,
  podSandboxId: sandboxId,
  metadata: { name, attempt: 0 },
  image: { image: 'busybox' },
  imageRef: 'sha256:x',
  state: 'CONTAINER_RUNNING',
  createdAt: ns(T0 + 1000),
  labels: {},
  annotations: {},
  ...o,
});

const stats = (id: string, name: string, o: { cores?: number; used?: number; ws?: number; rss?: number } = {}): ContainerStats => ({
  attributes: { id, metadata: { name, attempt: 0 }, labels: {}, annotations: {} },
  cpu: { timestamp: ns(T0 + 20_000), usageCoreNanoSeconds: { value: o.used ?? 1e9 }, ...(o.cores !== undefined ? { usageNanoCores: { value: o.cores } } : {}) },
  memory: { timestamp: ns(T0 + 20_000), workingSetBytes: { value: o.ws ?? 1024 * 1024 }, ...(o.rss !== undefined ? { rssBytes: { value: o.rss } } : {}) },
  writableLayer: { timestamp: ns(T0 + 20_000), fsId: { mountpoint: '/x' }, usedBytes: { value: 4096 }, inodesUsed: { value: 1 } },
});

const input = (o: Partial<SummaryInput>): SummaryInput => ({
  nodeName: 'n1',
  nodeStartTimeMs: T0 - 60_000,
  nowMs: T0 + 30_000,
  sandboxes: [],
  containers: [],
  stats: [],
  cachedUsageNanoCores: () => undefined,
  ...o,
});

t.test('an empty node: zero usage, start time, availableBytes = capacity', async (t) => {
  const s = buildSummary(input({ memoryCapacityBytes: 8 << 20 }));
  t.same(s.pods, []);
  t.same(s.node, {
    nodeName: 'n1',
    startTime: '2026-01-01T11:59:00Z',
    cpu: { time: '2026-01-01T12:00:30Z', usageNanoCores: 0, usageCoreNanoSeconds: 0 },
    memory: { time: '2026-01-01T12:00:30Z', usageBytes: 0, workingSetBytes: 0, rssBytes: 0, availableBytes: 8 << 20 },
  });
});

t.test('the runtime\'s own usageNanoCores wins over the cache; pods and the node sum their parts', async (t) => {
  const s = buildSummary(
    input({
      sandboxes: [sandbox('s1', 'web'), sandbox('s2', 'db')],
      containers: [container('c1', 's1', 'app'), container('c2', 's1', 'sidecar'), container('c3', 's2', 'db')],
      stats: [stats('c1', 'app', { cores: 2_000_000, used: 5e9, rss: 10 }), stats('c2', 'sidecar', { used: 1e9 }), stats('c3', 'db', { cores: 1_000_000, ws: 3 << 20 })],
      cachedUsageNanoCores: (id) => (id === 'c2' ? 3_000_000 : 999),
      memoryCapacityBytes: 100 << 20,
    }),
  );
  t.same(s.pods.map((p) => p.podRef.name), ['db', 'web'], 'sorted by namespace/name');
  const web = s.pods[1]!;
  t.same(web.podRef, { name: 'web', namespace: 'default', uid: 'uid-web' });
  t.equal(web.startTime, '2026-01-01T12:00:00Z');
  t.same(web.containers.map((c) => [c.name, c.cpu?.usageNanoCores, c.startTime]), [
    ['app', 2_000_000, '2026-01-01T12:00:01Z'],
    ['sidecar', 3_000_000, '2026-01-01T12:00:01Z'],
  ]);
  t.same(web.containers[0]!.memory, { time: '2026-01-01T12:00:20Z', usageBytes: 1 << 20, workingSetBytes: 1 << 20, rssBytes: 10 });
  t.same(web.containers[0]!.rootfs, { time: '2026-01-01T12:00:20Z', usedBytes: 4096, inodesUsed: 1 });
  t.same(web.cpu, { time: '2026-01-01T12:00:20Z', usageCoreNanoSeconds: 6e9, usageNanoCores: 5_000_000 });
  t.equal(web.memory?.workingSetBytes, 2 << 20);
  t.equal(s.node.cpu?.usageNanoCores, 6_000_000);
  t.equal(s.node.cpu?.usageCoreNanoSeconds, 7e9);
  t.equal(s.node.memory?.workingSetBytes, 5 << 20);
  t.equal(s.node.memory?.availableBytes, 95 << 20);
});

t.test('a first sample: the container has no rate, its pod none either, the node counts it as 0', async (t) => {
  const s = buildSummary(
    input({
      sandboxes: [sandbox('s1', 'web'), sandbox('s2', 'db')],
      containers: [container('c1', 's1', 'app'), container('c2', 's1', 'new'), container('c3', 's2', 'db')],
      stats: [stats('c1', 'app', { cores: 2_000_000 }), stats('c2', 'new'), stats('c3', 'db', { cores: 1_000_000 })],
    }),
  );
  const web = s.pods.find((p) => p.podRef.name === 'web')!;
  t.equal(web.containers.find((c) => c.name === 'new')?.cpu?.usageNanoCores, undefined);
  t.notOk('usageNanoCores' in web.cpu!, 'no partial pod rate');
  t.equal(s.node.cpu?.usageNanoCores, 1_000_000, 'the node sums what it has');
});

t.test('a restarted container: only the running one counts; exited ones and strangers are dropped', async (t) => {
  const s = buildSummary(
    input({
      sandboxes: [sandbox('s1', 'web')],
      containers: [container('old', 's1', 'app', { state: 'CONTAINER_EXITED' }), container('new', 's1', 'app', { metadata: { name: 'app', attempt: 1 } })],
      stats: [stats('old', 'app', { cores: 50 }), stats('new', 'app', { cores: 7 }), stats('ghost', 'ghost', { cores: 1 })],
    }),
  );
  t.equal(s.pods.length, 1);
  t.same(s.pods[0]!.containers.map((c) => c.cpu?.usageNanoCores), [7]);
});

t.test('sandboxes: ready ones, or the newest of a pod that has no ready one', async (t) => {
  const s = buildSummary(
    input({
      sandboxes: [
        sandbox('r1', 'web', { state: 'SANDBOX_NOTREADY', createdAt: ns(T0) }),
        sandbox('r2', 'web', { state: 'SANDBOX_READY', createdAt: ns(T0 + 5) }),
        sandbox('d1', 'done', { state: 'SANDBOX_NOTREADY', createdAt: ns(T0) }),
        sandbox('d2', 'done', { state: 'SANDBOX_NOTREADY', createdAt: ns(T0 + 9) }),
      ],
      containers: [container('a', 'r1', 'app'), container('b', 'r2', 'app'), container('c', 'd1', 'app'), container('d', 'd2', 'app')],
      stats: ['a', 'b', 'c', 'd'].map((id) => stats(id, 'app', { cores: id.charCodeAt(0) })),
    }),
  );
  t.same(s.pods.map((p) => [p.podRef.name, p.containers[0]!.cpu?.usageNanoCores]), [
    ['done', 'd'.charCodeAt(0)],
    ['web', 'b'.charCodeAt(0)],
  ]);
});

t.test('stats without cpu or memory: zeros stamped now, as kube reports them', async (t) => {
  const bare: ContainerStats = { attributes: { id: 'c1', metadata: { name: 'app', attempt: 0 }, labels: {}, annotations: {} } };
  const s = buildSummary(input({ sandboxes: [sandbox('s1', 'web')], containers: [container('c1', 's1', 'app')], stats: [bare] }));
  t.same(s.pods[0]!.containers[0], {
    name: 'app',
    startTime: '2026-01-01T12:00:01Z',
    cpu: { time: '2026-01-01T12:00:30Z', usageNanoCores: 0, usageCoreNanoSeconds: 0 },
    memory: { time: '2026-01-01T12:00:30Z', workingSetBytes: 0 },
  });
});
