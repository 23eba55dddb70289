/**
 * A long-running kubectl (port-forward, logs -f, exec -it under a pseudo-terminal) as a
 * child process the test drives: its output is collected as it comes, waitFor() polls it
 * for a pattern, and stop() ends it by PID. Each has its own HOME and cache dir, like
 * kubectlFor's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath } from './kubectl.js';
import { sleep } from './poll.js';

export interface KubectlProcess {
  child: ChildProcess;
  output(): string;
  stderr(): string;
  /** resolves with the match once the output has it; rejects after `ms` */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** the exit code (signal deaths: 128+n); rejects after `ms` */
  exited(ms?: number): Promise<number>;
  write(text: string): void;
  stop(): Promise<void>;
}

export interface KubectlProcessOptions {
  version: string;
  kubeconfigPath: string;
  args: string[];
  /** run kubectl on a pseudo-terminal through util-linux `script` (for -it) */
  terminal?: boolean;
  env?: Record<string, string>;
}

export async function startKubectlProcess(opts: KubectlProcessOptions): Promise<KubectlProcess> {
  const home = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-'));
  const argv = [kubectlPath(opts.version), '--kubeconfig', opts.kubeconfigPath, '--cache-dir', join(home, 'cache'), ...opts.args];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TERM: 'xterm', ...opts.env };
  // script -c takes one shell string: every argument is single-quoted for sh
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = opts.terminal
    ? spawn('script', ['-q', '-f', '-e', '-E', 'never', '-c', quoted, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(argv[0]!, argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  child.stdin!.on('error', () => {});
  const exit = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15))));
  return {
    child,
    output: () => out,
    stderr: () => err,
    async waitFor(pattern, ms = 30_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const m = (out + err).match(pattern);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`kubectl ${opts.args.join(' ')}: no ${pattern} in output after ${ms} ms; output: ${JSON.stringify(out.slice(-2000))} stderr: ${JSON.stringify(err.slice(-2000))}`);
        await sleep(50);
      }
    },
    async exited(ms = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<number>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`kubectl ${opts.args.join(' ')} did not exit within ${ms} ms; output: ${JSON.stringify(out.slice(-2000))} stderr: ${JSON.stringify(err.slice(-2000))}`)), ms);
      });
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    write: (text) => {
      child.stdin!.write(text);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
      await Promise.race([exit, sleep(5_000)]);
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await exit;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}
