/**
 * Clients that vanish mid-stream must cost nothing afterwards: 200 sessions — exec (over
 * WebSocket, and over SPDY as kubectl 1.27 speaks it) and port-forward (SPDY in a
 * WebSocket, and plain SPDY) — are opened with the real kubectl and dropped abruptly
 * (SIGKILL: no close frame, no GOAWAY), some mid-transfer. Afterwards the kubelet holds
 * no streaming connection, and this process (the whole cluster runs in it) holds no
 * more file descriptors or child processes than before.
 *
 * Needs root, runc, conmon, the CNI plugins, docker-registry and busybox-static; skipped
 * with the reason otherwise.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runcHostProblems, seedBusyboxRegistry } from '../kubelet/runtime/runc/testing/runc-host.js';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl } from './helpers/kubectl.js';
import { startKubectlProcess, type KubectlProcess } from './helpers/kubectl-process.js';
import { jsonOf, sleep, until } from './helpers/poll.js';

const missing = [...runcHostProblems(), ...['1.27', '1.33'].filter((v) => !hasKubectl(v)).map((v) => `kubectl ${v}`)];
const SESSIONS = 200;
const AT_ONCE = 10;

t.setTimeout(600_000);
t.test('200 streaming sessions dropped abruptly leak nothing', { skip: missing.length > 0 && `needs ${missing.join(', ')}` }, main);

async function openFds(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

/** this process's direct children (runc exec, conmon's launcher, …) */
async function childProcesses(): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // the ppid is the 2nd field after the parenthesised command name
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === process.pid) out.push(Number(entry));
  }
  return out;
}

async function main(t: Test): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'k8ts-streaming-leak-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const seeded = await seedBusyboxRegistry(join(work, 'seed'));
  t.teardown(() => seeded.stop());
  // 10.242: apart from every other test's pod CIDR on this host
  const e = await e2eCluster(t, '1.33', {
    nodes: 1,
    runtime: 'runc',
    podCIDR: '10.242.0.0/16',
    scheduler: {},
    controllers: { leaderElection: false },
    kubelet: { leaseRenewIntervalMs: 500, nodeStatusUpdateFrequencyMs: 500, plegRelistIntervalMs: 200 },
    runc: { exitPollMs: 20 },
  });
  const kubeconfigPath = e.cluster.kubeconfigPath;
  const nodeName = (await until(() => jsonOf(e, ['get', 'nodes']), (l) => l?.items?.length === 1))?.items?.[0]?.metadata?.name as string;
  const image = seeded.image;
  await e.ok(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'target' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'mkdir -p /www && head -c 4000000 /dev/zero > /www/big && exec httpd -f -p 8080 -h /www'] }],
    },
  }));
  await until(() => jsonOf(e, ['get', 'pod', 'target']), (p) => p?.status?.containerStatuses?.[0]?.ready === true, 90_000);
  const openStreams = async () => Number((await e.ok(['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/metrics`])).match(/^k8ts_kubelet_streaming_connections_open (\d+)$/m)?.[1] ?? NaN);

  // warm up every path once, so lazily made things (agents, caches) are in the baseline
  await e.ok(['exec', 'target', '--', 'true']);
  await sleep(1000);
  const baseFds = await openFds();
  const baseChildren = (await childProcesses()).length;

  const kinds = [
    { version: '1.33', args: ['exec', '-i', 'target', '--', 'sh', '-c', 'echo ready; exec sleep 1000'], ready: /ready/ },
    { version: '1.27', args: ['exec', '-i', 'target', '--', 'sh', '-c', 'echo ready; exec sleep 1000'], ready: /ready/ },
    { version: '1.33', args: ['port-forward', 'pod/target', ':8080'], ready: /Forwarding from 127\.0\.0\.1:(\d+)/ },
    { version: '1.27', args: ['port-forward', 'pod/target', ':8080'], ready: /Forwarding from 127\.0\.0\.1:(\d+)/ },
  ];
  let opened = 0;
  for (let batch = 0; batch < SESSIONS / AT_ONCE; batch++) {
    const procs: KubectlProcess[] = [];
    const downloads: Socket[] = [];
    await Promise.all(
      Array.from({ length: AT_ONCE }, async (_, i) => {
        const kind = kinds[(batch * AT_ONCE + i) % kinds.length]!;
        const p = await startKubectlProcess({ version: kind.version, kubeconfigPath, args: kind.args });
        procs.push(p);
        const m = await p.waitFor(kind.ready, 60_000);
        if (m[1]) {
          // start a big download and leave it mid-transfer
          const socket = connect(Number(m[1]), '127.0.0.1');
          downloads.push(socket);
          socket.on('error', () => {});
          socket.write('GET /big HTTP/1.0\r\n\r\n');
          await new Promise((resolve) => socket.once('data', resolve));
          socket.pause();
        }
        opened++;
      }),
    );
    // abrupt: SIGKILL, no goodbye on any protocol
    for (const p of procs) if (p.child.pid) process.kill(p.child.pid, 'SIGKILL');
    await Promise.all(procs.map((p) => p.stop()));
    for (const socket of downloads) socket.destroy();
  }
  t.equal(opened, SESSIONS, `${SESSIONS} sessions were opened before being dropped`);

  const streams = await until(openStreams, (n) => n === 0, 60_000);
  t.equal(streams, 0, 'the kubelet holds no streaming connection');
  const fds = await until(openFds, (n) => n <= baseFds, 60_000);
  t.ok(fds <= baseFds, `file descriptors: ${fds} now, ${baseFds} before`);
  const children = await until(async () => (await childProcesses()).length, (n) => n <= baseChildren, 60_000);
  t.ok(children <= baseChildren, `child processes: ${children} now, ${baseChildren} before`);
  const listed = (await e.ok(['exec', 'target', '--', 'ps', '-o', 'comm'])).split('\n').filter((l) => l.trim() === 'sleep');
  t.equal(listed.length, 0, 'no exec\'d process is left in the container');
}
