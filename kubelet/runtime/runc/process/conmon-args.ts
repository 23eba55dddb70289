/**
 * conmon's command line and its sync-pipe answer, as pure functions (table-tested).
 *
 * conmon is CRI-O's per-container shim: it runs `runc create` with its own pipes as the
 * container's stdio, becomes the subreaper that can wait() for the container, writes the
 * exit code to `<exitDir>/<id>`, the CRI-format log (`-l k8s-file:PATH`), and an `oom` file
 * in `--persist-dir` when the cgroup OOM-killed the container. The flags below are the ones
 * runtime-recipe §4(a) tested with conmon 2.1.6.
 */

/** the container and where conmon keeps its files: what the runtime gives to start one (./conmon.ts) */
export interface ConmonContainer {
  runcRoot: string;
  id: string;
  bundle: string;
  /** the CRI log file the kubelet reads */
  logPath: string;
  exitDir: string;
  persistDir: string;
  socketDir: string;
  stdin?: boolean;
  /** CRI's stdinOnce: the container's stdin closes when the first attach client leaves */
  stdinOnce?: boolean;
  tty?: boolean;
  /** bytes; conmon truncates the log when it passes this (kubelet rotates first normally) */
  logSizeMax?: number;
}

export interface ConmonArgsInput extends ConmonContainer {
  runcPath: string;
  /** conmon's own pid file and the container's pid file */
  conmonPidFile: string;
  containerPidFile: string;
  logLevel?: 'debug' | 'info' | 'warning' | 'error';
}

export function conmonArgs(input: ConmonArgsInput): string[] {
  const args = [
    '--api-version', '1',
    '-c', input.id,
    '-u', input.id,
    '-n', input.id,
    '-r', input.runcPath,
    '--runtime-arg', `--root=${input.runcRoot}`,
    '-b', input.bundle,
    '-p', input.containerPidFile,
    '-P', input.conmonPidFile,
    '-l', `k8s-file:${input.logPath}`,
    '--exit-dir', input.exitDir,
    '--persist-dir', input.persistDir,
    '--socket-dir-path', input.socketDir,
    '--log-level', input.logLevel ?? 'error',
  ];
  // -t makes conmon hand runc a --console-socket (config.json must say terminal:true);
  // -i keeps a stdin pipe that the attach socket feeds (kubectl attach / run -i).
  if (input.tty) args.push('-t');
  if (input.stdin) args.push('-i');
  // conmon closes the container's stdin when an attach client detaches, unless told not to:
  // that is stdinOnce; without it, stdin stays open for the next attach (CRI-O's rule)
  if (input.stdin && !input.stdinOnce) args.push('--leave-stdin-open');
  if (input.logSizeMax !== undefined && input.logSizeMax > 0) args.push('--log-size-max', String(input.logSizeMax));
  return args;
}

export type SyncPipeAnswer = { ok: true; pid: number } | { ok: false; message: string } | { incomplete: true };

/**
 * conmon writes one JSON object to the sync pipe once `runc create` returned:
 * `{"data": 1234}` (the container's pid) or `{"data": -1, "message": "…runc's error…"}`.
 * It keeps the pipe open afterwards (it daemonises), so we parse as soon as one complete
 * object has arrived instead of waiting for EOF.
 */
export function parseSyncPipe(received: string): SyncPipeAnswer {
  const newline = received.indexOf('\n');
  const candidate = (newline >= 0 ? received.slice(0, newline) : received).trim();
  if (!candidate) return { incomplete: true };
  let value: { data?: unknown; message?: unknown };
  try {
    value = JSON.parse(candidate) as typeof value;
  } catch {
    // a partial object: wait for more, unless a newline says this was all of it
    return newline >= 0 ? { ok: false, message: `conmon sent an unreadable answer: ${candidate.slice(0, 200)}` } : { incomplete: true };
  }
  const pid = typeof value.data === 'number' ? value.data : Number.NaN;
  if (Number.isInteger(pid) && pid > 0) return { ok: true, pid };
  const message = typeof value.message === 'string' && value.message ? value.message : `conmon reported failure (data ${String(value.data)})`;
  return { ok: false, message: cleanRuncFailure(message) };
}

/**
 * conmon wraps runc's stderr ("runc create failed: unable to start container process:
 * exec: \"/nope\": stat /nope: no such file or directory" possibly with logrus framing);
 * keep the text the user needs, and the whole thing when it does not look like that.
 */
export function cleanRuncFailure(message: string): string {
  const logrus = /msg="((?:[^"\\]|\\.)*)"/.exec(message);
  let text = message;
  if (logrus?.[1]) {
    try {
      text = JSON.parse(`"${logrus[1]}"`) as string;
    } catch {
      text = logrus[1];
    }
  }
  return text.trim();
}
