/**
 * The scheduler end to end with the real kubectl on `k8ts up --nodes 3 --runtime
 * simulated`: pods without spec.nodeName are placed where kube-scheduler would put them
 * (spreading, taints, node affinity, anti-affinity, topology spread), a pod that fits
 * nowhere gets kube-scheduler's FailedScheduling message and is scheduled once a node
 * with room appears, a higher-priority pod preempts a lower one, cordon is respected,
 * `kubectl drain` evicts while honouring a PodDisruptionBudget, and the scheduler's
 * /debug/decisions endpoint explains a placement.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { jsonOf, sleep, until } from './helpers/poll.js';
import { hasKubectl } from './helpers/kubectl.js';
import { httpsRequest } from './helpers/https-get.js';

const VERSION = '1.33';

interface PodOpts {
  labels?: Record<string, string>;
  cpu?: string;
  tolerations?: unknown[];
  affinity?: unknown;
  nodeSelector?: Record<string, string>;
  priorityClassName?: string;
  topologySpreadConstraints?: unknown[];
  schedulerName?: string;
  node?: string;
}

const podJson = (name: string, o: PodOpts = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: o.labels ?? { app: name } },
    spec: {
      terminationGracePeriodSeconds: 0,
      ...(o.node && { nodeName: o.node }),
      ...(o.tolerations && { tolerations: o.tolerations }),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.nodeSelector && { nodeSelector: o.nodeSelector }),
      ...(o.priorityClassName && { priorityClassName: o.priorityClassName }),
      ...(o.topologySpreadConstraints && { topologySpreadConstraints: o.topologySpreadConstraints }),
      ...(o.schedulerName && { schedulerName: o.schedulerName }),
      containers: [{ name: 'app', image: 'busybox:1.36', ...(o.cpu && { resources: { requests: { cpu: o.cpu } } }) }],
    },
  });

/** the node the pod was bound to (waits for the binding) */
const placed = async (e: E2e, name: string): Promise<string | undefined> =>
  (await until(() => jsonOf(e, ['get', 'pod', name]), (p) => Boolean(p?.spec?.nodeName)))?.spec?.nodeName;

