/**
 * Run a host tool (runc, mount, umount) with an argument array and collect what it says.
 *
 * Why not `execFile`: we need the exit code even when it is non-zero (runc's "does not
 * exist" is an answer, not a failure), Buffers rather than strings (exec output may be
 * binary), and a timeout that resolves with `timedOut` so the caller decides what a timeout
 * means (runc exec turns it into DeadlineExceeded after killing the exec'd process).
 *
 * Only for commands whose stdout/stderr may be pipes: never for `runc create`/`run`, whose
 * container would inherit the pipe (see runtime-recipe §4).
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  /** the signal that ended the process, when one did */
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** kill the process (SIGKILL) and resolve with timedOut after this long; 0 = never */
  timeoutMs?: number;
  /** called once the process is spawned (e.g. to learn its pid) */
  onSpawn?: (pid: number) => void;
  /** called when the timeout fires; the process is SIGKILLed once this settles */
  onTimeout?: () => Promise<void> | void;
}

/** resolves when the process exits; rejects only when it cannot be started (ENOENT…) */
export function runCommand(file: string, args: readonly string[], opts: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('spawn', () => child.pid !== undefined && opts.onSpawn?.(child.pid));
    child.once('error', (e) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      reject(e);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 + signalNumber(signal) : -1), signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), timedOut });
    };
    // 'close' waits for the pipes too; after a timeout a leftover grandchild may hold them
    // open forever, so then we settle on 'exit' and drop the pipes.
    child.once('close', finish);
    child.once('exit', (code, signal) => {
      if (!timedOut) return;
      child.stdout.destroy();
      child.stderr.destroy();
      finish(code, signal);
    });
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        void (async () => {
          try {
            await opts.onTimeout?.();
          } catch {
            /* the kill below still happens */
          }
          child.kill('SIGKILL');
        })();
      }, opts.timeoutMs);
    }
  });
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };
const signalNumber = (signal: string): number => SIGNAL_NUMBERS[signal] ?? 0;
