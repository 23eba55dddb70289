/**
 * Create a container under conmon (runtime-recipe §4a, as CRI-O does), and talk to a
 * running conmon (log reopen).
 *
 * The sequence, and why:
 *  - conmon runs `runc create` itself, with its own pipes as the container's stdio (a pipe
 *    from us would be inherited by `runc init` and hang us — FACTS.md), and becomes the
 *    container's subreaper, so it alone can collect the exit code.
 *  - `_OCI_SYNCPIPE=3`: conmon answers on fd 3 once runc create returned: the container
 *    pid, or -1 and runc's message. Without it we would race runc create.
 *  - conmon daemonises and KEEPS fd 3 open: we read only the first answer and never wait
 *    for EOF (a version that did hung), then unref everything so Node can exit.
 *  - cwd = bundle: conmon also writes `./oom` in its cwd.
 *  - conmon's own stdout/stderr go to a file (not a pipe): the daemon outlives our read
 *    end, and a full or closed pipe would block or kill it.
 *
 * The container is then `created`; RuncCli.start runs its process.
 *
 * conmon always creates (for non-exec sessions) an attach socket `<bundle>/attach`, linked
 * as `<socketDir>/<id>` → bundle, and a control FIFO `<bundle>/ctl`. With stdin/tty the
 * attach socket carries the container's stdin/console (kubectl attach); without them it
 * only ever sees output.
 */
import { spawn } from 'node:child_process';
import { constants, openSync, closeSync } from 'node:fs';
import { access, mkdir, open, readFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { realClock, type Clock } from '../../../../client/clock.js';
import { CriError } from '../../../cri/errors.js';
import { conmonArgs, parseSyncPipe, type ConmonContainer } from './conmon-args.js';

// what conmon leaves behind is read in exit-watch.ts; re-exported so the runtime needs one import
export { readExitCode, waitForExit, wasOomKilled } from './exit-watch.js';

export interface StartUnderConmonOptions extends ConmonContainer {
  /** default 'conmon' on PATH */
  conmonPath?: string;
  /** default 'runc' on PATH (resolved to an absolute path for conmon) */
  runcPath?: string;
  /** how long runc create may take before we give up; default 60 s */
  syncTimeoutMs?: number;
  clock?: Clock;
}

export interface ConmonStarted {
  containerPid: number;
  conmonPid: number;
}

/** conmon's own stdout/stderr (its warnings, and its reason when it dies before answering) */
export const conmonOutputPath = (persistDir: string): string => join(persistDir, 'conmon.out');
export const containerPidPath = (bundle: string): string => join(bundle, 'container.pid');
export const conmonPidPath = (bundle: string): string => join(bundle, 'conmon.pid');

/**
 * Spawn conmon, wait for its sync-pipe answer. On failure the container may have been
 * half-created: the caller still runs `runc delete --force` (idempotent) as cleanup.
 */
export async function startContainerUnderConmon(opts: StartUnderConmonOptions): Promise<ConmonStarted> {
  const clock = opts.clock ?? realClock;
  const runcPath = await resolveExecutable(opts.runcPath ?? 'runc');
  const conmonPath = opts.conmonPath ?? 'conmon';
  await Promise.all([opts.exitDir, opts.persistDir, opts.socketDir].map((d) => mkdir(d, { recursive: true })));
  const args = conmonArgs({ ...opts, runcPath, conmonPidFile: conmonPidPath(opts.bundle), containerPidFile: containerPidPath(opts.bundle) });
  const outputFd = openSync(conmonOutputPath(opts.persistDir), 'a');
  let answer: { ok: true; pid: number } | { ok: false; message: string };
  try {
    answer = await spawnAndReadSyncPipe(conmonPath, args, opts.bundle, outputFd, opts.syncTimeoutMs ?? 60_000, clock);
  } finally {
    closeSync(outputFd);
  }
  if (!answer.ok) {
    const said = (await readFile(conmonOutputPath(opts.persistDir), 'utf8').catch(() => '')).trim();
    const message = answer.message || said || 'conmon exited without an answer';
    throw new CriError(answer.message.startsWith('timed out') ? 'DeadlineExceeded' : 'Unknown', message);
  }
  const conmonPid = await readPidFile(conmonPidPath(opts.bundle));
  return { containerPid: answer.pid, conmonPid: conmonPid ?? 0 };
}

function spawnAndReadSyncPipe(
  conmonPath: string,
  args: string[],
  bundle: string,
  outputFd: number,
  timeoutMs: number,
  clock: Clock,
): Promise<{ ok: true; pid: number } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    const child = spawn(conmonPath, args, {
      cwd: bundle,
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', _OCI_SYNCPIPE: '3' },
      stdio: ['ignore', outputFd, outputFd, 'pipe'],
      detached: true, // its own process group: a signal to our group must not reach the shim
    });
    const syncPipe = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
    let received = '';
    let settled = false;
    const settle = (result: { ok: true; pid: number } | { ok: false; message: string }) => {
      if (settled) return;
      settled = true;
      cancelTimer();
      syncPipe.removeAllListeners('data');
      syncPipe.destroy(); // never wait for EOF: the daemon keeps its end open
      child.unref();
      resolve(result);
    };
    const cancelTimer = clock.setTimer(timeoutMs, () => {
      // the conmon we started is stuck: kill it (by pid: it is ours) and report
      killQuietly(child.pid);
      void readPidFile(conmonPidPath(bundle)).then((pid) => killQuietly(pid));
      settle({ ok: false, message: `timed out after ${timeoutMs}ms waiting for conmon to create the container` });
    });
    syncPipe.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      const parsed = parseSyncPipe(received);
      if ('incomplete' in parsed) return;
      settle(parsed);
    });
    syncPipe.on('end', () => settle({ ok: false, message: received.trim() ? `conmon sent an incomplete answer: ${received.slice(0, 200)}` : '' }));
    syncPipe.on('error', () => undefined);
    child.once('error', (err) => settle({ ok: false, message: `cannot run ${conmonPath}: ${err.message}` }));
  });
}

