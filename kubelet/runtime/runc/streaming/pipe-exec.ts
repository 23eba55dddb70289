/**
 * exec without a terminal: `runc exec` in the foreground with pipes. runc hands its own
 * stdio to the exec'd process (no copying), so stdout/stderr are runc's pipes and stdin is
 * a pipe only when asked for (else /dev/null, as CRI says).
 *
 * runc's own failures (the command does not exist, the container stopped meanwhile): with
 * --log, runc's log lines go to the file and only its final error is printed, once, as
 * plain text on stderr (`exec failed: unable to start container process: exec:
 * "/nope": …`, exit 255), so the user sees why without log noise.
 *
 * The session ends when runc exits and its pipes closed — or ioDrainMs after runc exited
 * when a background child of the command keeps them open (the pipes are then dropped, so
 * a client never hangs on a daemon it started).
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import type { Clock } from '../../../../client/clock.js';
import type { StreamSession } from '../../../cri/streaming.js';
import { runcExecArgv } from './exec-argv.js';
import { exitCodeOf } from './exit-status.js';
import { killExecProcess } from './exec-process-kill.js';
import type { RuncStreamingSettings } from './streaming-settings.js';

export interface ExecFiles {
  logPath: string;
  pidFile: string;
}

export interface PipeExecInput {
  runcPath: string;
  runcRoot: string;
  containerId: string;
  cmd: string[];
  stdin: boolean;
  files: ExecFiles;
  settings: RuncStreamingSettings;
  clock: Clock;
}

export function startPipeExec(input: PipeExecInput): StreamSession {
  const { files, settings, clock } = input;
  const argv = runcExecArgv({ root: input.runcRoot, logPath: files.logPath, pidFile: files.pidFile, containerId: input.containerId, cmd: input.cmd, tty: false });
  const child = spawn(input.runcPath, argv, {
    stdio: [input.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    // its own process group: a Ctrl-C at the kubelet's terminal must not reach the session
    detached: true,
  });
  // stdout/stderr the client reads: PassThroughs we can end even when a leftover child
  // keeps runc's pipes open
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const runcOut = child.stdout!;
  const runcErr = child.stderr!;
  runcOut.pipe(stdout, { end: false });
  runcErr.pipe(stderr, { end: false });
  for (const s of [runcOut, runcErr, stdout, stderr]) s.on('error', () => undefined);
  child.stdin?.on('error', () => undefined); // EPIPE once the process exited

  let runcExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const runcExited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      runcExit = { code, signal };
      resolve();
    });
    child.once('error', (err) => {
      runcExit = { code: 255, signal: null };
      stderr.write(`cannot run ${input.runcPath}: ${err.message}\n`);
      resolve();
    });
  });
  const outputsEnded = Promise.all([ended(runcOut), ended(runcErr)]);

  const done = (async () => {
    await runcExited;
    let cancel = (): void => undefined;
    await Promise.race([outputsEnded, new Promise<void>((resolve) => (cancel = clock.setTimer(settings.ioDrainMs, resolve)))]);
    cancel();
    runcOut.unpipe(stdout);
    runcErr.unpipe(stderr);
    runcOut.destroy();
    runcErr.destroy();
    child.stdin?.destroy();
    const exitCode = exitCodeOf(runcExit?.code ?? null, runcExit?.signal);
    await Promise.all([rm(files.logPath, { force: true }), rm(files.pidFile, { force: true })]);
    stdout.end();
    stderr.end();
    return { exitCode };
  })();

  let closing: Promise<void> | undefined;
  return {
    ...(child.stdin ? { stdin: child.stdin } : {}),
    stdout,
    stderr,
    resize: () => undefined,
    done,
    close() {
      closing ??= killExecProcess({
        pidFile: files.pidFile,
        runcPid: child.pid,
        runcExited,
        pidWaitMs: settings.execKillWaitMs,
        runcExitWaitMs: settings.runcExitWaitMs,
        clock,
      }).catch(() => undefined);
    },
  };
}

function ended(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.readableEnded) return resolve();
    stream.once('close', resolve);
  });
}
