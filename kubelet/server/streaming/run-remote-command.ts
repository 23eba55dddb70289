/**
 * One exec or attach, once the client's streams are open (over SPDY or WebSocket — both
 * adapters give RemoteCommandStreams): start the runtime's session, pipe the client's
 * stdin and the terminal's resizes in and stdout/stderr out, and when the process is done
 * and its output has reached the client, write the exit Status (kube's order: output
 * first, so the last bytes are never lost behind the status).
 *
 * The connection ends the session too: a client that disconnects kills the exec'd
 * process (attach detaches), and so does the idle timer (kube's
 * streamingConnectionIdleTimeout: no bytes either way for that long). Errors on either
 * side end the session; none of them escapes as an unhandled event.
 */
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { StreamSession, TerminalSize } from '../../cri/streaming.js';
import type { RemoteCommandStreams } from './websocket/remote-command-streams.js';
import { errorStatus, exitStatus, successStatus, type RemoteCommandStatus } from './exit-status.js';
import type { IdleTimer } from './idle-timer.js';

export interface RemoteCommandRun {
  streams: RemoteCommandStreams;
  /** starts the runtime side; a rejection becomes the Failure status the client sees */
  open: () => Promise<StreamSession>;
  /** exec: the command (for the exit status's message); attach: undefined */
  command?: readonly string[];
  idle: IdleTimer;
  /** the session registry's hook: called with close() once the session is live */
  register?: (close: () => void) => () => void;
}

const quiet = () => {};

/** pipes `from` into `to` (ending it), counting activity; resolves when `to` has all of it */
function forward(from: Readable, to: Writable | undefined, idle: IdleTimer): Promise<void> {
  from.on('data', () => idle.touch());
  if (!to) {
    from.resume();
    return finished(from).catch(quiet);
  }
  from.pipe(to);
  // only our writing side: a SPDY stream is a Duplex whose read side (the client's) may never end
  return finished(to, { readable: false }).catch(quiet);
}

export async function runRemoteCommand(run: RemoteCommandRun): Promise<void> {
  const { streams, idle } = run;
  let session: StreamSession;
  try {
    session = await run.open();
  } catch (err) {
    idle.stop();
    await streams.finish(errorStatus(err instanceof Error ? err.message : String(err))).catch(quiet);
    return;
  }
  // starting the process (runc exec under load) can take a while: the clock starts now
  idle.touch();
  const close = () => session.close();
  const unregister = run.register?.(close) ?? quiet;
  idle.onIdle(() => {
    close();
    streams.destroy();
  });
  void streams.closed.then(close, close);

  if (streams.stdin) {
    streams.stdin.on('error', quiet);
    streams.stdin.on('data', () => idle.touch());
    if (session.stdin) {
      session.stdin.on('error', quiet); // EPIPE once the process exited
      streams.stdin.pipe(session.stdin);
    } else {
      streams.stdin.resume();
    }
  }
  streams.resizes?.on('data', (size: TerminalSize) => session.resize(size));
  streams.resizes?.on('error', quiet);

  const outputs = [forward(session.stdout, streams.stdout, idle)];
  if (session.stderr) outputs.push(forward(session.stderr, streams.stderr, idle));

  let status: RemoteCommandStatus;
  try {
    const { exitCode } = await session.done;
    status = run.command && exitCode !== undefined ? exitStatus(run.command, exitCode) : successStatus();
  } catch (err) {
    status = errorStatus(err instanceof Error ? err.message : String(err));
  }
  await Promise.all(outputs);
  idle.stop();
  unregister();
  await streams.finish(status).catch(quiet);
}
