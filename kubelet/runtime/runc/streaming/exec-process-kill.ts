/**
 * Ending an exec'd process for good. `runc exec` is a signal proxy: a SIGKILL to runc
 * kills runc and leaves the process running inside the container, so the session kills
 * the exec'd process itself (its host pid, from runc's --pid-file), after which runc
 * exits on its own. Only when runc never wrote the pid file (it failed or is stuck before
 * starting the process) or does not exit afterwards is runc itself killed.
 *
 * Both pids are ours: runc is our child and the exec'd process was started by it for us.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../../../client/clock.js';

export async function readPid(pidFile: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

export function killQuietly(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pid || pid <= 1) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

export interface KillExecInput {
  pidFile: string;
  /** runc's pid (our child) */
  runcPid: number | undefined;
  /** resolves once runc has exited */
  runcExited: Promise<unknown>;
  /** how long to wait for the pid file */
  pidWaitMs: number;
  /** how long runc may take to exit once its process is dead */
  runcExitWaitMs: number;
  pollMs?: number;
  clock: Clock;
}

/** kills the exec'd process (then runc, if it lingers); resolves when runc is gone or given up on */
export async function killExecProcess(input: KillExecInput): Promise<void> {
  let exited = false;
  void input.runcExited.then(() => (exited = true));
  const deadline = input.clock.now() + input.pidWaitMs;
  let pid: number | undefined;
  for (;;) {
    if (exited) return;
    pid = await readPid(input.pidFile);
    if (pid !== undefined || input.clock.now() >= deadline) break;
    await input.clock.sleep(input.pollMs ?? 20);
  }
  if (pid !== undefined) {
    killQuietly(pid);
    const gone = await Promise.race([input.runcExited.then(() => true), input.clock.sleep(input.runcExitWaitMs).then(() => false)]);
    if (gone) return;
  }
  killQuietly(input.runcPid);
  // the process may have been started just after we looked: look once more
  killQuietly(await readPid(input.pidFile));
}
