/**
 * exec/attach over SPDY/3.1 (kubectl 1.27–1.29, and the fallback of later versions):
 * the client opens one SPDY stream per standard stream, named by its `streamtype` header
 * (error, stdin, stdout, stderr, resize), each of which must be answered with a SYN_REPLY
 * before the client opens the next. The command starts once every stream the query asked
 * for is open (kube waits the same way, for streamCreationTimeout); after it ends, the exit
 * Status goes on the error stream (v4: the Status JSON; v1–v3: the message, only on
 * failure), and the connection is closed.
 */
import type { SpdySession, SpdyStream } from '../../../client/spdy/session.js';
import type { Clock } from '../../../client/clock.js';
import type { StdioFlags } from './stream-request.js';
import type { RemoteCommandStreams } from './websocket/remote-command-streams.js';
import { ResizeDecoder } from './resize-decoder.js';
import { encodeFinishStatus } from './websocket/finish-status.js';

export interface SpdyRemoteCommandOptions {
  protocol: string;
  expect: StdioFlags;
  clock: Clock;
  /** how long the client has to open its streams (kube: 30 s) */
  streamCreationTimeoutMs: number;
}

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

/** the streams the client will open for these flags */
export function expectedStreamTypes(expect: StdioFlags): StreamType[] {
  const types: StreamType[] = ['error'];
  if (expect.stdin) types.push('stdin');
  if (expect.stdout) types.push('stdout');
  if (expect.stderr && !expect.tty) types.push('stderr');
  if (expect.tty) types.push('resize');
  return types;
}

const quiet = () => {};

/** resolves once every expected stream is open; rejects on timeout or a closed connection */
export function spdyRemoteCommand(session: SpdySession, options: SpdyRemoteCommandOptions): Promise<RemoteCommandStreams> {
  const wanted = new Set(expectedStreamTypes(options.expect));
  const got = new Map<StreamType, SpdyStream>();
  const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));

  return new Promise((resolve, reject) => {
    const cancelTimer = options.clock.setTimer(options.streamCreationTimeoutMs, () => {
      session.off('stream', onStream);
      session.destroy();
      reject(new Error('timed out waiting for client to create streams'));
    });
    void closed.then(() => {
      cancelTimer();
      reject(new Error('the client closed the connection before opening its streams'));
    });
    const onStream = (stream: SpdyStream) => {
      stream.on('error', quiet);
      const type = stream.headers['streamtype'] as StreamType | undefined;
      stream.respond();
      if (!type || !wanted.has(type) || got.has(type)) {
        // kube refuses a stream it did not expect; the client sees the reset
        stream.reset();
        return;
      }
      got.set(type, stream);
      if (got.size < wanted.size) return;
      cancelTimer();
      session.off('stream', onStream);
      resolve(assemble(session, got, options.protocol, closed));
    };
    session.on('stream', onStream);
  });
}

function assemble(session: SpdySession, got: Map<StreamType, SpdyStream>, protocol: string, closed: Promise<void>): RemoteCommandStreams {
  const error = got.get('error')!;
  // the client half-closes the error stream at once; read it so its end is seen
  error.resume();
  const stdin = got.get('stdin');
  const stdout = got.get('stdout');
  const stderr = got.get('stderr');
  const resize = got.get('resize');
  let resizes: ResizeDecoder | undefined;
  if (resize) {
    resizes = new ResizeDecoder();
    resize.pipe(resizes);
  }
  // stdout/stderr that the client did not ask for are never written; the runner drains them
  for (const s of [stdout, stderr]) s?.on('error', quiet);
  const v4 = protocol === 'v4.channel.k8s.io';
  return {
    protocol,
    ...(stdin ? { stdin } : {}),
    ...(stdout ? { stdout } : {}),
    ...(stderr ? { stderr } : {}),
    ...(resizes ? { resizes } : {}),
    async finish(status) {
      const bytes = encodeFinishStatus(v4, status);
      await new Promise<void>((resolve) => {
        if (error.destroyed || error.writableEnded) return resolve();
        error.end(bytes, () => resolve());
      });
      session.close();
    },
    destroy: () => session.destroy(),
    closed,
  };
}

