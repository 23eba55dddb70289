/**
 * The node lifecycle and taint eviction controllers end to end, with the real kubectl on
 * a cluster of two in-process nodes plus a third kubelet this test starts itself (the
 * cluster object gives no handle to stop one of its own kubelets): cordon taints a node;
 * when the third kubelet stops, its node turns Ready=Unknown with kube's reason, gets the
 * unreachable NoSchedule and NoExecute taints, its pods are marked not ready, pods with a
 * short tolerationSeconds are evicted (DisruptionTarget, TaintManagerEviction event) and
 * their ReplicaSet replaces them on the live nodes, while a pod tolerating forever stays;
 * `kubectl drain` evicts a node's pods through pods/eviction.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { issueClientCert } from '../index.js';
import { createClient } from '../client/create-client.js';
import { startKubelet } from '../kubelet/kubelet.js';
import { createSimulatedRuntime } from '../kubelet/runtime/simulated/index.js';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, sleep, until } from './helpers/poll.js';

const VERSION = '1.33';
const EXTRA = 'k8ts-node-3';
// short, but with room for a loaded machine: a healthy node must never miss the grace period
const KUBELET = { leaseRenewIntervalMs: 400, leaseDurationSeconds: 5, nodeStatusUpdateFrequencyMs: 400, plegRelistIntervalMs: 200 };

const shortTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 },
];

const replicaSet = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      // a grace period, so evicted pods on the dead node stay Terminating (nobody confirms) and can be inspected
      spec: { terminationGracePeriodSeconds: 30, tolerations: shortTolerations, containers: [{ name: 'app', image: 'busybox:1.36' }] },
    },
  },
});

const barePod = (name: string, tolerations?: unknown[]) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { terminationGracePeriodSeconds: 0, ...(tolerations ? { tolerations } : {}), containers: [{ name: 'app', image: 'busybox:1.36' }] },
  });

const taintsOf = (node: Record<string, any> | undefined): string[] => (node?.spec?.taints ?? []).map((x: any) => `${x.key}:${x.effect}`).sort();
const readyOf = (obj: Record<string, any> | undefined) => obj?.status?.conditions?.find((c: any) => c.type === 'Ready');
const pods = async (e: E2e, selector: string): Promise<V1Pod[]> => ((await jsonOf(e, ['get', 'pods', '-l', selector]))?.items ?? []) as V1Pod[];
const nodeOf = (p: V1Pod) => p.spec?.nodeName ?? '';

/** a kubelet of our own, registered as k8ts-node-3, that we can stop */
async function startExtraKubelet(e: E2e) {
  const creds = await issueClientCert(e.cluster.pki, `system:node:${EXTRA}`, ['system:nodes']);
  const client = createClient({ server: e.cluster.url, ca: e.cluster.ca, cert: creds.cert, key: creds.key });
  const runtime = createSimulatedRuntime({ podCIDR: '10.244.200.0/24', nodeName: EXTRA });
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-extra-node-'));
  const kubelet = await startKubelet({
    nodeName: EXTRA,
    client,
    runtime,
    runtimeName: 'sim',
    dataDir,
    address: '127.0.0.1',
    // the API server's serving certificate (SAN 127.0.0.1) does for a kubelet nobody calls
    tls: { cert: e.cluster.pki.serving.cert, key: e.cluster.pki.serving.key, clientCA: e.cluster.ca },
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    podCIDR: '10.244.200.0/24',
    kubeletVersion: 'v1.33.0-k8ts',
    extraLabels: { 'k8ts.io/runtime': 'simulated' },
    settings: KUBELET,
    logger: pino({ level: 'silent' }),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await kubelet.stop();
  };
  return {
    stop,
    async cleanup() {
      await stop();
      await runtime.close();
      client.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

t.test('node lifecycle and taint eviction with the real kubectl', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(120_000);
  const e = await e2eCluster(t, VERSION, {
    nodes: 2,
    runtime: 'simulated',
    scheduler: {},
    kubelet: KUBELET,
    controllers: {
      leaderElection: false,
      only: ['node-lifecycle', 'taint-eviction-controller', 'replicaset'],
      nodeLifecycle: { nodeMonitorPeriodMs: 250, nodeMonitorGracePeriodMs: 5_000, nodeStartupGracePeriodMs: 5_000, evictionLimiterQPS: 10 },
    },
  });
  const extra = await startExtraKubelet(e);
  t.teardown(() => extra.cleanup());
  const allReady = await until(
    () => jsonOf(e, ['get', 'nodes']),
    (l) => l?.items?.length === 3 && l.items.every((n: any) => readyOf(n)?.status === 'True'),
  );
  t.equal(allReady?.items?.length, 3, 'three nodes, all Ready');

  // cordon: spec.unschedulable becomes the unschedulable NoSchedule taint (and keeps new pods off)
  await e.ok(['cordon', 'k8ts-node-1', 'k8ts-node-2']);
  const cordoned = await until(
    () => jsonOf(e, ['get', 'node', 'k8ts-node-1']),
    (n) => taintsOf(n).includes('node.kubernetes.io/unschedulable:NoSchedule'),
  );
  t.same(taintsOf(cordoned), ['node.kubernetes.io/unschedulable:NoSchedule'], 'cordon → node.kubernetes.io/unschedulable:NoSchedule');
  t.ok(cordoned?.spec?.taints?.[0]?.timeAdded, 'with timeAdded');

  // everything lands on node 3 while the others are cordoned
  await e.ok(['create', '-f', '-'], replicaSet);
  await e.ok(['create', '-f', '-'], barePod('forever', [{ operator: 'Exists', effect: 'NoExecute' }]));
  await e.ok(['create', '-f', '-'], barePod('patient'));
  const placedOn3 = await until(
    () => pods(e, 'app in (web,forever,patient)'),
    (ps) => ps.length === 4 && ps.every((p) => nodeOf(p) === EXTRA && readyOf(p)?.status === 'True'),
  );
  t.same(placedOn3.map(nodeOf), [EXTRA, EXTRA, EXTRA, EXTRA], 'four ready pods on k8ts-node-3');
  const patient = await jsonOf(e, ['get', 'pod', 'patient']);
  t.same(
    patient?.spec?.tolerations,
    [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    'DefaultTolerationSeconds added the 300 s tolerations',
  );
  await e.ok(['uncordon', 'k8ts-node-1', 'k8ts-node-2']);
  const uncordoned = await until(
    () => jsonOf(e, ['get', 'node', 'k8ts-node-2']),
    (n) => taintsOf(n).length === 0,
  );
  t.same(taintsOf(uncordoned), [], 'uncordon removes the taint');

  // steady state: a healthy node is not written to
  const before = (await jsonOf(e, ['get', 'node', 'k8ts-node-2']))?.metadata?.resourceVersion;
  await sleep(1_000);
  t.equal((await jsonOf(e, ['get', 'node', 'k8ts-node-2']))?.metadata?.resourceVersion, before, 'no writes to a healthy node');

  // the third kubelet stops: no more Lease renewals, no status
  await extra.stop();
  const dead = await until(
    () => jsonOf(e, ['get', 'node', EXTRA]),
    (n) => readyOf(n)?.status === 'Unknown' && taintsOf(n).length === 2,
    30_000,
  );
  t.match(readyOf(dead), { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }, 'Ready=Unknown with kube\'s reason');
  t.same(
    dead?.status?.conditions?.filter((c: any) => c.status === 'Unknown').map((c: any) => c.type).sort(),
    ['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready'],
  );
  t.same(taintsOf(dead), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'], 'unreachable NoSchedule and NoExecute taints');
  t.ok(dead?.spec?.taints?.every((x: any) => x.timeAdded), 'both with timeAdded');
  t.match(await e.ok(['get', 'nodes']), new RegExp(`${EXTRA}\\s+NotReady`), 'kubectl shows NotReady');

  // the pods that tolerate for 1 s are evicted; their ReplicaSet replaces them on the live nodes
  const moved = await until(
    () => pods(e, 'app=web'),
    (ps) => ps.filter((p) => !p.metadata?.deletionTimestamp && nodeOf(p) !== EXTRA && readyOf(p)?.status === 'True').length === 2 && ps.filter((p) => p.metadata?.deletionTimestamp).length === 2,
    30_000,
  );
  const evicted = moved.filter((p) => p.metadata?.deletionTimestamp);
  t.equal(evicted.length, 2, 'both web pods on the dead node were deleted (they stay Terminating: no kubelet confirms)');
  for (const p of evicted) {
    t.match(p.status?.conditions?.find((c) => c.type === 'DisruptionTarget'), { status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }, `${p.metadata?.name}: DisruptionTarget`);
  }
  t.same(moved.filter((p) => !p.metadata?.deletionTimestamp).map(nodeOf).filter((n) => n === EXTRA), [], 'replacements run on the live nodes');
  const events = await e.ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
  for (const p of evicted) t.match(events, `Marking for deletion Pod default/${p.metadata?.name}`);

  // the pod tolerating forever stays, marked not ready; the 300 s pod is still there too
  const forever = await jsonOf(e, ['get', 'pod', 'forever']);
  t.notOk(forever?.metadata?.deletionTimestamp, 'a pod tolerating forever stays');
  t.equal(readyOf(forever)?.status, 'False', 'its Ready condition was turned False (MarkPodsNotReady)');
  t.notOk((await jsonOf(e, ['get', 'pod', 'patient']))?.metadata?.deletionTimestamp, 'the 300 s pod is not evicted yet');
  const nodeEvents = await e.ok(['get', 'events', '--field-selector', `involvedObject.name=${EXTRA}`, '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
  t.match(nodeEvents, 'NodeNotReady');

  // drain a live node: its pods are evicted and the ReplicaSet puts them on the other one
  const onNode1 = (await pods(e, 'app=web')).filter((p) => nodeOf(p) === 'k8ts-node-1' && !p.metadata?.deletionTimestamp);
  await e.ok(['drain', 'k8ts-node-1', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=20s']);
  const drained = await until(
    () => pods(e, 'app=web'),
    (ps) => ps.filter((p) => !p.metadata?.deletionTimestamp && nodeOf(p) === 'k8ts-node-2' && readyOf(p)?.status === 'True').length === 2,
    30_000,
  );
  t.same(drained.filter((p) => nodeOf(p) === 'k8ts-node-1'), [], `drain evicted ${onNode1.length} pod(s) from k8ts-node-1`);
  t.same(drained.filter((p) => !p.metadata?.deletionTimestamp).map(nodeOf), ['k8ts-node-2', 'k8ts-node-2'], 'both web pods now on k8ts-node-2');
  t.same(taintsOf(await jsonOf(e, ['get', 'node', 'k8ts-node-1'])), ['node.kubernetes.io/unschedulable:NoSchedule'], 'the drained node is cordoned and tainted');
});
