/**
 * Pod networking on the real host: pinned netns, the CNI bridge/host-local/portmap plugins,
 * reachability host→pod, pod→pod and through a hostPort on 127.0.0.1, idempotent teardown,
 * and no trace after cleanupHost. Needs root and Debian's containernetworking-plugins.
 *
 * Everything carries a random tag and a /24 under 10.250.0.0/16 that no interface or route
 * on this host uses, so parallel runs (and other clusters) do not collide.
 */
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { isCriError } from '../../../cri/errors.js';
import { hostNames } from '../host-names.js';
import { assertNoTrace, snapshotHostTrace } from '../testing/host-trace.js';
import { createNetns, isNetnsMounted, removeNetns } from './netns.js';
import { PodNetwork } from './pod-network.js';
import { runTool } from './run-tool.js';

const CNI_DIR = '/usr/lib/cni';
const BUSYBOX = '/usr/bin/busybox';

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const plugin of ['loopback', 'bridge', 'host-local', 'portmap']) if (!existsSync(join(CNI_DIR, plugin))) return `${CNI_DIR}/${plugin} is missing (containernetworking-plugins)`;
  if (!existsSync(BUSYBOX)) return `${BUSYBOX} is missing (busybox-static)`;
  return undefined;
}

/** a 10.250.X.0/24 that no address or route on this host overlaps */
async function pickUnusedCidr(): Promise<string> {
  const addrs = await runTool('ip', ['-j', '-4', 'addr'], { timeoutMs: 5000 });
  const routes = await runTool('ip', ['-j', '-4', 'route', 'show', 'table', 'all'], { timeoutMs: 5000 });
  const used = new Set<number>();
  for (const m of `${addrs.stdout}\n${routes.stdout}`.matchAll(/"10\.250\.(\d+)\.\d+/g)) used.add(Number(m[1]));
  if (/"10\.250\.0\.0\/16"|"10\.0\.0\.0\/8"/.test(routes.stdout)) throw new Error('10.250.0.0/16 is routed on this host');
  for (let tries = 0; tries < 200; tries++) {
    const x = randomInt(1, 255);
    if (!used.has(x)) return `10.250.${x}.0/24`;
  }
  throw new Error('no unused /24 under 10.250.0.0/16');
}

/** what a TCP server at host:port says first, or the error */
function readGreeting(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect({ host, port });
    socket.setTimeout(3000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (b: Buffer) => (data += b.toString()));
    socket.on('error', (e) => resolve(`error: ${e.message}`));
    socket.on('close', () => resolve(data));
  });
}

