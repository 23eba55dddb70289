/**
 * The `runc exec` command line for a streaming exec, as a pure function (table-tested).
 *
 * Built the same way RuncCli.exec builds its own (process/runc-cli.ts): the runtime's own
 * `--root`, runc's errors in a JSON log file so they are never mixed into the process's
 * stderr, and `--pid-file` so close() can kill the exec'd process itself — runc exec is a
 * signal proxy, so killing runc alone would leave the process running in the container.
 *
 * No --env/--cwd/--user: given only arguments, runc exec takes the container's process
 * env, cwd and user from config.json, which is what CRI's exec means.
 * `-t` asks runc for a terminal; runc 1.1 then needs a terminal on its own stdio, which
 * the tty path provides (a pseudo-terminal from node-pty).
 */
export interface RuncExecArgvInput {
  root: string;
  logPath: string;
  pidFile: string;
  containerId: string;
  cmd: readonly string[];
  tty: boolean;
}

export function runcExecArgv(input: RuncExecArgvInput): string[] {
  return [
    '--root', input.root,
    '--log', input.logPath,
    '--log-format', 'json',
    'exec',
    '--pid-file', input.pidFile,
    ...(input.tty ? ['--tty'] : []),
    input.containerId,
    ...input.cmd,
  ];
}
