/**
 * The runc command line, for every step except create (that one runs under conmon, see
 * conmon.ts, because runc create must never get a pipe and nobody could wait() for the
 * container otherwise).
 *
 * Every call uses the runtime's own `--root` (never the host's /run/runc), so two clusters
 * on one host do not see each other's containers. Errors carry runc's own message as a
 * CriError; "already gone" answers to kill and delete resolve, because the kubelet retries
 * stop/remove and both must be idempotent (as CRI requires).
 *
 * Each runc call costs 30–45 ms here (runtime-recipe §4), so callers should cache state and
 * read stats from cgroup files (cgroups/) rather than `runc events`.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinuxContainerResources } from '../../../cri/api.js';
import { CriError } from '../../../cri/errors.js';
import { runCommand, type CommandResult } from './run-command.js';
import { isNotExistMessage, isNotRunningMessage, runcErrorMessage } from './runc-messages.js';
import { runcUpdateArgs } from './runc-update-args.js';

export type RuncStatus = 'created' | 'running' | 'stopped' | 'paused';

export interface RuncCliOptions {
  /** default 'runc' on PATH */
  runcPath?: string;
  /** runc --root: where runc keeps its state for this runtime */
  root: string;
  /** where per-call runc logs go (exec); default the OS temp dir */
  logDir?: string;
  /** a runc call that takes longer than this is killed (exec has its own timeout); default 60 s */
  commandTimeoutMs?: number;
  /** on an exec timeout, how long to wait for runc's pid file to learn whom to kill; default 2 s */
  execKillWaitMs?: number;
  /** update sets memory+swap = memory too (cgroup v1 with swap accounting, where containers are created that way) */
  swapLimitEqualsMemory?: boolean;
}

