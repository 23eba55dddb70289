/**
 * Real containers end to end: the real kubectl against `startCluster` with two nodes on
 * the runc runtime, images from a real registry (Debian's docker-registry on 127.0.0.1,
 * seeded with busybox images built by the test from /usr/bin/busybox).
 *
 * Covered, as a user sees it through kubectl: a Deployment of busybox httpd pods becomes
 * Ready and pods reach each other by pod IP across nodes; logs are the container's real
 * output; hostname is the pod name; a crashing container goes to CrashLoopBackOff; a
 * failing liveness probe restarts its container; a memory hog is OOMKilled; a Job runs to
 * completion; deletion runs preStop and kills a PID 1 that ignores SIGTERM after the grace
 * period; a missing tag shows ErrImagePull, then ImagePullBackOff; configMap and secret
 * volumes and env reach the container; an arm64-only image runs under qemu when binfmt is
 * set up (skipped with the reason otherwise). At the end, no trace of the cluster is left
 * on the host.
 *
 * Needs root, runc, conmon, the CNI plugins, docker-registry and busybox-static (.ci/run
 * installs them); skipped with the reason otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { buildBusyboxImage } from '../kubelet/images/testing/busybox-images.js';
import { pushImage } from '../kubelet/images/testing/push-image.js';
import { hostNames } from '../kubelet/runtime/runc/host-names.js';
import { assertNoTrace, snapshotHostTrace } from '../kubelet/runtime/runc/testing/host-trace.js';
import { runcHostProblems, seedBusyboxRegistry } from '../kubelet/runtime/runc/testing/runc-host.js';
import { startRegistry } from '../kubelet/images/testing/registry-harness.js';
import { e2eCluster, type E2e } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { jsonOf, until } from './helpers/poll.js';

const VERSION = '1.33';
const missing = [...runcHostProblems(), ...(hasKubectl(VERSION) ? [] : [`kubectl ${VERSION}`])];

t.setTimeout(600_000);
t.test('runc end to end', { skip: missing.length > 0 && `needs ${missing.join(', ')}` }, main);

async function main(t: Test): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'k8ts-runc-e2e-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const seeded = await seedBusyboxRegistry(join(work, 'seed'));
  t.teardown(() => seeded.stop());
  const { registry, seed, image } = seeded;

  // a pod CIDR of its own, so a parallel test cluster on this host never shares routes with it
  // 10.200-10.239: apart from the host tests' ranges (10.247, 10.249-10.251) and the bench's 10.254
  const podCIDR = `10.${200 + (process.pid % 40)}.0.0/16`;
  const e = await e2eCluster(t, VERSION, {
    nodes: 2,
    runtime: 'runc',
    podCIDR,
    scheduler: {},
    controllers: { leaderElection: false },
    kubelet: {
      leaseRenewIntervalMs: 500,
      nodeStatusUpdateFrequencyMs: 500,
      plegRelistIntervalMs: 200,
      podResyncIntervalMs: 1_000,
      crashLoopBackoffInitialMs: 500,
      crashLoopBackoffMaxMs: 2_000,
    },
    runc: { exitPollMs: 20 },
  });
  const dataDir = e.cluster.dataDir;

  await until(
    () => jsonOf(e, ['get', 'nodes']),
    (l) => l?.items?.length === 2 && l.items.every((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')),
  );

  const apply = (doc: unknown) => e.ok(['apply', '-f', '-'], JSON.stringify(doc));
  const pod = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...metadata },
    spec: { terminationGracePeriodSeconds: 1, ...spec },
  });
  const ctr = (command: string[], extra: Record<string, unknown> = {}) => ({ name: 'main', image, imagePullPolicy: 'IfNotPresent', command, ...extra });
  const podJson = (name: string) => jsonOf(e, ['get', 'pod', name]);
  const phaseIs = (phase: string) => (p: any) => p?.status?.phase === phase;
  const logsOf = async (name: string, extra: string[] = []) => (await e.kubectl(['logs', name, ...extra])).stdout;

  await t.test('a Deployment of httpd pods becomes Ready and pods reach each other by pod IP', async (t) => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            // one per node, so pod-to-pod traffic crosses nodes
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
            containers: [
              ctr(['sh', '-c', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -v -p 8080 -h /www'], {
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/index.html', port: 8080 }, periodSeconds: 1 },
              }),
            ],
          },
        },
      },
    });
    await e.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const pods = (await jsonOf(e, ['get', 'pods', '-l', 'app=web']))?.items ?? [];
    t.equal(pods.length, 2, 'two pods');
    t.equal(new Set(pods.map((p: any) => p.spec.nodeName)).size, 2, 'on two nodes');
    const [a, b] = pods;
    t.match(a.status.podIP, /^10\./, 'a pod IP from the pod CIDR');

    await apply(pod('client', { restartPolicy: 'Never', nodeName: a.spec.nodeName, containers: [ctr(['sh', '-c', `timeout 5 wget -qO- http://${b.status.podIP}:8080/index.html`])] }));
    const done = await until(() => podJson('client'), (p) => p?.status?.phase === 'Succeeded' || p?.status?.phase === 'Failed', 60_000);
    t.equal(done?.status?.phase, 'Succeeded', 'the client pod fetched the page');
    t.equal((await logsOf('client')).trim(), `hello from ${b.metadata.name}`, 'kubectl logs shows what the other pod served, and its hostname is its pod name');
    await e.ok(['delete', 'pod', 'client', '--wait=true']);
    await e.ok(['delete', 'deployment', 'web']);
  });

  await t.test('logs, hostname, env and configMap/secret volumes', async (t) => {
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { greeting: 'hi there', 'app.conf': 'a=1' } });
    await apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, stringData: { password: 's3cret' } });
    await apply(
      pod('show', {
        restartPolicy: 'Never',
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'sec', secret: { secretName: 'sec' } },
        ],
        containers: [
          ctr(['sh', '-c', 'echo "host=$(hostname)"; echo "greeting=$GREETING"; echo "pw=$PW"; echo "lit=$LIT"; echo "conf=$(cat /etc/cfg/app.conf)"; echo "secret=$(cat /etc/sec/password)"'], {
            env: [
              { name: 'LIT', value: 'literal' },
              { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting' } } },
              { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
            ],
            volumeMounts: [
              { name: 'cfg', mountPath: '/etc/cfg' },
              { name: 'sec', mountPath: '/etc/sec' },
            ],
          }),
        ],
      }),
    );
    const done = await until(() => podJson('show'), phaseIs('Succeeded'), 60_000);
    t.equal(done?.status?.phase, 'Succeeded');
    t.same((await logsOf('show')).trim().split('\n'), ['host=show', 'greeting=hi there', 'pw=s3cret', 'lit=literal', 'conf=a=1', 'secret=s3cret'], 'real output, in order');
    await e.ok(['delete', 'pod', 'show']);
  });

  await t.test('a crashing container goes to CrashLoopBackOff', async (t) => {
    await apply(pod('crash', { containers: [ctr(['sh', '-c', 'echo dying; exit 3'])] }));
    const p = await until(() => podJson('crash'), (p) => p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 60_000);
    const s = p?.status?.containerStatuses?.[0];
    t.equal(s?.state?.waiting?.reason, 'CrashLoopBackOff');
    t.equal(s?.lastState?.terminated?.exitCode, 3, 'last exit code 3');
    t.match(await logsOf('crash', ['--previous']), /dying/, 'logs --previous shows the crashed run');
    await e.ok(['delete', 'pod', 'crash']);
  });

  await t.test('a failing liveness probe restarts the container', async (t) => {
    await apply(
      pod('live', {
        containers: [ctr(['sh', '-c', 'touch /tmp/ok; sleep 2; rm /tmp/ok; sleep 3600'], { livenessProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1, failureThreshold: 1 } })],
      }),
    );
    const p = await until(() => podJson('live'), (p) => (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 60_000);
    t.ok((p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 'restarted');
    t.match(await e.ok(['describe', 'pod', 'live']), /Liveness probe failed/, 'an Unhealthy event');
    await e.ok(['delete', 'pod', 'live']);
  });

  await t.test('a memory hog is OOMKilled', async (t) => {
    await apply(
      pod('oom', {
        restartPolicy: 'Never',
        containers: [ctr(['sh', '-c', 'x=a; while true; do x=$x$x; done'], { resources: { limits: { memory: '16Mi' } } })],
      }),
    );
    const p = await until(() => podJson('oom'), phaseIs('Failed'), 60_000);
    const terminated = p?.status?.containerStatuses?.[0]?.state?.terminated;
    t.equal(terminated?.reason, 'OOMKilled');
    t.equal(terminated?.exitCode, 137);
    await e.ok(['delete', 'pod', 'oom']);
  });

  await t.test('a Job runs to completion', async (t) => {
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'count' },
      spec: { completions: 2, parallelism: 2, template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [ctr(['sh', '-c', 'echo counted'])] } } },
    });
    await e.ok(['wait', '--for=condition=Complete', 'job/count', '--timeout=60s']);
    t.match(await e.ok(['logs', 'job/count']), /counted/);
    await e.ok(['delete', 'job', 'count', '--cascade=foreground']);
  });

  await t.test('delete runs preStop and kills a PID 1 that ignores SIGTERM after the grace period', async (t) => {
    const marks = await mkdtemp(join(tmpdir(), 'k8ts-runc-prestop-'));
    t.teardown(() => rm(marks, { recursive: true, force: true }));
    await apply(
      pod(
        'stubborn',
        {
          terminationGracePeriodSeconds: 2,
          volumes: [{ name: 'marks', hostPath: { path: marks, type: 'Directory' } }],
          containers: [
            ctr(['sleep', '3600'], {
              volumeMounts: [{ name: 'marks', mountPath: '/marks' }],
              lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop > /marks/prestop'] } } },
            }),
          ],
        },
        {},
      ),
    );
    await until(() => podJson('stubborn'), phaseIs('Running'), 60_000);
    await e.ok(['delete', 'pod', 'stubborn', '--wait=true', '--timeout=60s']);
    t.equal((await readFile(join(marks, 'prestop'), 'utf8')).trim(), 'prestop', 'preStop ran in the container');
    t.match(await e.ok(['get', 'events', '--field-selector', 'involvedObject.name=stubborn']), /Killing/, 'a Killing event');
  });

  await t.test('a missing tag: ErrImagePull, then ImagePullBackOff', async (t) => {
    await apply(pod('nope', { containers: [{ name: 'main', image: `${registry.host}/busybox:no-such-tag`, command: ['true'] }] }));
    const seen = new Set<string>();
    await until(
      async () => {
        const reason = (await podJson('nope'))?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
        if (reason) seen.add(reason);
        return seen;
      },
      (s) => s.has('ImagePullBackOff'),
      60_000,
    );
    t.ok(seen.has('ImagePullBackOff'), 'ImagePullBackOff');
    t.match(await e.ok(['describe', 'pod', 'nope']), /Failed to pull image ".*no-such-tag".*not found/, 'the registry\'s answer in the event');
    await e.ok(['delete', 'pod', 'nope']);
  });

  await t.test('a private registry: imagePullSecrets supply the Basic credentials', async (t) => {
    const privateRegistry = await startRegistry({ auth: 'htpasswd', users: { puller: 'pull-me' } });
    t.teardown(() => privateRegistry.stop());
    await pushImage(seed, 'busybox', { host: privateRegistry.host, repository: 'private/busybox', tag: '1' }, { username: 'puller', password: 'pull-me' });
    const privateImage = `${privateRegistry.host}/private/busybox:1`;
    await e.ok(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${privateRegistry.host}`, '--docker-username=puller', '--docker-password=pull-me']);

    await apply(pod('anonymous', { restartPolicy: 'Never', containers: [{ name: 'main', image: privateImage, command: ['true'] }] }));
    await until(() => podJson('anonymous'), (p) => p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff', 60_000);
    t.match(await e.ok(['describe', 'pod', 'anonymous']), /Failed to pull image ".*private\/busybox:1".*401 Unauthorized/, 'without credentials the registry says 401');

    await apply(pod('authorized', { restartPolicy: 'Never', imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'main', image: privateImage, command: ['echo', 'pulled with a secret'] }] }));
    const done = await until(() => podJson('authorized'), phaseIs('Succeeded'), 60_000);
    t.equal(done?.status?.phase, 'Succeeded', 'with the pull secret the pod runs');
    t.equal((await logsOf('authorized')).trim(), 'pulled with a secret');
    await e.ok(['delete', 'pod', 'anonymous', 'authorized']);
  });

  // an arm64 busybox (e.g. from Debian's busybox-static:arm64) and qemu-user-static's binfmt entry
  const arm64Busybox = process.env.K8TS_ARM64_BUSYBOX ?? '';
  const binfmt = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
  const arm64Problem =
    process.arch !== 'x64'
      ? 'needs an amd64 host'
      : !existsSync(binfmt)
        ? `needs qemu-user-static's binfmt entry for aarch64 (${binfmt} is missing)`
        : !arm64Busybox || !existsSync(arm64Busybox)
          ? 'needs an arm64 busybox binary named by K8TS_ARM64_BUSYBOX'
          : undefined;
  await t.test('an arm64-only image runs on this amd64 host under qemu', { skip: arm64Problem ?? false }, async (t) => {
    await buildBusyboxImage(seed, { tag: 'busybox-arm64', arch: 'arm64', variant: 'v8', busybox: arm64Busybox });
    await pushImage(seed, 'busybox-arm64', { host: registry.host, repository: 'busybox-arm64', tag: '1' });
    await apply(pod('arm', { restartPolicy: 'Never', containers: [{ name: 'main', image: `${registry.host}/busybox-arm64:1`, command: ['uname', '-m'] }] }));
    const done = await until(() => podJson('arm'), phaseIs('Succeeded'), 60_000);
    t.equal(done?.status?.phase, 'Succeeded');
    t.equal((await logsOf('arm')).trim(), 'aarch64', 'uname -m inside the container');
    await e.ok(['delete', 'pod', 'arm']);
  });

  await t.test('stopping the cluster leaves nothing of it on the host', async (t) => {
    await e.cluster.stop();
    for (const node of ['k8ts-node-1', 'k8ts-node-2']) {
      const stateDir = join(dataDir, 'nodes', node, 'runtime');
      assertNoTrace(t, await snapshotHostTrace(hostNames(stateDir, e.cluster.clusterId, node), stateDir, { podCIDR }), node);
    }
  });
}

export type { E2e };
