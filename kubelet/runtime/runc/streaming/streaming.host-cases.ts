/**
 * The runc runtime's streaming on a real host: exec with pipes and with a terminal,
 * attach through conmon's socket (plain and tty), port-forward into a pod, and the
 * clean-up promises — close() mid-exec kills the exec'd process, the runtime's close()
 * ends live sessions, nothing is left on the host, and the test process holds no more
 * file descriptors than before.
 *
 * Needs root, runc, conmon, the CNI plugins and busybox-static; skipped with the reason
 * otherwise. The image goes straight into the content store (no registry needed). Pod
 * CIDR 10.252.x.0/24, which no other test file uses.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import type { ContainerConfig, Runtime } from '../../../cri/api.js';
import type { StreamingRuntime, StreamSession } from '../../../cri/streaming.js';
import { ContentStore } from '../../../images/content-store.js';
import { hostPlatform } from '../../../images/platform.js';
import { buildBusyboxImage } from '../../../images/testing/busybox-images.js';
import { hostNames } from '../host-names.js';
import { createRuncRuntime } from '../index.js';
import { assertNoTrace, snapshotHostTrace } from '../testing/host-trace.js';
import { onePodConfigs } from '../testing/pod-configs.js';
import { runcHostProblems } from '../testing/runc-host.js';

const missing = runcHostProblems().filter((p) => p !== 'docker-registry');
const PATIENCE_MS = 15_000;

t.test('runc streaming: exec, attach, port-forward', { skip: missing.length > 0 && `needs ${missing.join(', ')}`, timeout: 240_000 }, runAll);

async function runAll(t: Test): Promise<void> {
  // Node keeps one /dev/null open from its first spawn with pipes on: spawn once before counting
  await new Promise((resolve) => spawn('true', [], { stdio: 'pipe' }).on('close', resolve));
  const fdsBefore = await openFds();
  const work = await mkdtemp(join(tmpdir(), 'k8ts-runc-streaming-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const image = 'docker.io/library/busybox:streaming-test';
  const imageDir = join(work, 'images');
  await buildBusyboxImage(await ContentStore.open(imageDir), { tag: image, arch: hostPlatform().architecture });
  const clusterId = `streaming-${process.pid}`;
  const stateDir = join(work, 'node', 'runtime');
  const podCIDR = `10.252.${process.pid % 250}.0/24`;
  const names = hostNames(stateDir, clusterId, 'node');
  const runtime = await createRuncRuntime({
    clusterId,
    nodeName: 'node',
    stateDir,
    imageDir,
    podCIDR,
    settings: { exitPollMs: 10 },
    logger: pino({ level: 'silent' }),
  });
  let closed = false;
  t.teardown(async () => {
    if (!closed) await runtime.close();
  });
  const streaming = runtime.streaming!;
  t.ok(streaming, 'the runc runtime offers streaming');
  let podSerial = 0;

  async function runPod(command: string[], extra: Partial<ContainerConfig> = {}): Promise<{ podSandboxId: string; containerId: string }> {
    const name = `pod-${++podSerial}`;
    const { sandboxConfig, config } = onePodConfigs({ namespace: 'streaming', name, uid: `uid-${name}-${process.pid}`, image, command, logRoot: join(work, 'logs'), extra });
    const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig, runtimeHandler: '' });
    const { containerId } = await runtime.createContainer({ podSandboxId, config, sandboxConfig });
    await runtime.startContainer({ containerId });
    return { podSandboxId, containerId };
  }

  const sleeper = await runPod(['sleep', '3600']);

  await t.test('exec without a terminal: stdout, stderr and the exit code', async (t) => {
    const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'], tty: false, stdin: false });
    t.notOk(s.stdin, 'no stdin when not asked for');
    const [out, err, done] = await Promise.all([collect(s.stdout), collect(s.stderr!), s.done]);
    t.equal(out, 'out\n');
    t.equal(err, 'err\n');
    t.equal(done.exitCode, 3);
  });

  await t.test('exec with stdin: cat echoes it and ends at EOF', async (t) => {
    const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['cat'], tty: false, stdin: true });
    const out = collect(s.stdout);
    s.stdin!.write('hello ');
    s.stdin!.end('stdin\n');
    t.equal(await out, 'hello stdin\n');
    t.equal((await s.done).exitCode, 0);
  });

  await t.test('exec in the container: its env, its namespaces', async (t) => {
    const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['sh', '-c', 'echo $PATH; hostname'], tty: false, stdin: false });
    const [out, , done] = await Promise.all([collect(s.stdout), collect(s.stderr!), s.done]);
    t.match(out, /\/bin/, "the image's PATH");
    t.match(out, /pod-1\n$/, "the pod's hostname");
    t.equal(done.exitCode, 0);
  });

  await t.test('a signal death is 128+n; a missing command fails with runc saying why', async (t) => {
    const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['sh', '-c', 'kill -TERM $$'], tty: false, stdin: false });
    await Promise.all([collect(s.stdout), collect(s.stderr!)]);
    t.equal((await s.done).exitCode, 143);
    const m = await streaming.exec({ containerId: sleeper.containerId, cmd: ['/no/such/command'], tty: false, stdin: false });
    const [, err, done] = await Promise.all([collect(m.stdout), collect(m.stderr!), m.done]);
    t.not(done.exitCode, 0, `non-zero exit (${done.exitCode})`);
    t.equal(err.match(/no such file or directory/g)?.length, 1, `stderr carries the reason, once: ${JSON.stringify(err)}`);
  });

  await t.test('exec into unknown or stopped containers is refused', async (t) => {
    await t.rejects(streaming.exec({ containerId: 'f'.repeat(64), cmd: ['true'], tty: false, stdin: false }), { code: 'NotFound' });
    const quick = await runPod(['true']);
    await waitUntil(async () => (await runtime.containerStatus({ containerId: quick.containerId, verbose: false })).status.state === 'CONTAINER_EXITED');
    await t.rejects(streaming.exec({ containerId: quick.containerId, cmd: ['true'], tty: false, stdin: false }), /is not running/);
    await t.rejects(streaming.exec({ containerId: sleeper.containerId, cmd: [], tty: false, stdin: false }), { code: 'InvalidArgument' });
  });

  await t.test('exec with a terminal: prompt, echo, resize, Ctrl-C, exit code', async (t) => {
    const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['sh'], tty: true, stdin: true, size: { width: 80, height: 24 } });
    t.notOk(s.stderr, 'no stderr with a tty');
    const screen = new Screen(s.stdout);
    // busybox ash prints its prompt, then asks the terminal where the cursor is (ESC [6n)
    await screen.waitFor(/\/ # /, 'the prompt');
    s.stdin!.write('echo $((6*7))\r');
    await screen.waitFor(/\r\n42\r\n/, 'the answer, with terminal line endings');
    s.stdin!.write('stty size\r');
    await screen.waitFor(/\r\n24 80\r\n/, 'the first size');
    s.resize({ width: 120, height: 40 });
    // the resize travels pty → runc (SIGWINCH) → the container's console: ask until it shows
    await waitUntil(async () => {
      s.stdin!.write('stty size\r');
      return screen.seen(/\r\n40 120\r\n/, 300);
    });
    t.pass('the container terminal took the new size');
    s.stdin!.write('sleep 100\r');
    await new Promise((r) => setTimeout(r, 300));
    s.stdin!.write('\x03');
    s.stdin!.write('echo after-$((1+1))\r');
    await screen.waitFor(/after-2/, 'Ctrl-C interrupted the sleep');
    s.stdin!.write('exit 5\r');
    t.equal((await s.done).exitCode, 5);
    t.ok(s.stdout.readableEnded || (await ended(s.stdout)), 'stdout ends');
  });

  await t.test('close() mid-exec kills the exec\'d process', async (t) => {
    const marker = String(100_000 + (process.pid % 50_000));
    for (const tty of [false, true]) {
      const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['sleep', marker], tty, stdin: tty });
      s.stdout.resume();
      s.stderr?.resume();
      await waitUntil(async () => (await pidsRunning(['sleep', marker])).length === 1);
      const [pid] = await pidsRunning(['sleep', marker]);
      s.close();
      s.close(); // idempotent
      const done = await s.done;
      t.equal(done.exitCode, 137, `tty=${tty}: killed (137)`);
      t.notOk(await alive(pid!), `tty=${tty}: pid ${pid} is gone`);
    }
  });

  await t.test('sessions dropped at once leak no process', async (t) => {
    const marker = String(200_000 + (process.pid % 50_000));
    const sessions: StreamSession[] = [];
    for (let i = 0; i < 12; i++) {
      const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['sleep', marker], tty: i % 2 === 1, stdin: i % 3 === 0 });
      // some dropped before runc even started the process, some a moment later
      if (i % 4 === 0) await new Promise((r) => setTimeout(r, 150));
      s.close();
      sessions.push(s);
    }
    const codes = (await Promise.all(sessions.map((s) => s.done))).map((d) => d.exitCode);
    t.ok(codes.every((c) => c !== 0), `every session ended by the drop (${codes.join(',')})`);
    t.same(await pidsRunning(['sleep', marker]), [], 'no exec\'d process left');
  });

  await t.test('exec with a terminal passes bytes through unchanged', async (t) => {
    const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['printf', '\\303\\251\\342\\202\\254\\n'], tty: true, stdin: false });
    const chunks: Buffer[] = [];
    s.stdout.on('data', (b: Buffer) => chunks.push(b));
    t.equal((await s.done).exitCode, 0);
    t.same(Buffer.concat(chunks), Buffer.from('é€\r\n', 'utf8'), 'UTF-8 bytes, the terminal turned \\n into \\r\\n');
  });

  await t.test('attach to a container running sh with stdin', async (t) => {
    const c = await runPod(['sh'], { stdin: true });
    const s = await streaming.attach({ containerId: c.containerId, tty: false, stdin: true });
    const screen = new Screen(s.stdout);
    const errors = new Screen(s.stderr!);
    s.stdin!.write('echo attached-$((2+3)); echo to-stderr >&2\n');
    await screen.waitFor(/attached-5\n/, 'stdout through conmon');
    await errors.waitFor(/to-stderr\n/, 'stderr through conmon, on its own stream');
    s.stdin!.write('exit 7\n');
    t.same(await s.done, { exitCode: 7 }, "the container's exit code ends the attach");
    await t.rejects(streaming.attach({ containerId: c.containerId, tty: false, stdin: true }), /is not running/);
    await t.rejects(streaming.attach({ containerId: sleeper.containerId, tty: false, stdin: true }), /not created with stdin/);
  });

  await t.test('attach detaches without an exit code', async (t) => {
    const c = await runPod(['sh', '-c', 'while true; do echo tick; sleep 0.1; done']);
    const s = await streaming.attach({ containerId: c.containerId, tty: false, stdin: false });
    await new Screen(s.stdout).waitFor(/tick\n/, 'output of the main process');
    s.close();
    t.same(await s.done, {}, 'detached: no exit code');
    const status = (await runtime.containerStatus({ containerId: c.containerId, verbose: false })).status;
    t.equal(status.state, 'CONTAINER_RUNNING', 'the container goes on');
  });

  await t.test('attach to a container with a terminal: echo, resize, exit', async (t) => {
    const c = await runPod(['sh'], { stdin: true, tty: true });
    const s = await streaming.attach({ containerId: c.containerId, tty: true, stdin: true });
    t.notOk(s.stderr, 'no stderr with a tty');
    const screen = new Screen(s.stdout);
    s.stdin!.write('echo $((7*6))\r');
    await screen.waitFor(/42\r\n/, 'the answer');
    s.resize({ width: 100, height: 30 });
    await waitUntil(async () => {
      s.stdin!.write('stty size\r');
      return screen.seen(/\r\n30 100\r\n/, 300);
    });
    t.pass('the resize reached the container terminal (conmon ctl: height, then width)');
    s.stdin!.write('exit 4\r');
    t.same(await s.done, { exitCode: 4 });
  });

  await t.test('port-forward into the pod', async (t) => {
    const web = await runPod(['sh', '-c', 'mkdir -p /www && echo hello-pf > /www/index.html && exec httpd -f -p 8080 -h /www']);
    let body = '';
    await waitUntil(async () => {
      try {
        body = await httpGet(streaming, web.podSandboxId, 8080, '/index.html');
        return true;
      } catch {
        return false;
      }
    });
    t.match(body, /^HTTP\/1\.[01] 200/, 'status line');
    t.match(body, /hello-pf\n$/, 'the file');
    const bodies = await Promise.all(Array.from({ length: 5 }, () => httpGet(streaming, web.podSandboxId, 8080, '/index.html')));
    t.ok(bodies.every((b) => b.endsWith('hello-pf\n')), 'concurrent connections');
    await t.rejects(
      streaming.portForward({ podSandboxId: web.podSandboxId, port: 8081 }),
      { message: new RegExp(`^failed to connect to 10\\.252\\.\\d+\\.\\d+:8081 inside namespace "${web.podSandboxId}", IPv4: dial tcp4 10\\.252\\.\\d+\\.\\d+:8081: connect: connection refused$`) },
      'nothing listens: the kubelet-style message',
    );
    await t.rejects(streaming.portForward({ podSandboxId: 'e'.repeat(64), port: 80 }), { code: 'NotFound' });
  });

  await t.test("the runtime's close() ends live sessions", async (t) => {
    const marker = String(150_000 + (process.pid % 50_000));
    const s = await streaming.exec({ containerId: sleeper.containerId, cmd: ['sleep', marker], tty: false, stdin: false });
    s.stdout.resume();
    s.stderr!.resume();
    const c = await runPod(['sh', '-c', 'while true; do sleep 0.1; done']);
    const a = await streaming.attach({ containerId: c.containerId, tty: false, stdin: false });
    a.stdout.resume();
    a.stderr!.resume();
    await waitUntil(async () => (await pidsRunning(['sleep', marker])).length === 1);
    const [pid] = await pidsRunning(['sleep', marker]);
    closed = true;
    await runtime.close();
    t.equal((await s.done).exitCode, 137, 'the exec ended (killed)');
    t.same(await a.done, {}, 'the attach ended (detached)');
    t.notOk(await alive(pid!), 'the exec\'d process is gone');
    await t.rejects(streaming.exec({ containerId: sleeper.containerId, cmd: ['true'], tty: false, stdin: false }), /closed/);
    assertNoTrace(t, await snapshotHostTrace(names, stateDir, { podCIDR }));
  });

  // sockets and ptys close asynchronously: give them a moment
  let fdsAfter = await openFds();
  await waitUntil(async () => (fdsAfter = await openFds()).length <= fdsBefore.length, 5_000).catch(() => undefined);
  t.ok(fdsAfter.length <= fdsBefore.length, `no file descriptor left open (${fdsBefore.length} before, ${fdsAfter.length} after: ${fdsAfter.filter((f) => !fdsBefore.includes(f)).join(', ')})`);
}

// ---- helpers -----------------------------------------------------------------------------

function collect(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (b: Buffer) => chunks.push(b));
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.once('error', reject);
  });
}

function ended(stream: Readable): Promise<boolean> {
  return new Promise((resolve) => {
    if (stream.readableEnded) return resolve(true);
    stream.once('end', () => resolve(true));
    stream.resume();
  });
}

/** accumulates a stream's output so tests can wait for what a terminal shows */
class Screen {
  text = '';
  private waiters: Array<() => void> = [];
  constructor(stream: Readable) {
    stream.on('data', (b: Buffer) => {
      this.text += b.toString('utf8');
      for (const w of this.waiters.splice(0)) w();
    });
    stream.on('error', () => undefined);
  }
  /** resolves when `re` matches what was seen since the last successful wait */
  async waitFor(re: RegExp, what: string, withinMs = PATIENCE_MS): Promise<void> {
    if (!(await this.seen(re, withinMs))) throw new Error(`timed out waiting for ${what} (${re}); saw ${JSON.stringify(this.text.slice(-400))}`);
  }
  async seen(re: RegExp, withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const m = re.exec(this.text);
      if (m) {
        this.text = this.text.slice(m.index + m[0].length);
        return true;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

async function waitUntil(check: () => Promise<boolean>, withinMs = PATIENCE_MS): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function httpGet(streaming: StreamingRuntime, podSandboxId: string, port: number, path: string): Promise<string> {
  const conn = await streaming.portForward({ podSandboxId, port });
  const body = new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    conn.on('data', (b: Buffer) => chunks.push(b));
    conn.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    conn.once('error', reject);
  });
  conn.write(`GET ${path} HTTP/1.0\r\nHost: pod\r\n\r\n`);
  const text = await body;
  conn.destroy();
  return text;
}

async function pidsRunning(argv: string[]): Promise<number[]> {
  const want = argv.join('\0') + '\0';
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if ((await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')) === want) out.push(Number(name));
  }
  return out;
}

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // a zombie is dead already (its parent, the container's init or runc, has yet to reap it)
  return stat !== '' && !/^\d+ \(.*\) Z /.test(stat);
}

async function openFds(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const out: string[] = [];
  for (const fd of fds) {
    const { readlink } = await import('node:fs/promises');
    out.push(`${fd}->${await readlink(`/proc/self/fd/${fd}`).catch(() => '?')}`);
  }
  // readdir itself holds one fd for the directory listing; it is closed by now
  return out;
}

export type { StreamSession };
