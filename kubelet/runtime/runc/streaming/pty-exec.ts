/**
 * exec with a terminal. runc 1.1 refuses `exec --tty` unless its own stdio is a terminal
 * (it makes that terminal raw and copies it to and from the container's new console), so
 * runc runs inside a pseudo-terminal from node-pty: what the client types goes to the
 * pty, the pty's output is the session's stdout (bytes: the pty is created with
 * `encoding: null`, so multi-byte characters split across reads are never mangled).
 * Echo, line editing and Ctrl-C (0x03) all come from the container's own terminal.
 *
 * resize() resizes our pty; the kernel sends runc SIGWINCH and runc resizes the
 * container's console to match (the exec'd shell gets its own SIGWINCH from that).
 *
 * stdin EOF on a tty: nothing is written. containerd and CRI-O close their copy of stdin
 * and leave the terminal alone — a terminal has no EOF of its own, only the VEOF
 * character, which a client that wants it sends itself (kubectl sends raw keystrokes, so
 * a user's Ctrl-D arrives as 0x04 anyway).
 *
 * Output backpressure: when the reader is slow the pty is paused, so the container's
 * writes block in its terminal instead of growing our memory.
 */
import pty from 'node-pty';
import { rm } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import type { Clock } from '../../../../client/clock.js';
import type { StreamSession, TerminalSize } from '../../../cri/streaming.js';
import { runcExecArgv } from './exec-argv.js';
import { killExecProcess, killQuietly } from './exec-process-kill.js';
import type { ExecFiles } from './pipe-exec.js';
import type { RuncStreamingSettings } from './streaming-settings.js';

export interface PtyExecInput {
  /** absolute (node-pty execs the file without a PATH search of ours) */
  runcPath: string;
  runcRoot: string;
  containerId: string;
  cmd: string[];
  stdin: boolean;
  size?: TerminalSize;
  files: ExecFiles;
  settings: RuncStreamingSettings;
  clock: Clock;
}

const DEFAULT_SIZE: TerminalSize = { width: 80, height: 24 };

/** a winsize holds 16-bit values, and 0 rows/cols would confuse every program */
const dimension = (n: number | undefined, fallback: number): number => (n && Number.isFinite(n) && n > 0 ? Math.min(65535, Math.trunc(n)) : fallback);

export function startPtyExec(input: PtyExecInput): StreamSession {
  const { files, settings, clock } = input;
  const argv = runcExecArgv({ root: input.runcRoot, logPath: files.logPath, pidFile: files.pidFile, containerId: input.containerId, cmd: input.cmd, tty: true });
  const term = pty.spawn(input.runcPath, argv, {
    name: 'xterm',
    cols: dimension(input.size?.width, DEFAULT_SIZE.width),
    rows: dimension(input.size?.height, DEFAULT_SIZE.height),
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    encoding: null,
  });
  let exited = false;
  const stdout = new Readable({
    read() {
      if (!exited) term.resume();
    },
  });
  stdout.on('error', () => undefined);
  // with encoding null node-pty hands out Buffers; its typings still say string
  term.onData((chunk: string | Buffer) => {
    if (!stdout.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)) term.pause();
  });

  let resolveExit!: (code: number) => void;
  const runcExited = new Promise<number>((resolve) => (resolveExit = resolve));
  // node-pty reports exit once the pty's output was read to the end (it waits for the close)
  term.onExit(({ exitCode, signal }) => {
    exited = true;
    resolveExit(signal ? 128 + signal : exitCode);
  });

  const stdin = input.stdin
    ? new Writable({
        write(chunk: Buffer, _encoding, callback) {
          if (!exited) {
            try {
              term.write(chunk);
            } catch {
              /* the pty closed under us: the session is ending */
            }
          }
          callback();
        },
        final(callback) {
          callback(); // see the header: a terminal gets no EOF from us
        },
      })
    : undefined;
  stdin?.on('error', () => undefined);

  const done = runcExited.then(async (exitCode) => {
    stdout.push(null);
    await Promise.all([rm(files.logPath, { force: true }), rm(files.pidFile, { force: true })]);
    return { exitCode };
  });

  let closing: Promise<void> | undefined;
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    resize(size) {
      if (exited) return;
      try {
        term.resize(dimension(size.width, DEFAULT_SIZE.width), dimension(size.height, DEFAULT_SIZE.height));
      } catch {
        /* the pty is closing */
      }
    },
    done,
    close() {
      closing ??= killExecProcess({
        pidFile: files.pidFile,
        runcPid: term.pid,
        runcExited,
        pidWaitMs: settings.execKillWaitMs,
        runcExitWaitMs: settings.runcExitWaitMs,
        clock,
      })
        .then(async () => {
          // runc gone but node-pty never reported it (it should): free the pty ourselves
          const gone = await Promise.race([runcExited.then(() => true), clock.sleep(settings.runcExitWaitMs).then(() => false)]);
          if (!gone) {
            killQuietly(term.pid);
            exited = true;
            resolveExit(137);
          }
        })
        .catch(() => undefined);
    },
  };
}