/** retries while the listener comes up (attempt-bounded; no timing is asserted) */
async function greetingWithRetry(fetch: () => Promise<string>, want: string): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    last = await fetch();
    if (last.includes(want)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

const reason = skipReason();
if (reason) {
  t.plan(0, `pod networking host tests: ${reason}`);
} else {
  t.test('pod networking with CNI: two pods, reachability, hostPort, idempotent teardown, no trace', async (t) => {
    const stateDir = await mkdtemp(join(tmpdir(), 'k8ts-net-'));
    const names = hostNames(stateDir, `test-${randomBytes(8).toString('hex')}`, 'node');
    const podCIDR = await pickUnusedCidr();
    const logger = pino({ level: 'silent' });
    const network = new PodNetwork({ names, podCIDR, logger });
    const ipForwardBefore = await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8').catch(() => undefined);
    const children: ChildProcess[] = [];
    const netnsA = join(names.netnsDir, 'pod-a');
    const netnsB = join(names.netnsDir, 'pod-b');
    const sandboxA = `sba${randomBytes(6).toString('hex')}`;
    const sandboxB = `sbb${randomBytes(6).toString('hex')}`;

    t.teardown(async () => {
      for (const c of children) if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await network.tearDown(sandboxA, netnsA).catch(() => {});
      await network.tearDown(sandboxB, netnsB).catch(() => {});
      await removeNetns(netnsA).catch(() => {});
      await removeNetns(netnsB).catch(() => {});
      await network.cleanupHost().catch(() => {});
      await rm(stateDir, { recursive: true, force: true });
      // the bridge plugin turns ip_forward on for isGateway; put back what this test found
      if (ipForwardBefore !== undefined) await writeFile('/proc/sys/net/ipv4/ip_forward', ipForwardBefore).catch(() => {});
    });

    // pinned namespaces
    await createNetns(netnsA);
    await createNetns(netnsB);
    t.ok(await isNetnsMounted(netnsA), 'netns A is pinned');
    t.ok(await isNetnsMounted(netnsB), 'netns B is pinned');
    const again = await createNetns(netnsA).catch((e: unknown) => e);
    t.ok(isCriError(again, 'AlreadyExists'), 'creating over a live netns is refused');

    // CNI ADD
    const hostPort = randomInt(20000, 60000);
    const a = await network.setUp(sandboxA, netnsA, [{ protocol: 'TCP', containerPort: 8080, hostPort, hostIp: '127.0.0.1' }]);
    const b = await network.setUp(sandboxB, netnsB, []);
    t.ok(network.cidr.subnet === podCIDR, 'the CIDR is ours');
    const inCidr = (ip: string) => ip.startsWith(podCIDR.replace(/0\/24$/, ''));
    t.ok(inCidr(a.ip) && inCidr(b.ip), `both pod IPs are in ${podCIDR} (${a.ip}, ${b.ip})`);
    t.not(a.ip, b.ip, 'distinct IPs');
    t.equal(a.gateway, network.cidr.gateway, 'the gateway is the first address');
    t.same(await network.knownSandboxes(), [sandboxA, sandboxB].sort(), 'both setups are recorded');

    // the tracer sees what we made (otherwise the final no-trace check proves nothing)
    const during = await snapshotHostTrace(names, stateDir, { podCIDR });
    t.ok(during.links.some((l) => l.startsWith(`${names.bridge} `)), 'trace: the bridge');
    t.ok(during.links.filter((l) => l.includes('enslaved')).length >= 2, 'trace: two veths on it');
    t.ok(during.mounts.some((m) => m.includes('pod-a')) && during.mounts.some((m) => m.includes('pod-b')), 'trace: both netns mounts');
    t.ok(during.netns.length === 2, 'trace: both netns files');
    t.ok(during.iptables.some((l) => l.includes(`${a.ip}:8080`)), 'trace: the portmap DNAT rule');

    // a listener inside pod A
    const listener = spawn('nsenter', [`--net=${netnsA}`, BUSYBOX, 'nc', '-ll', '-p', '8080', '-e', BUSYBOX, 'echo', 'hi'], { stdio: 'ignore' });
    children.push(listener);
    listener.on('error', () => {});

    t.match(await greetingWithRetry(() => readGreeting(a.ip, 8080), 'hi'), /hi/, 'host → pod A by pod IP');
    const fromB = await greetingWithRetry(async () => {
      const r = await runTool('nsenter', [`--net=${netnsB}`, BUSYBOX, 'nc', '-w', '3', a.ip, '8080'], { timeoutMs: 5000 });
      return r.stdout;
    }, 'hi');
    t.match(fromB, /hi/, 'pod B → pod A by pod IP');
    t.match(await greetingWithRetry(() => readGreeting('127.0.0.1', hostPort), 'hi'), /hi/, `host → 127.0.0.1:${hostPort} → pod A (portmap)`);

    listener.kill('SIGKILL');
    await new Promise<void>((resolve) => (listener.exitCode !== null || listener.signalCode !== null ? resolve() : listener.once('exit', () => resolve())));

    // a setup that fails leaves no record behind
    const bad = await network.setUp(`sbbad${randomBytes(4).toString('hex')}`, join(names.netnsDir, 'missing'), []).catch((e: unknown) => e);
    t.ok(isCriError(bad), 'a failed setup is a CriError');
    t.match((bad as Error).message, /^failed to setup network for sandbox "sbbad[0-9a-f]+": plugin type="loopback"/);
    t.same(await network.knownSandboxes(), [sandboxA, sandboxB].sort(), 'the failed setup left no record');

    // teardown: twice is fine; after the netns is gone is fine; unknown sandbox is fine
    await network.tearDown(sandboxA, netnsA);
    await network.tearDown(sandboxA, netnsA);
    t.pass('tearDown twice');
    const afterA = await snapshotHostTrace(names, stateDir, { podCIDR });
    t.notOk(afterA.iptables.some((l) => l.includes(`${a.ip}:8080`)), 'portmap rules of A are gone');
    await removeNetns(netnsA);
    await removeNetns(netnsB);
    await removeNetns(netnsB);
    t.notOk(await isNetnsMounted(netnsB), 'netns B unmounted (removal is idempotent)');
    await network.tearDown(sandboxB, netnsB);
    t.pass('tearDown after the netns was removed');
    await network.tearDown('never-set-up', join(names.netnsDir, 'nothing'));
    t.pass('tearDown of an unknown sandbox');
    t.same(await network.knownSandboxes(), [], 'no records left');
    const leases = await runTool('ls', ['-A', join(names.ipamDir, names.cniNetwork)], { timeoutMs: 5000 });
    t.notOk(/^10\.250\./m.test(leases.stdout), 'host-local leases released');

    // shutdown: our bridge, IPAM dir and (if idle) portmap's chains go
    await network.cleanupHost();
    t.notOk(await stat(names.ipamDir).then(() => true, () => false), 'the IPAM dir is gone');
    assertNoTrace(t, await snapshotHostTrace(names, stateDir, { podCIDR }), 'no host trace after cleanupHost');
  });

  t.test('cleanupHost tears down sandboxes a crashed run left', async (t) => {
    const stateDir = await mkdtemp(join(tmpdir(), 'k8ts-net-'));
    const names = hostNames(stateDir, `test-${randomBytes(8).toString('hex')}`, 'node');
    const podCIDR = await pickUnusedCidr();
    const ipForwardBefore = await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8').catch(() => undefined);
    const netns = join(names.netnsDir, 'pod');
    const first = new PodNetwork({ names, podCIDR, logger: pino({ level: 'silent' }) });
    t.teardown(async () => {
      await removeNetns(netns).catch(() => {});
      await first.cleanupHost().catch(() => {});
      await rm(stateDir, { recursive: true, force: true });
      if (ipForwardBefore !== undefined) await writeFile('/proc/sys/net/ipv4/ip_forward', ipForwardBefore).catch(() => {});
    });
    // a leftover unmounted file (a crash between touch and unshare) is reused
    await mkdir(names.netnsDir, { recursive: true });
    await writeFile(netns, '');
    t.notOk(await isNetnsMounted(netns), 'a plain file is not a netns');
    await createNetns(netns);
    t.ok(await isNetnsMounted(netns), 'created over the leftover file');
    const sandbox = `sbc${randomBytes(6).toString('hex')}`;
    const hostPort = randomInt(20000, 60000);
    const { ip } = await first.setUp(sandbox, netns, [{ protocol: 'TCP', containerPort: 80, hostPort, hostIp: '' }]);

    // pods start concurrently (the kubelet starts several at once): one bridge, distinct leases
    const extra = [1, 2, 3].map((i) => ({ id: `sbp${i}${randomBytes(4).toString('hex')}`, netns: join(names.netnsDir, `par-${i}`) }));
    t.teardown(async () => {
      for (const e of extra) await removeNetns(e.netns).catch(() => {});
    });
    await Promise.all(extra.map((e) => createNetns(e.netns)));
    const ips = await Promise.all(extra.map((e) => first.setUp(e.id, e.netns, [])));
    t.equal(new Set([ip, ...ips.map((x) => x.ip)]).size, 4, `concurrent setups get distinct IPs (${ips.map((x) => x.ip).join(', ')})`);
    for (const e of extra) await removeNetns(e.netns);

    // "restart": a new instance finds the record and removes everything, portmap rules included
    const second = new PodNetwork({ names, podCIDR, logger: pino({ level: 'silent' }) });
    t.same(await second.knownSandboxes(), [sandbox, ...extra.map((e) => e.id)].sort(), 'the restarted runtime sees every sandbox');
    await removeNetns(netns);
    await second.cleanupHost();
    const trace = await snapshotHostTrace(names, stateDir, { podCIDR });
    t.notOk(trace.iptables.some((l) => l.includes(`${ip}:80`)), 'portmap DNAT rule removed from the saved record');
    assertNoTrace(t, trace, 'no host trace after cleanupHost of a crashed run');
  });
}
