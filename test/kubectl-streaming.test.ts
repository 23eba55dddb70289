/**
 * Streaming end to end on real containers: the real kubectl 1.27, 1.29, 1.30, 1.31 and
 * 1.33 against `startCluster` with a runc node — logs -f, exec (output, exit codes, piped
 * stdin, a terminal driven through util-linux `script`, resized with stty as a window
 * manager would), attach, cp both ways, and
 * port-forward of two ports (50 sequential and 10 concurrent HTTP requests to busybox httpd).
 *
 * kubectl falls back silently from WebSocket to SPDY when an upgrade fails, so after each
 * version the test reads the kubelet's streaming counters (its /metrics, through the API
 * server's nodes/proxy) and checks the path that version must take: exec over SPDY v4 on
 * 1.27–1.29 and WebSocket v5 from 1.30; port-forward over plain SPDY up to 1.30 and SPDY
 * tunnelled in a WebSocket from 1.31.
 *
 * Needs root, runc, conmon, the CNI plugins, docker-registry, busybox-static and the five
 * kubectl versions; skipped with the reason otherwise.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runcHostProblems, seedBusyboxRegistry } from '../kubelet/runtime/runc/testing/runc-host.js';
import { assertNoTrace, snapshotHostTrace } from '../kubelet/runtime/runc/testing/host-trace.js';
import { hostNames } from '../kubelet/runtime/runc/host-names.js';
import { e2eCluster } from './helpers/e2e.js';
import { hasKubectl, kubectlFor } from './helpers/kubectl.js';
import { startKubectlProcess } from './helpers/kubectl-process.js';
import { jsonOf, until } from './helpers/poll.js';

const VERSIONS = ['1.27', '1.29', '1.30', '1.31', '1.33'];
const missing = [...runcHostProblems(), ...VERSIONS.filter((v) => !hasKubectl(v)).map((v) => `kubectl ${v}`), ...(process.platform === 'linux' ? [] : ['linux'])];

t.setTimeout(900_000);
t.test('kubectl streaming on runc', { skip: missing.length > 0 && `needs ${missing.join(', ')}` }, main);

/** GET http://127.0.0.1:port/path → body */
function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.end();
  });
}

const execFileAsync = promisify(execFile);

/** the terminal of `parent`'s child (kubectl under `script`): /dev/pts/N */
async function ttyOfChildOf(parent: number): Promise<string> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) return readlink(`/proc/${entry}/fd/0`);
  }
  throw new Error(`no child of ${parent}`);
}

/** the kubelet's streaming counters: "kind transport protocol" → count */
function parseCounters(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^k8ts_kubelet_streaming_connections_total\{kind="([^"]+)",transport="([^"]+)",protocol="([^"]+)"\} (\d+)$/gm)) {
    counts.set(`${m[1]} ${m[2]} ${m[3]}`, Number(m[4]));
  }
  return counts;
}

function delta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of after) {
    const d = n - (before.get(key) ?? 0);
    if (d > 0) out[key] = d;
  }
  return out;
}

