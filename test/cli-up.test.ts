/**
 * End to end: `k8ts up` as a real child process. The CLI runs as this test does: compiled
 * beside it, or from its TypeScript source through the loader tap uses (process.execArgv).
 * Every child is started here and killed in teardown if still running; every data dir
 * is a fresh temp dir removed in teardown; everything listens on 127.0.0.1 with port 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { parse } from 'yaml';
import { httpsGet } from './helpers/https-get.js';
import { moduleExtension } from './helpers/source-path.js';

type T = { teardown(fn: () => unknown): void };

const MAIN = fileURLToPath(new URL(`../cli/main${moduleExtension(import.meta.url)}`, import.meta.url));
// tap's own flags minus its process-tracking/coverage hook, which costs about a second
// per child and would only measure coverage of processes we mostly kill
const NODE_ARGS = process.execArgv.filter((arg) => !arg.includes('@tapjs/processinfo'));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function k8ts(t: T, ...args: string[]): Run {
  const child = spawn(process.execPath, [...NODE_ARGS, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
  });
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function tempDir(t: T): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-up-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Poll for the kubeconfig (the readiness signal); fail early if the child exits. */
async function waitForKubeconfig(run: Run, dir: string): Promise<string> {
  const path = join(dir, 'kubeconfig');
  const deadline = Date.now() + 60_000; // a safety net for a hung test only
  while (!existsSync(path)) {
    if (run.child.exitCode !== null) throw new Error(`k8ts exited early: ${run.stderr()}`);
    if (Date.now() > deadline) throw new Error('no kubeconfig after 60 s');
    await sleep(50);
  }
  return readFile(path, 'utf8');
}

/** A running `k8ts up` on a fresh dir and a free port, with its server URL and CA. */
async function up(t: T) {
  const dir = await tempDir(t);
  const run = k8ts(t, 'up', '--port', '0', '--data-dir', dir, '--store', 'level', '--runtime', 'simulated');
  const config = parse(await waitForKubeconfig(run, dir));
  const url: string = config.clusters[0].cluster.server;
  const ca = Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8');
  return { dir, run, url, ca };
}

/** stderr holds exactly one line: `k8ts: <message>` */
function oneLine(t: Test, stderr: string, message: RegExp) {
  const lines = stderr.split('\n');
  t.equal(lines.length, 2, `one line on stderr: ${JSON.stringify(stderr)}`);
  t.equal(lines[1], '');
  t.match(lines[0], message);
}

t.test('up serves, refuses a second up on its dir, and exits 0 on SIGTERM', async (t) => {
  const { dir, run, url, ca } = await up(t);
  t.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);

  const res = await httpsGet(`${url}/version`, { ca });
  t.equal(res.status, 200);
  t.match(res.json(), { major: '1', minor: '33', gitVersion: /^v1\.33\.0-k8ts\./ });
  t.equal((await httpsGet(`${url}/api`, { ca })).status, 401, 'no credentials, no API');
  t.equal(await readFile(join(dir, 'pki', 'ca.crt'), 'utf8'), ca);
  t.match(run.stdout(), /certificates: made ca, apiserver, admin, kube-scheduler, kube-controller-manager, kubelet-k8ts-node-1, apiserver-kubelet-client, kubelet-serving-k8ts-node-1, kube-scheduler-serving in /);
  t.match(run.stdout(), /k8ts is ready: export KUBECONFIG=/);
  t.match(run.stdout(), /nodes: 1 kubelet\(s\) on the simulated runtime/);
  t.ok(existsSync(join(dir, 'k8ts.lock')));

  const second = k8ts(t, 'up', '--port', '0', '--data-dir', dir, '--runtime', 'simulated');
  const secondExit = await second.exit;
  t.not(secondExit.code, 0);
  oneLine(t, second.stderr(), new RegExp(`^k8ts: data dir .* is in use by another k8ts \\(pid ${run.child.pid}\\)$`));

  run.child.kill('SIGTERM');
  t.same(await run.exit, { code: 0, signal: null });
  t.notOk(existsSync(join(dir, 'k8ts.lock')), 'lock removed');
  t.match(run.stdout(), /SIGTERM received/);
});

t.test('a port in use: non-zero exit, one line', async (t) => {
  const blocker = createServer();
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  t.teardown(() => new Promise((resolve) => blocker.close(resolve)));
  const port = (blocker.address() as AddressInfo).port;

  const dir = await tempDir(t);
  const run = k8ts(t, 'up', '--port', String(port), '--data-dir', dir, '--store', 'memory', '--runtime', 'simulated');
  t.not((await run.exit).code, 0);
  oneLine(t, run.stderr(), new RegExp(`^k8ts: cannot listen on 127\\.0\\.0\\.1:${port}: address already in use$`));
  t.notOk(existsSync(join(dir, 'k8ts.lock')), 'lock released');
});

t.test('bad flags: exit 2, one line, no stack', async (t) => {
  // (every flag's messages are unit-tested in cli/options.test.ts; this checks the wiring)
  const cases: Array<[string[], string]> = [
    [['up', '--port', 'abc'], 'k8ts: --port must be an integer 0-65535, got "abc"'],
    [['up', '--frobnicate'], 'k8ts: unknown flag --frobnicate for "k8ts up" (see k8ts up --help)'],
  ];
  await Promise.all(
    cases.map(async ([args, line]) => {
      const run = k8ts(t, ...args);
      const { code } = await run.exit;
      t.equal(code, 2, args.join(' '));
      t.equal(run.stderr(), `${line}\n`, args.join(' '));
    }),
  );
});

t.test('--version', async (t) => {
  const run = k8ts(t, '--version');
  t.equal((await run.exit).code, 0);
  t.match(run.stdout(), /^k8ts \d+\.\d+\.\d+\n$/);
});