/**
 * Ask conmon to reopen its log file (CRI ReopenContainerLog, after the kubelet renamed the
 * file for rotation). conmon's control FIFO is `<bundle>/ctl`, reachable as
 * `<socketDir>/<id>/ctl` through conmon's symlink; the message is "<type> <h> <w>\n" with
 * type 2 = reopen logs (1 is a window resize, whose height/width are the other two).
 * When logPath is given, resolves only once conmon has created the new file.
 */
export async function reopenLog(socketDir: string, id: string, opts: { logPath?: string; timeoutMs?: number; pollMs?: number; clock?: Clock } = {}): Promise<void> {
  const fifo = join(socketDir, id, 'ctl');
  let handle;
  try {
    // non-blocking: with no reader (conmon gone) open fails with ENXIO instead of hanging
    handle = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CriError('NotFound', `container ${id}: no conmon control pipe at ${fifo}`);
    if (code === 'ENXIO') throw new CriError('FailedPrecondition', `container ${id} is not running (conmon is gone)`);
    throw new CriError('Unknown', `container ${id}: cannot open conmon control pipe: ${(err as Error).message}`);
  }
  try {
    await handle.write('2 0 0\n');
  } finally {
    await handle.close();
  }
  if (!opts.logPath) return;
  const clock = opts.clock ?? realClock;
  const deadline = clock.now() + (opts.timeoutMs ?? 5_000);
  for (;;) {
    if (await exists(opts.logPath)) return;
    if (clock.now() >= deadline) throw new CriError('DeadlineExceeded', `container ${id}: conmon did not reopen ${opts.logPath}`);
    await clock.sleep(opts.pollMs ?? 20);
  }
}

/** conmon needs an absolute runtime path (-r); find it on PATH like a shell would */
export async function resolveExecutable(name: string): Promise<string> {
  if (isAbsolute(name)) return name;
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  throw new CriError('Unavailable', `${name} not found on PATH`);
}

async function readPidFile(path: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number | undefined): void {
  if (!pid || pid <= 1) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}