async function main(t: Test): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'k8ts-streaming-e2e-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const seeded = await seedBusyboxRegistry(join(work, 'seed'));
  t.teardown(() => seeded.stop());
  const image = seeded.image;

  // 10.241: apart from every other test's pod CIDR on this host
  const e = await e2eCluster(t, '1.33', {
    nodes: 1,
    runtime: 'runc',
    podCIDR: '10.241.0.0/16',
    scheduler: {},
    controllers: { leaderElection: false },
    kubelet: { leaseRenewIntervalMs: 500, nodeStatusUpdateFrequencyMs: 500, plegRelistIntervalMs: 200, podResyncIntervalMs: 1_000 },
    runc: { exitPollMs: 20 },
  });
  const kubeconfigPath = e.cluster.kubeconfigPath;
  const nodeName = (await until(() => jsonOf(e, ['get', 'nodes']), (l) => l?.items?.length === 1))?.items?.[0]?.metadata?.name as string;

  const apply = (doc: unknown) => e.ok(['apply', '-f', '-'], JSON.stringify(doc));
  const ctr = (command: string[], extra: Record<string, unknown> = {}) => ({ name: 'main', image, imagePullPolicy: 'IfNotPresent', command, ...extra });
  const pod = (name: string, containers: unknown[], extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { terminationGracePeriodSeconds: 1, containers, ...extra },
  });
  const running = (name: string) => until(() => jsonOf(e, ['get', 'pod', name]), (p) => p?.status?.phase === 'Running' && p.status.containerStatuses?.every((c: any) => c.ready), 90_000);
  const counters = async () => parseCounters(await e.ok(['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/metrics`]));

  await apply(pod('box', [ctr(['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'])]));
  await apply(
    // two ports: busybox httpd without -f goes to the background
    pod('web', [ctr(['sh', '-c', 'mkdir -p /www && echo "hello from web" > /www/index.html && httpd -p 8081 -h /www && exec httpd -f -p 8080 -h /www'], { ports: [{ containerPort: 8080 }, { containerPort: 8081 }] })]),
  );
  // every version's own pods up front, so their start-ups overlap instead of adding up
  for (const version of VERSIONS) {
    const tag = version.replace('.', '');
    await apply(pod(`logs-${tag}`, [ctr(['sh', '-c', 'echo first; while [ ! -e /tmp/go ]; do sleep 0.2; done; echo second'])], { restartPolicy: 'Never' }));
    await apply(pod(`reader-${tag}`, [ctr(['sh'], { stdin: true, stdinOnce: true })], { restartPolicy: 'Never' }));
  }
  t.equal((await running('box'))?.status?.phase, 'Running', 'the exec target runs');
  t.equal((await running('web'))?.status?.phase, 'Running', 'the port-forward target runs');

  for (const version of VERSIONS) {
    await t.test(`kubectl ${version}`, async (t) => {
      const { kubectl, cleanup } = await kubectlFor(version, kubeconfigPath);
      t.teardown(cleanup);
      const tag = version.replace('.', '');
      const before = await counters();

      // logs -f: sees a line written while it follows, and ends when the container ends
      await running(`logs-${tag}`);
      const follow = await startKubectlProcess({ version, kubeconfigPath, args: ['logs', '-f', `logs-${tag}`] });
      t.teardown(() => follow.stop());
      await follow.waitFor(/first\n/);
      t.notMatch(follow.output(), /second/, 'the second line is not written yet');
      t.equal((await kubectl(['exec', `logs-${tag}`, '--', 'touch', '/tmp/go'])).code, 0, 'exec lets the container go on');
      t.equal(await follow.exited(30_000), 0, 'logs -f ends with the container');
      t.equal(follow.output(), 'first\nsecond\n', 'logs -f saw both lines, live');

      // exec: output, stderr, exit codes
      const r = await kubectl(['exec', 'box', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      t.equal(r.stdout, 'out\n', 'exec stdout');
      t.match(r.stderr, /err\n/, 'exec stderr');
      t.match(r.stderr, /command terminated with exit code 3/, 'kubectl reports the exit code');
      t.equal(r.code, 3, 'kubectl exits with the command exit code');
      t.equal((await kubectl(['exec', 'box', '--', 'true'])).code, 0, 'exit 0');
      const noSuch = await kubectl(['exec', 'box', '--', '/no/such/binary']);
      t.not(noSuch.code, 0, 'a missing binary fails');

      // exec -i: piped stdin reaches the command, and its EOF ends it
      const piped = await kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'cat; echo done'], { stdin: 'alpha\nbeta\n' });
      t.equal(piped.stdout, 'alpha\nbeta\ndone\n', 'exec -i with piped stdin');
      t.equal(piped.code, 0);

      // exec -it on a pseudo-terminal: a prompt, echo, a command, a resize-aware shell, exit code
      const term = await startKubectlProcess({ version, kubeconfigPath, args: ['exec', '-it', 'box', '--', 'sh'], terminal: true });
      t.teardown(() => term.stop());
      // busybox ash prints its prompt, then asks the terminal where the cursor is (ESC [6n)
      await term.waitFor(/\/ # /);
      term.write('echo $((6*7))\r');
      // \r+\n: kubectl's own terminal may still translate newlines (ONLCR) when output starts
      await term.waitFor(/\r+\n42\r+\n/);
      // resize kubectl's terminal as a window manager would (stty on its tty sends SIGWINCH):
      // kubectl sends the new size, and the container's terminal takes it
      const tty = await ttyOfChildOf(term.child.pid!);
      await execFileAsync('stty', ['-F', tty, 'rows', '33', 'cols', '111']);
      // the resize travels asynchronously: ask again until the shell sees it
      let resized = false;
      for (let i = 0; i < 20 && !resized; i++) {
        term.write('stty size\r');
        resized = await term.waitFor(/\r+\n33 111\r+\n/, 1_000).then(() => true, () => false);
      }
      t.ok(resized, 'exec -it: a resize of kubectl\'s terminal reaches the container\'s terminal');
      term.write('sleep 100\r');
      await new Promise((r) => setTimeout(r, 300));
      term.write('\x03');
      await term.waitFor(/\^C/);
      term.write('exit 5\r');
      t.equal(await term.exited(30_000), 5, 'exec -it: the shell exit code reaches kubectl');
      t.match(term.output(), /echo \$\(\(6\*7\)\)/, 'the terminal echoes what is typed');

      // attach to a container whose main process reads stdin
      await running(`reader-${tag}`);
      const attached = await kubectl(['attach', '-i', `reader-${tag}`], { stdin: 'echo attached-$((40+2))\nexit 0\n', timeoutMs: 60_000 });
      t.match(attached.stdout, /attached-42/, 'attach: the main process got our stdin, we got its stdout');

      // cp a directory in and out
      const local = join(work, `cp-${tag}`);
      await mkdir(join(local, 'in', 'sub'), { recursive: true });
      await writeFile(join(local, 'in', 'a.txt'), 'A file\n');
      await writeFile(join(local, 'in', 'sub', 'b.txt'), 'B file\n'.repeat(1000));
      t.equal((await kubectl(['cp', join(local, 'in'), `box:/tmp/cp-${tag}`])).code, 0, 'cp into the pod');
      t.equal((await kubectl(['exec', 'box', '--', 'cat', `/tmp/cp-${tag}/sub/b.txt`])).stdout, 'B file\n'.repeat(1000), 'the directory arrived');
      const back = await kubectl(['cp', `box:/tmp/cp-${tag}`, join(local, 'out')]);
      t.equal(back.code, 0, `cp out of the pod${back.code ? `: ${back.stderr}` : ''}`);
      t.equal(await readFile(join(local, 'out', 'a.txt'), 'utf8'), 'A file\n', 'a file came back');
      t.equal(await readFile(join(local, 'out', 'sub', 'b.txt'), 'utf8'), 'B file\n'.repeat(1000), 'a nested file came back');

      // port-forward: 50 sequential and 10 concurrent requests to httpd in the pod
      const forward = await startKubectlProcess({ version, kubeconfigPath, args: ['port-forward', 'pod/web', ':8080', ':8081'] });
      t.teardown(() => forward.stop());
      const port = Number((await forward.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/))[1]);
      const second = Number((await forward.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 8081/))[1]);
      t.equal(await httpGet(second, '/index.html'), 'hello from web\n', 'the second forwarded port');
      let sequentialOk = 0;
      for (let i = 0; i < 50; i++) if ((await httpGet(port, '/index.html')) === 'hello from web\n') sequentialOk++;
      t.equal(sequentialOk, 50, '50 sequential requests through port-forward');
      const concurrent = await Promise.all(Array.from({ length: 10 }, () => httpGet(port, '/index.html')));
      t.equal(concurrent.filter((b) => b === 'hello from web\n').length, 10, '10 concurrent requests through port-forward');
      await forward.stop();

      // which path each command took
      const used = delta(before, await counters());
      const execPath = version === '1.27' || version === '1.29' ? 'exec spdy v4.channel.k8s.io' : 'exec websocket v5.channel.k8s.io';
      const attachPath = version === '1.27' || version === '1.29' ? 'attach spdy v4.channel.k8s.io' : 'attach websocket v5.channel.k8s.io';
      const forwardPath = ['1.27', '1.29', '1.30'].includes(version) ? 'portforward spdy portforward.k8s.io' : 'portforward spdy-over-websocket SPDY/3.1+portforward.k8s.io';
      t.ok((used[execPath] ?? 0) >= 7, `exec went over ${execPath}: ${JSON.stringify(used)}`);
      t.equal(used[attachPath], 1, `attach went over ${attachPath}`);
      t.equal(used[forwardPath], 1, `port-forward went over ${forwardPath}`);
      t.equal(Object.keys(used).length, 3, 'no other path was taken (no silent fallback)');
      await e.ok(['delete', 'pod', `logs-${tag}`, `reader-${tag}`, '--wait=false']);
    });
  }

  await t.test('port-forward to a port nothing listens on reports the error', async (t) => {
    const forward = await startKubectlProcess({ version: '1.33', kubeconfigPath, args: ['port-forward', 'pod/web', ':8099'] });
    t.teardown(() => forward.stop());
    const port = Number((await forward.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 8099/))[1]);
    await httpGet(port, '/').catch(() => '');
    await forward.waitFor(/error forwarding port 8099/);
    t.pass('kubectl shows the kubelet\'s error');
  });

  await t.test('kubectl top shows numbers for the runc pods and node', async (t) => {
    const top = await until(() => e.kubectl(['top', 'pods']), (r) => r.code === 0 && /box\s+\d+m\s+\d+Mi/.test(r.stdout), 60_000);
    t.match(top.stdout, /box\s+\d+m\s+\d+Mi/, 'top pods');
    const nodes = await until(() => e.kubectl(['top', 'nodes']), (r) => r.code === 0 && new RegExp(`${nodeName}\\s+\\d+m`).test(r.stdout), 60_000);
    t.match(nodes.stdout, new RegExp(`${nodeName}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi`), 'top nodes');
  });

  await t.test('deleting a pod ends the streams into it', async (t) => {
    const exec = await startKubectlProcess({ version: '1.33', kubeconfigPath, args: ['exec', 'box', '--', 'sh', '-c', 'echo started; exec sleep 1000'] });
    t.teardown(() => exec.stop());
    await exec.waitFor(/started/);
    await e.ok(['delete', 'pod', 'box', 'web', '--wait=true']);
    const code = await exec.exited(30_000);
    t.not(code, 0, 'the exec ended when its pod went');
  });

  await t.test('no trace left on the host once the cluster stops', async (t) => {
    await e.cluster.stop();
    const stateDir = join(e.cluster.dataDir, 'nodes', nodeName, 'runtime');
    assertNoTrace(t, await snapshotHostTrace(hostNames(stateDir, e.cluster.clusterId, nodeName), stateDir, { podCIDR: '10.241.0.0/16' }), nodeName);
  });
}
