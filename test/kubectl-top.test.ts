/**
 * `kubectl top` end to end with the real kubectl (1.27 and 1.33) on a cluster with the
 * simulated runtime: the metrics.k8s.io API is discovered (kubectl refuses with
 * "Metrics API not available" otherwise), `top pods` (-A, --containers, -l, one pod) and
 * `top nodes` print the numbers the kubelet's /stats/summary gave, and the raw API has
 * metrics-server's shapes. The simulated runtime reports a steady 2 millicores and an
 * 8 MiB working set per running container (kubelet/runtime/simulated/synthetic-stats.ts),
 * so the numbers are known. Metrics can lag a pod's start (a kubelet needs a sample), so
 * every read polls.
 */
import t from 'tap';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl, kubectlFor, type Kubectl } from './helpers/kubectl.js';
import { until } from './helpers/poll.js';

const VERSIONS = ['1.33', '1.27'].filter(hasKubectl);

const pod = (name: string, namespace: string, labels: Record<string, string>, containers: string[]) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: 'k8ts-node-1', containers: containers.map((c) => ({ name: c, image: 'busybox:1.36' })) },
  });

/** kubectl's stdout once it succeeds and `done` holds (the last result otherwise) */
async function pollKubectl(kubectl: Kubectl, args: string[], done: (stdout: string) => boolean) {
  return until(
    () => kubectl(args),
    (r) => r.code === 0 && done(r.stdout),
    30_000,
  );
}

const rows = (table: string) => table.trim().split('\n').map((l) => l.trim().split(/\s+/));

t.test('kubectl top', { skip: VERSIONS.length === 0 && 'no kubectl 1.27 or 1.33 installed' }, async (t) => {
  t.setTimeout(180_000);
  const e = await e2eCluster(t, VERSIONS[0]!, {
    nodes: 1,
    runtime: 'simulated',
    kubelet: { leaseRenewIntervalMs: 200, nodeStatusUpdateFrequencyMs: 200, plegRelistIntervalMs: 100 },
  });
  await e.ok(['create', 'namespace', 'other']);
  await e.ok(['create', '-f', '-'], pod('web', 'default', { app: 'web' }, ['app', 'sidecar']));
  await e.ok(['create', '-f', '-'], pod('db', 'other', { app: 'db' }, ['db']));
  await e.ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
  await e.ok(['wait', '--for=condition=Ready', 'pod/db', '-n', 'other', '--timeout=60s']);

  for (const version of VERSIONS) {
    await t.test(`kubectl ${version}`, async (t) => {
      const { kubectl, cleanup } = await kubectlFor(version, e.cluster.kubeconfigPath);
      t.teardown(cleanup);

      const resources = await kubectl(['api-resources', '--api-group=metrics.k8s.io']);
      t.equal(resources.code, 0, resources.stderr);
      t.match(resources.stdout, /^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics$/m);
      t.match(resources.stdout, /^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);

      const pods = await pollKubectl(kubectl, ['top', 'pods'], (out) => /^web\s/m.test(out));
      t.equal(pods.code, 0, `top pods: ${pods.stderr}`);
      t.same(rows(pods.stdout), [
        ['NAME', 'CPU(cores)', 'MEMORY(bytes)'],
        ['web', '4m', '16Mi'],
      ], 'two containers: 2m and 8Mi each');

      const all = await pollKubectl(kubectl, ['top', 'pods', '-A'], (out) => /^other\s+db\s/m.test(out) && /^default\s+web\s/m.test(out));
      t.same(rows(all.stdout), [
        ['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
        ['default', 'web', '4m', '16Mi'],
        ['other', 'db', '2m', '8Mi'],
      ]);

      const containers = await pollKubectl(kubectl, ['top', 'pods', '--containers'], (out) => /^web\s+sidecar\s/m.test(out));
      t.same(rows(containers.stdout), [
        ['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
        ['web', 'app', '2m', '8Mi'],
        ['web', 'sidecar', '2m', '8Mi'],
      ]);

      const byLabel = await pollKubectl(kubectl, ['top', 'pods', '-A', '-l', 'app=db'], (out) => /db/.test(out));
      t.same(rows(byLabel.stdout).map((r) => r[1]), ['NAME', 'db'], '-l selects');

      const one = await pollKubectl(kubectl, ['top', 'pod', 'db', '-n', 'other'], (out) => /^db\s/m.test(out));
      t.same(rows(one.stdout)[1], ['db', '2m', '8Mi'], 'one pod (GET)');

      const missing = await kubectl(['top', 'pod', 'ghost']);
      t.not(missing.code, 0, 'a pod that does not exist fails');
      t.match(missing.stderr, /pod "ghost" not found|pods "ghost" not found|not found/);

      const nodes = await pollKubectl(kubectl, ['top', 'nodes'], (out) => /^k8ts-node-1\s/m.test(out));
      t.equal(nodes.code, 0, `top nodes: ${nodes.stderr}`);
      const [header, node] = rows(nodes.stdout);
      t.same(header!.slice(0, 2), ['NAME', 'CPU(cores)'], 'the header');
      t.match(header![2], /^CPU\(?%\)?$/, 'CPU% (1.27) or CPU(%) (1.33)');
      t.same(node!.slice(0, 2), ['k8ts-node-1', '6m'], 'the node sums its pods: 3 containers at 2m');
      t.equal(node![3], '24Mi', 'and 3 × 8Mi of memory');
      t.match(node![2], /^\d+%$/, 'a CPU percentage of allocatable');

      const oneNode = await pollKubectl(kubectl, ['top', 'node', 'k8ts-node-1'], (out) => /^k8ts-node-1\s/m.test(out));
      t.equal(oneNode.code, 0, 'one node (GET)');

      const raw = await kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']);
      t.equal(raw.code, 0, raw.stderr);
      const list = JSON.parse(raw.stdout);
      t.match(list, { kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {} });
      t.equal(list.items.length, 1);
      const item = list.items[0];
      t.same(Object.keys(item).sort(), ['metadata', 'timestamp', 'usage', 'window']);
      t.equal(item.metadata.name, 'k8ts-node-1');
      t.equal(item.metadata.labels['kubernetes.io/hostname'], 'k8ts-node-1');
      t.match(item.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      t.match(item.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      t.equal(item.window, '10s');
      t.same(item.usage, { cpu: '6m', memory: '24Mi' });

      const table = await kubectl(['get', 'pods.metrics.k8s.io', '-n', 'other']);
      t.equal(table.code, 0, table.stderr);
      t.same(rows(table.stdout), [
        ['NAME', 'CPU', 'MEMORY', 'WINDOW'],
        ['db', '2m', '8Mi', '10s'],
      ], 'kubectl get prints metrics-server\'s columns');
    });
  }
});
