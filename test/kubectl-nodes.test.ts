/**
 * Nodes and pods end to end with the real kubectl on `k8ts up --nodes 2 --runtime
 * simulated` (in-process, short kubelet timings): nodes register Ready and their leases
 * renew; pods with spec.nodeName run without a scheduler, report status and events,
 * print logs (also followed), crash-loop with growing backoff, restart on a failing
 * liveness probe, complete, and terminate within their grace period.
 */
import { spawn } from 'node:child_process';
import t from 'tap';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { jsonOf, sleep, until } from './helpers/poll.js';
import { hasKubectl, kubectlPath } from './helpers/kubectl.js';

const VERSION = '1.33';

const pod = (name: string, opts: { node?: string; annotations?: Record<string, string>; restartPolicy?: string; grace?: number; container?: Record<string, unknown> } = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, annotations: opts.annotations ?? {} },
    spec: {
      nodeName: opts.node ?? 'k8ts-node-1',
      restartPolicy: opts.restartPolicy ?? 'Always',
      ...(opts.grace !== undefined && { terminationGracePeriodSeconds: opts.grace }),
      containers: [{ name: 'app', image: 'busybox:1.36', ...opts.container }],
    },
  });

t.test('nodes and pods with the real kubectl', { skip: !hasKubectl(VERSION) && `kubectl ${VERSION} is not installed` }, async (t) => {
  t.setTimeout(300_000);
  const e = await e2eCluster(t, VERSION, {
    nodes: 2,
    runtime: 'simulated',
    kubelet: {
      leaseRenewIntervalMs: 200,
      nodeStatusUpdateFrequencyMs: 200,
      plegRelistIntervalMs: 100,
      crashLoopBackoffInitialMs: 400,
      crashLoopBackoffMaxMs: 3_200,
      podResyncIntervalMs: 2_000,
    },
  });

  await t.test('nodes register Ready with their labels, and leases renew', async (t) => {
    const nodes = await until(
      () => jsonOf(e, ['get', 'nodes']),
      (l) => l?.items?.length === 2 && l.items.every((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')),
    );
    t.same(nodes?.items.map((n: any) => n.metadata.name).sort(), ['k8ts-node-1', 'k8ts-node-2']);
    const node = nodes?.items[0];
    t.equal(node.metadata.labels['kubernetes.io/hostname'], node.metadata.name);
    t.match(node.metadata.labels['kubernetes.io/arch'], /^(amd64|arm64)$/);
    t.equal(node.status.capacity.pods, '110');
    t.match(node.status.nodeInfo.containerRuntimeVersion, /simulated/);
    t.ok(node.status.daemonEndpoints.kubeletEndpoint.Port > 0, 'kubelet endpoint');
    t.match(node.spec.podCIDR, /^10\.244\.\d+\.0\/24$/);
    const table = await e.ok(['get', 'nodes']);
    t.match(table, /k8ts-node-1\s+Ready/);

    const renewTime = async () => (await jsonOf(e, ['get', 'lease', '-n', 'kube-node-lease', 'k8ts-node-1']))?.spec?.renewTime as string | undefined;
    const first = await until(renewTime, (v) => v !== undefined);
    const later = await until(renewTime, (v) => v !== first, 10_000);
    t.not(later, first, `the lease renews (${first} -> ${later})`);
  });

  await t.test('a pod with spec.nodeName runs, becomes Ready and logs', async (t) => {
    await e.ok(['create', '-f', '-'], pod('web', { node: 'k8ts-node-2', annotations: { 'sim.k8ts.io/logs': 'hello from web\nsecond line' } }));
    await e.ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=30s']);
    const p = await jsonOf(e, ['get', 'pod', 'web']);
    t.equal(p?.status.phase, 'Running');
    t.match(p?.status.podIP, /^10\.244\.\d+\.\d+$/);
    t.equal(p?.status.hostIP, '127.0.0.1');
    t.equal(p?.status.qosClass, 'BestEffort');
    const cs = p?.status.containerStatuses[0];
    t.match(cs, { name: 'app', ready: true, started: true, restartCount: 0, state: { running: {} } });
    t.match(cs.containerID, /^\w+:\/\//);
    t.match(cs.imageID, /sha256:/);
    t.same(
      p?.status.conditions.filter((c: any) => c.status === 'True').map((c: any) => c.type).sort(),
      ['ContainersReady', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled', 'Ready'],
    );

    t.equal(await e.ok(['logs', 'web']), 'hello from web\nsecond line\n');
    t.equal(await e.ok(['logs', 'web', '--tail=1']), 'second line\n');
    t.match(await e.ok(['logs', 'web', '--timestamps']), /^\d{4}-\d\d-\d\dT[\d:.]+Z hello from web\n/);
    t.match(await e.fails(['logs', 'web', '-c', 'nope']), /container nope is not valid for pod web/);
    t.match(await e.fails(['logs', 'web', '--previous']), /previous terminated container "app" in pod "web" not found/);

    const describe = await e.ok(['describe', 'pod', 'web']);
    for (const reason of ['Pulling', 'Pulled', 'Created', 'Started']) t.match(describe, new RegExp(`Normal\\s+${reason}\\s`), `event ${reason}`);
  });

  await t.test('kubectl logs -f streams until the container exits', async (t) => {
    // runs long enough that kubectl (started after `wait`, slow on a loaded machine) follows it live
    await e.ok(['create', '-f', '-'], pod('ticker', { restartPolicy: 'Never', annotations: { 'sim.k8ts.io/log-every-ms': '100', 'sim.k8ts.io/run-ms': '5000' } }));
    await e.ok(['wait', '--for=condition=Ready', 'pod/ticker', '--timeout=30s']);
    const child = spawn(kubectlPath(VERSION), ['--kubeconfig', e.cluster.kubeconfigPath, 'logs', '-f', 'ticker'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Array<{ at: number; text: string }> = [];
    child.stdout.setEncoding('utf8').on('data', (text: string) => chunks.push({ at: Date.now(), text }));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    t.equal(code, 0, 'kubectl logs -f ends when the container exits');
    const lines = chunks.map((c) => c.text).join('').split('\n').filter(Boolean);
    t.ok(lines.length >= 5, `several lines (${lines.length})`);
    t.ok(chunks.length >= 2, `arrived in several chunks over time (${chunks.length})`);
  });

  await t.test('a crashing container goes to CrashLoopBackOff with growing backoff', async (t) => {
    await e.ok(['create', '-f', '-'], pod('crasher', { annotations: { 'sim.k8ts.io/run-ms': '50', 'sim.k8ts.io/exit-code': '3' } }));
    const messages = new Set<string>();
    const p = await until(
      () => jsonOf(e, ['get', 'pod', 'crasher']),
      (p) => {
        const waiting = p?.status?.containerStatuses?.[0]?.state?.waiting;
        if (waiting?.reason === 'CrashLoopBackOff') messages.add(waiting.message);
        return (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3 && messages.size >= 2;
      },
      60_000,
    );
    const cs = p?.status.containerStatuses[0];
    t.ok(cs.restartCount >= 3, `restarted ${cs.restartCount} times`);
    t.match(cs.lastState, { terminated: { exitCode: 3, reason: 'Error' } });
    const delays = [...messages].map((m) => /back-off (\S+) restarting failed container=app pod=crasher_default/.exec(m)?.[1]);
    // Go durations as the kubelet prints them: 400ms, 800ms, 1.6s, 3.2s (polling may miss one)
    const ms = delays.map((d) => (d?.endsWith('ms') ? Number(d.slice(0, -2)) : /^[\d.]+s$/.test(d ?? '') ? Number(d!.slice(0, -1)) * 1000 : NaN));
    t.ok(ms.every((v) => [400, 800, 1600, 3200].includes(v)), `delays on the doubling ladder: ${delays.join(', ')}`);
    t.ok(Math.max(...ms) >= 2 * Math.min(...ms), `backoff grows: ${delays.join(', ')}`);
    const events = await e.ok(['get', 'events', '--field-selector', 'involvedObject.name=crasher,reason=BackOff']);
    t.match(events, /Back-off restarting failed container app in pod crasher_default/);
  });

  await t.test('a failing liveness probe restarts the container', async (t) => {
    await e.ok(
      ['create', '-f', '-'],
      pod('unhealthy', {
        annotations: { 'sim.k8ts.io/probe': 'fail-after-ms=300' },
        container: { livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 1 } },
      }),
    );
    const p = await until(
      () => jsonOf(e, ['get', 'pod', 'unhealthy']),
      (p) => (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
    );
    t.ok(p?.status.containerStatuses[0].restartCount >= 1, 'restarted');
    const describe = await e.ok(['describe', 'pod', 'unhealthy']);
    t.match(describe, /Warning\s+Unhealthy\s.*Liveness probe failed/);
    t.match(describe, /Normal\s+Killing\s.*Container app failed liveness probe, will be restarted/);
  });

  await t.test('a pod whose container exits 0 with restartPolicy Never succeeds', async (t) => {
    await e.ok(['create', '-f', '-'], pod('job-like', { restartPolicy: 'Never', annotations: { 'sim.k8ts.io/run-ms': '100' } }));
    await e.ok(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/job-like', '--timeout=30s']);
    const p = await jsonOf(e, ['get', 'pod', 'job-like']);
    t.match(p?.status.containerStatuses[0].state, { terminated: { exitCode: 0, reason: 'Completed' } });
    t.match(await e.ok(['get', 'pod', 'job-like']), /job-like\s+0\/1\s+Completed\s+0/);
  });

  await t.test('kubectl delete pod honours the grace period', async (t) => {
    await e.ok(['create', '-f', '-'], pod('slow-stop', { grace: 5, annotations: { 'sim.k8ts.io/termination-ms': '1500' } }));
    await e.ok(['wait', '--for=condition=Ready', 'pod/slow-stop', '--timeout=30s']);
    await e.ok(['delete', 'pod', 'slow-stop', '--wait=false']);
    const terminating = await jsonOf(e, ['get', 'pod', 'slow-stop']);
    t.ok(terminating?.metadata.deletionTimestamp, 'still there, terminating');
    t.equal(terminating?.metadata.deletionGracePeriodSeconds, 5);
    await e.ok(['wait', '--for=delete', 'pod/slow-stop', '--timeout=30s']);
    const events = await e.ok(['get', 'events', '--field-selector', 'involvedObject.name=slow-stop,reason=Killing']);
    t.match(events, /Stopping container app/);

    await e.ok(['delete', 'pod', 'web', '--grace-period=0', '--force']);
    t.equal((await e.kubectl(['get', 'pod', 'web'])).code, 1, 'force-deleted at once');
  });
});
