/**
 * Run one host networking tool (a CNI plugin, ip, iptables, unshare, umount) with an
 * argument array, optional bytes on stdin, and a deadline.
 *
 * Why not process/run-command.ts: CNI plugins take their network configuration on stdin,
 * which that helper does not offer. Why not `execFile`: a non-zero exit is an answer here
 * (a CNI plugin prints its error object on stdout and exits 1), so the caller needs stdout,
 * stderr and the exit code together, never a thrown error. Never rejects: a tool that
 * cannot start (ENOENT) resolves with `startError`.
 */
import { spawn } from 'node:child_process';

export interface ToolResult {
  /** the exit code; -1 when the tool did not start or was killed by a signal */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** set when the tool could not be started at all */
  startError?: Error;
}

export interface RunToolOptions {
  /** written to stdin, which is then closed; stdin is /dev/null when absent */
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** SIGKILL the tool and resolve with timedOut after this long; 0 = never */
  timeoutMs?: number;
}

export function runTool(file: string, args: readonly string[], opts: RunToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const settle = (result: Omit<ToolResult, 'stdout' | 'stderr' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve({ ...result, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    };
    const child = spawn(file, args, { env: opts.env, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.once('error', (e) => settle({ exitCode: -1, startError: e }));
    if (opts.input !== undefined && child.stdin) {
      // a tool that exits before reading its stdin makes the write fail with EPIPE: harmless
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input);
    }
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
        // a grandchild may keep the pipes open after the kill: settle on 'exit', not 'close'
        child.once('exit', () => settle({ exitCode: -1 }));
      }, opts.timeoutMs);
    }
    child.once('close', (code) => settle({ exitCode: code ?? -1 }));
  });
}

/** the tool's own words for a failure: stderr, else stdout, else how it ended */
export function toolFailureText(file: string, r: ToolResult): string {
  if (r.startError) return `${file}: ${r.startError.message}`;
  if (r.timedOut) return `${file}: timed out`;
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').filter(Boolean).join('; ');
  return text || `${file}: exit status ${r.exitCode}`;
}