export interface ExecSyncOptions {
  env?: string[];
  cwd?: string;
  /** uid[:gid] as runc takes it */
  user?: string;
  /** 0/undefined = no timeout (CRI: timeout 0 means forever) */
  timeoutMs?: number;
  tty?: false;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export class RuncCli {
  private readonly runcPath: string;
  private readonly root: string;
  private readonly logDir: string;
  private readonly commandTimeoutMs: number;
  private readonly execKillWaitMs: number;
  private readonly swapLimitEqualsMemory: boolean;

  constructor(opts: RuncCliOptions) {
    this.runcPath = opts.runcPath ?? 'runc';
    this.root = opts.root;
    this.logDir = opts.logDir ?? tmpdir();
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 60_000;
    this.execKillWaitMs = opts.execKillWaitMs ?? 2_000;
    this.swapLimitEqualsMemory = opts.swapLimitEqualsMemory ?? false;
  }

  /** run the process of a created container (conmon did the create) */
  async start(id: string): Promise<void> {
    const result = await this.run(['start', id]);
    if (result.exitCode !== 0) throw this.failure('start', id, result);
  }

  /** send a signal; resolves when the container is already stopped or gone */
  async kill(id: string, signal: 'TERM' | 'KILL' | string, all = false): Promise<void> {
    const result = await this.run(['kill', ...(all ? ['--all'] : []), id, signal]);
    if (result.exitCode === 0) return;
    const message = runcErrorMessage(result.stderr.toString());
    if (isNotExistMessage(message) || isNotRunningMessage(message)) return;
    throw this.failure('kill', id, result);
  }

  /** remove runc's state (and the container's cgroup); resolves when it is already gone */
  async delete(id: string, force = false): Promise<void> {
    const result = await this.run(['delete', ...(force ? ['--force'] : []), id]);
    if (result.exitCode === 0) return;
    if (isNotExistMessage(runcErrorMessage(result.stderr.toString()))) return;
    throw this.failure('delete', id, result);
  }

  /** CRI UpdateContainerResources: change cgroup limits of a created/running container */
  async update(id: string, resources: Partial<LinuxContainerResources>): Promise<void> {
    const flags = runcUpdateArgs(resources, this.swapLimitEqualsMemory);
    if (flags.length === 0) return;
    const result = await this.run(['update', ...flags, id]);
    if (result.exitCode !== 0) throw this.failure('update', id, result);
  }

  /** runc's view of one container; undefined when runc does not know it */
  async state(id: string): Promise<{ status: RuncStatus; pid: number } | undefined> {
    const result = await this.run(['state', id]);
    if (result.exitCode !== 0) {
      if (isNotExistMessage(runcErrorMessage(result.stderr.toString()))) return undefined;
      throw this.failure('state', id, result);
    }
    const parsed = parseJson(result.stdout.toString()) as { status?: unknown; pid?: unknown } | undefined;
    if (!parsed || typeof parsed.status !== 'string') throw new CriError('Internal', `runc state ${id}: unexpected output ${result.stdout.toString().slice(0, 200)}`);
    return { status: parsed.status as RuncStatus, pid: typeof parsed.pid === 'number' ? parsed.pid : 0 };
  }

  /** every container under this runtime's --root (for adoption and cleanup after a restart) */
  async list(): Promise<Array<{ id: string; status: string; pid: number; bundle: string }>> {
    const result = await this.run(['list', '--format', 'json']);
    if (result.exitCode !== 0) throw this.failure('list', '', result);
    const parsed = parseJson(result.stdout.toString());
    if (!Array.isArray(parsed)) return []; // runc prints `null` when there are none
    return parsed.map((c: { id?: unknown; status?: unknown; pid?: unknown; bundle?: unknown }) => ({
      id: String(c.id ?? ''),
      status: String(c.status ?? ''),
      pid: typeof c.pid === 'number' ? c.pid : 0,
      bundle: String(c.bundle ?? ''),
    }));
  }

  /**
   * `runc exec` in the foreground (CRI ExecSync). Pipes are fine here: the exec'd process
   * exits and runc with it. runc's own errors go to a per-call log file so they are never
   * confused with the process's stderr. On timeout the exec'd process (its pid from
   * --pid-file) and runc are killed, and the call rejects with DeadlineExceeded.
   */
  async exec(id: string, args: string[], opts: ExecSyncOptions = {}): Promise<ExecSyncResult> {
    if (args.length === 0) throw new CriError('InvalidArgument', 'exec: no command given');
    const tag = `runc-exec-${id.slice(0, 12)}-${randomBytes(4).toString('hex')}`;
    const logPath = join(this.logDir, `${tag}.log`);
    const pidPath = join(this.logDir, `${tag}.pid`);
    const flags = ['--pid-file', pidPath];
    for (const e of opts.env ?? []) flags.push('--env', e);
    if (opts.cwd) flags.push('--cwd', opts.cwd);
    if (opts.user) flags.push('--user', opts.user);
    const timeoutMs = opts.timeoutMs ?? 0;
    try {
      const result = await runCommand(this.runcPath, ['--root', this.root, '--log', logPath, '--log-format', 'json', 'exec', ...flags, id, ...args], {
        timeoutMs,
        // kill the exec'd process first (runc then exits by itself); runc writes the pid
        // file only once the process started, so give a slow start a moment
        onTimeout: () => killPidFromFile(pidPath, this.execKillWaitMs),
      });
      if (result.timedOut) {
        await killPidFromFile(pidPath, 0);
        throw new CriError('DeadlineExceeded', `command ${JSON.stringify(args)} timed out after ${timeoutMs}ms`);
      }
      const runcLog = await readFile(logPath, 'utf8').catch(() => '');
      const runcSaid = runcErrorMessage(runcLog.split('\n').filter((l) => l.includes('"level":"error"') || l.includes('"level":"fatal"')).join('\n'));
      if (runcSaid) {
        const code = isNotExistMessage(runcSaid) ? 'NotFound' : isNotRunningMessage(runcSaid) || /cannot exec in a (stopped|paused)/i.test(runcSaid) ? 'FailedPrecondition' : 'Unknown';
        throw new CriError(code, `runc exec ${id}: ${runcSaid}`);
      }
      return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
    } finally {
      await Promise.all([rm(logPath, { force: true }), rm(pidPath, { force: true })]);
    }
  }

  private async run(args: string[]): Promise<CommandResult> {
    try {
      const result = await runCommand(this.runcPath, ['--root', this.root, '--log-format', 'json', ...args], { timeoutMs: this.commandTimeoutMs });
      if (result.timedOut) throw new CriError('DeadlineExceeded', `runc ${args[0]} timed out after ${this.commandTimeoutMs}ms`);
      return result;
    } catch (err) {
      if (err instanceof CriError) throw err;
      throw new CriError('Unavailable', `cannot run ${this.runcPath}: ${(err as Error).message}`);
    }
  }

  private failure(verb: string, id: string, result: CommandResult): CriError {
    const message = runcErrorMessage(result.stderr.toString()) || `exit status ${result.exitCode}`;
    const code = isNotExistMessage(message) ? 'NotFound' : /not stopped|is (running|paused)|cannot (start|exec)/i.test(message) ? 'FailedPrecondition' : 'Unknown';
    return new CriError(code, `runc ${verb}${id ? ` ${id}` : ''}: ${message}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** the exec'd process is ours (we started it through runc), so killing it by pid is fine */
async function killPidFromFile(pidPath: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let pid = Number.NaN;
  for (;;) {
    pid = Number.parseInt(await readFile(pidPath, 'utf8').catch(() => ''), 10);
    if ((Number.isInteger(pid) && pid > 1) || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