/** the PodScheduled=False message of a pending pod (waits for it) */
const unschedulableMessage = async (e: E2e, name: string): Promise<string | undefined> => {
  const p = await until(
    () => jsonOf(e, ['get', 'pod', name]),
    (p) => p?.status?.conditions?.some((c: any) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable'),
  );
  return p?.status?.conditions?.find((c: any) => c.type === 'PodScheduled')?.message;
};

const deleteAll = (e: E2e) => e.ok(['delete', 'pods', '--all', '--grace-period=0', '--force', '--wait=true']);

t.test('the scheduler with the real kubectl', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(300_000);
  // a second profile that packs pods instead of spreading them (--scheduler-config)
  const configDir = await mkdtemp(join(tmpdir(), 'k8ts-sched-config-'));
  t.teardown(() => rm(configDir, { recursive: true, force: true }));
  const schedulerConfig = join(configDir, 'scheduler.yaml');
  await writeFile(
    schedulerConfig,
    [
      'apiVersion: kubescheduler.config.k8s.io/v1',
      'kind: KubeSchedulerConfiguration',
      'profiles:',
      '  - schedulerName: default-scheduler',
      '  - schedulerName: bin-packer',
      '    plugins:',
      '      score:',
      '        disabled: [{ name: NodeResourcesBalancedAllocation }]',
      '    pluginConfig:',
      '      - name: NodeResourcesFit',
      '        args: { scoringStrategy: { type: MostAllocated } }',
      '',
    ].join('\n'),
  );
  const e = await e2eCluster(t, VERSION, {
    schedulerConfig,
    nodes: 3,
    runtime: 'simulated',
    kubelet: { leaseRenewIntervalMs: 500, nodeStatusUpdateFrequencyMs: 500, plegRelistIntervalMs: 100, podResyncIntervalMs: 2_000 },
    scheduler: { podInitialBackoffSeconds: 0.1, podMaxBackoffSeconds: 0.5 },
    controllers: {},
  });
  await until(
    () => jsonOf(e, ['get', 'nodes']),
    (l) => l?.items?.length === 3 && l.items.every((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')),
  );

  await t.test('pods spread across equal nodes', async (t) => {
    for (let i = 1; i <= 6; i++) await e.ok(['create', '-f', '-'], podJson(`spread-${i}`, { labels: { app: 'spread' }, cpu: '500m' }));
    const nodes = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => placed(e, `spread-${i}`)));
    const perNode = new Map<string, number>();
    for (const n of nodes) perNode.set(n ?? '?', (perNode.get(n ?? '?') ?? 0) + 1);
    t.same([...perNode.values()].sort(), [2, 2, 2], `two per node: ${JSON.stringify(Object.fromEntries(perNode))}`);
    const describe = await e.ok(['describe', 'pod', 'spread-1']);
    t.match(describe, /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/spread-1 to k8ts-node-\d/);
    await deleteAll(e);
  });

  await t.test('taints repel, tolerations admit', async (t) => {
    await e.ok(['taint', 'nodes', 'k8ts-node-1', 'dedicated=gpu:NoSchedule']);
    for (let i = 1; i <= 4; i++) await e.ok(['create', '-f', '-'], podJson(`plain-${i}`));
    for (let i = 1; i <= 4; i++) t.not(await placed(e, `plain-${i}`), 'k8ts-node-1', `plain-${i} avoids the tainted node`);
    await e.ok(
      ['create', '-f', '-'],
      podJson('gpu', { nodeSelector: { 'kubernetes.io/hostname': 'k8ts-node-1' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
    );
    t.equal(await placed(e, 'gpu'), 'k8ts-node-1', 'the tolerating pod lands there');
    await e.ok(['create', '-f', '-'], podJson('stubborn', { nodeSelector: { 'kubernetes.io/hostname': 'k8ts-node-1' } }));
    t.equal(
      await unschedulableMessage(e, 'stubborn'),
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    t.match(await e.ok(['describe', 'pod', 'stubborn']), /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}/);
    await e.ok(['taint', 'nodes', 'k8ts-node-1', 'dedicated-']);
    t.equal(await placed(e, 'stubborn'), 'k8ts-node-1', 'scheduled once the taint is gone');
    await deleteAll(e);
  });

  await t.test('required and preferred node affinity', async (t) => {
    await e.ok(['label', 'nodes', 'k8ts-node-2', 'disk=ssd']);
    await e.ok(['label', 'nodes', 'k8ts-node-3', 'zone-pref=yes']);
    await e.ok(
      ['create', '-f', '-'],
      podJson('needs-ssd', {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } },
      }),
    );
    t.equal(await placed(e, 'needs-ssd'), 'k8ts-node-2');
    await e.ok(
      ['create', '-f', '-'],
      podJson('likes-3', {
        affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'zone-pref', operator: 'Exists' }] } }] } },
      }),
    );
    t.equal(await placed(e, 'likes-3'), 'k8ts-node-3');
    await deleteAll(e);
  });

  await t.test('required pod anti-affinity: one per node, the fourth waits', async (t) => {
    const anti = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: 'kubernetes.io/hostname' }] },
    };
    for (let i = 1; i <= 4; i++) await e.ok(['create', '-f', '-'], podJson(`solo-${i}`, { labels: { app: 'solo' }, affinity: anti }));
    const nodes = [];
    for (let i = 1; i <= 3; i++) nodes.push(await placed(e, `solo-${i}`));
    t.same([...new Set(nodes)].sort(), ['k8ts-node-1', 'k8ts-node-2', 'k8ts-node-3'], 'one per node');
    t.equal(
      await unschedulableMessage(e, 'solo-4'),
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    );
    await deleteAll(e);
  });

  await t.test('topology spread with maxSkew 1', async (t) => {
    const spread = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'even' } } }];
    // a head start on node 1: spreading must fill the others first
    await e.ok(['create', '-f', '-'], podJson('even-0', { labels: { app: 'even' }, node: 'k8ts-node-1' }));
    for (let i = 1; i <= 5; i++) {
      await e.ok(['create', '-f', '-'], podJson(`even-${i}`, { labels: { app: 'even' }, topologySpreadConstraints: spread }));
      await placed(e, `even-${i}`);
    }
    const pods = await jsonOf(e, ['get', 'pods', '-l', 'app=even']);
    const counts = new Map<string, number>();
    for (const p of pods?.items ?? []) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
    t.same([...counts.values()].sort(), [2, 2, 2], `skew at most 1: ${JSON.stringify(Object.fromEntries(counts))}`);
    await deleteAll(e);
  });

  await t.test('cordon is respected', async (t) => {
    await e.ok(['cordon', 'k8ts-node-3']);
    for (let i = 1; i <= 4; i++) await e.ok(['create', '-f', '-'], podJson(`c-${i}`));
    for (let i = 1; i <= 4; i++) t.not(await placed(e, `c-${i}`), 'k8ts-node-3', `c-${i} avoids the cordoned node`);
    await e.ok(['create', '-f', '-'], podJson('c-pinned', { nodeSelector: { 'kubernetes.io/hostname': 'k8ts-node-3' } }));
    t.match(await unschedulableMessage(e, 'c-pinned'), /^0\/3 nodes are available: .*1 node\(s\) were unschedulable/);
    await e.ok(['uncordon', 'k8ts-node-3']);
    t.equal(await placed(e, 'c-pinned'), 'k8ts-node-3');
    await deleteAll(e);
  });

  await t.test('no room anywhere: FailedScheduling, then scheduled on a new node', async (t) => {
    await e.ok(['create', '-f', '-'], podJson('big', { cpu: '6' }));
    t.equal(
      await unschedulableMessage(e, 'big'),
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
    // a bigger node joins (a Node object only: the bench and this test need no kubelet for it)
    await e.ok(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'big-node', labels: { 'kubernetes.io/hostname': 'big-node' } } }));
    await e.ok([
      'patch',
      'node',
      'big-node',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          capacity: { cpu: '16', memory: '32Gi', pods: '110' },
          allocatable: { cpu: '16', memory: '32Gi', pods: '110' },
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
        },
      }),
    ]);
    t.equal(await placed(e, 'big'), 'big-node');
    await e.ok(['delete', 'pod', 'big', '--grace-period=0', '--force']);
    await e.ok(['delete', 'node', 'big-node']);
  });

  await t.test('a higher-priority pod preempts a lower one', async (t) => {
    await e.ok(['create', 'priorityclass', 'low', '--value=10']);
    await e.ok(['create', 'priorityclass', 'high', '--value=1000']);
    for (let i = 1; i <= 3; i++) await e.ok(['create', '-f', '-'], podJson(`low-${i}`, { cpu: '3', priorityClassName: 'low', labels: { app: 'low' } }));
    const lowNodes = await Promise.all([1, 2, 3].map((i) => placed(e, `low-${i}`)));
    t.same([...new Set(lowNodes)].length, 3, 'one low pod per node');
    await e.ok(['create', '-f', '-'], podJson('vip', { cpu: '2', priorityClassName: 'high' }));
    const vipNode = await placed(e, 'vip');
    t.ok(vipNode, `vip scheduled on ${vipNode}`);
    const lows = await jsonOf(e, ['get', 'pods', '-l', 'app=low']);
    t.equal(lows?.items.length, 2, 'exactly one victim');
    t.notOk(
      lows?.items.some((p: any) => p.spec.nodeName === vipNode),
      'the victim was the low pod on the vip node',
    );
    const events = await e.ok(['get', 'events', '--field-selector', 'reason=Preempted']);
    t.match(events, /Preempted by pod .* on node k8ts-node-\d/);
    await deleteAll(e);
  });

  await t.test('drain evicts and honours a PodDisruptionBudget', async (t) => {
    await e.ok(['create', '-f', '-'], podJson('db-1', { labels: { app: 'db' }, node: 'k8ts-node-2' }));
    await e.ok(['create', '-f', '-'], podJson('db-2', { labels: { app: 'db' }, node: 'k8ts-node-1' }));
    await e.ok(['wait', '--for=condition=Ready', 'pod/db-1', 'pod/db-2', '--timeout=30s']);
    await e.ok(['create', 'pdb', 'db', '--selector=app=db', '--min-available=1']);
    await until(() => jsonOf(e, ['get', 'pdb', 'db']), (p) => p?.status?.disruptionsAllowed === 1);
    const out = await e.ok(['drain', 'k8ts-node-2', '--force', '--ignore-daemonsets', '--timeout=30s']);
    t.match(out, /pod\/db-1 evicted/);
    t.match(out, /node\/k8ts-node-2 drained/);
    await until(() => e.kubectl(['get', 'pod', 'db-1']), (r) => r.code !== 0);
    t.match((await e.kubectl(['get', 'pod', 'db-1'])).stderr, /NotFound/, 'the evicted pod is gone from the node');
    t.match(await e.ok(['get', 'node', 'k8ts-node-2']), /SchedulingDisabled/);
    await until(() => jsonOf(e, ['get', 'pdb', 'db']), (p) => p?.status?.disruptionsAllowed === 0);
    const r = await e.kubectl(['drain', 'k8ts-node-1', '--force', '--ignore-daemonsets', '--timeout=3s']);
    t.not(r.code, 0, 'draining the last db pod fails');
    t.match(r.stderr + r.stdout, /Cannot evict pod as it would violate the pod's disruption budget/);
    t.equal((await jsonOf(e, ['get', 'pod', 'db-2']))?.metadata?.name, 'db-2', 'the budget kept db-2');
    await e.ok(['uncordon', 'k8ts-node-1', 'k8ts-node-2']);
    await e.ok(['delete', 'pdb', 'db']);
    await deleteAll(e);
  });

  await t.test('a second profile from --scheduler-config packs pods onto one node', async (t) => {
    for (let i = 1; i <= 4; i++) {
      await e.ok(['create', '-f', '-'], podJson(`packed-${i}`, { cpu: '500m', schedulerName: 'bin-packer' }));
      await placed(e, `packed-${i}`);
    }
    const pods = await jsonOf(e, ['get', 'pods']);
    const nodes = new Set((pods?.items ?? []).map((p: any) => p.spec.nodeName));
    t.equal(nodes.size, 1, `all four on one node: ${[...nodes].join(', ')}`);
    t.match(await e.ok(['describe', 'pod', 'packed-1']), /Normal\s+Scheduled\s+.*bin-packer\s+Successfully assigned/);
    await deleteAll(e);
  });

  await t.test('pods for another scheduler are left alone', async (t) => {
    await e.ok(['create', '-f', '-'], podJson('other', { schedulerName: 'someone-else' }));
    await sleep(500);
    const p = await jsonOf(e, ['get', 'pod', 'other']);
    t.notOk(p?.spec?.nodeName, 'not bound');
    t.notOk(p?.status?.conditions?.some((c: any) => c.type === 'PodScheduled'), 'no PodScheduled condition');
    await deleteAll(e);
  });

  await t.test('the decision endpoint explains a placement', async (t) => {
    await e.ok(['create', '-f', '-'], podJson('explained', { cpu: '100m' }));
    const node = await placed(e, 'explained');
    t.ok(e.cluster.schedulerUrl, 'the scheduler serves its port');
    const pki = e.cluster.pki.dir;
    const tls = { ca: await readFile(join(pki, 'ca.crt'), 'utf8'), cert: await readFile(join(pki, 'admin.crt'), 'utf8'), key: await readFile(join(pki, 'admin.key'), 'utf8') };
    const d = (await httpsRequest(`${e.cluster.schedulerUrl}/debug/decisions/default/explained`, tls)).json();
    t.equal(d.outcome, 'Scheduled');
    t.equal(d.node, node);
    t.equal(d.totalNodes, 3);
    t.equal(d.nodes[0].node, node, 'the chosen node first');
    t.ok(d.nodes[0].scores.NodeResourcesFit >= 0, 'per-plugin scores');
    const list = (await httpsRequest(`${e.cluster.schedulerUrl}/debug/decisions`, tls)).json();
    t.ok(list.decisions.some((x: any) => x.pod === 'default/explained'));
    await deleteAll(e);
  });
});
