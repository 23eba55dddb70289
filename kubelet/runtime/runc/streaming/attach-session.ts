/**
 * attach: the container's main process stdio, through conmon's attach socket
 * (`<socketDir>/<id>/attach`, SOCK_SEQPACKET, see conmon-attach-protocol.ts), with
 * node-unix-socket's SeqpacketSocket (Node has no SOCK_SEQPACKET of its own).
 *
 * RULE (node-unix-socket): a socket is never destroyed synchronously inside one of its
 * own callbacks — its native core aborts the process — so every destroy goes through
 * setImmediate.
 *
 * Output: conmon sends to every attached client; packets are split by their stream byte
 * into stdout/stderr (with a tty only stdout). The protocol has no backpressure (conmon
 * never blocks the container on an attach client: it drops what a client's socket cannot
 * take), and node-unix-socket cannot pause reading, so we do what conmon does: output
 * beyond attachMaxBufferedBytes waiting for a slow reader is dropped, which bounds memory.
 * Input: stdin bytes are written raw. stdin.end() shuts our write side down, which makes
 * conmon close the container's stdin (unless conmon runs with --leave-stdin-open).
 * Resize: the ctl FIFO `<socketDir>/<id>/ctl`, opened non-blocking so a dead conmon
 * (no reader) fails at once instead of hanging.
 *
 * done: when conmon closes the socket (the container exited) → the container's exit code
 * from its exit file, if it shows up within attachExitWaitMs; after our own close()
 * (the client detached) → no exit code.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { SeqpacketSocket } from 'node-unix-socket';
import type { Clock } from '../../../../client/clock.js';
import { CriError } from '../../../cri/errors.js';
import type { StreamSession, TerminalSize } from '../../../cri/streaming.js';
import { parseAttachPacket, resizeControlMessage } from './conmon-attach-protocol.js';
import type { RuncStreamingSettings } from './streaming-settings.js';

export interface AttachInput {
  socketsDir: string;
  containerId: string;
  tty: boolean;
  stdin: boolean;
  /** the container's exit code once conmon wrote it */
  exitCode: () => Promise<number | undefined>;
  settings: RuncStreamingSettings;
  clock: Clock;
}

export async function startAttach(input: AttachInput): Promise<StreamSession> {
  const { settings, clock } = input;
  const dir = join(input.socketsDir, input.containerId);
  const socket = await connectSeqpacket(dir, 'attach', input.containerId);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('error', () => undefined);
  stderr.on('error', () => undefined);

  let detached = false;
  let socketClosed = false;
  let resolveClosed!: () => void;
  const closedPromise = new Promise<void>((resolve) => (resolveClosed = resolve));
  const onClosed = () => {
    if (socketClosed) return;
    socketClosed = true;
    resolveClosed();
  };
  socket.on('data', (packet: Buffer) => {
    const p = parseAttachPacket(packet);
    if (p.stream !== 'stdout' && p.stream !== 'stderr') return;
    const target = p.stream === 'stderr' && !input.tty ? stderr : stdout;
    if (target.writableLength + p.data.length > settings.attachMaxBufferedBytes) return; // see the header
    target.write(p.data);
  });
  socket.on('error', () => onClosed());
  socket.on('end', () => {
    onClosed();
    destroyLater(socket);
  });
  socket.on('close', onClosed);

  const stdin = input.stdin
    ? new Writable({
        write(chunk: Buffer, _encoding, callback) {
          if (socketClosed) return callback();
          try {
            socket.write(chunk, 0, chunk.length, () => callback());
          } catch {
            callback();
          }
        },
        final(callback) {
          try {
            if (!socketClosed) socket.end();
          } catch {
            /* already closed */
          }
          callback();
        },
      })
    : undefined;
  stdin?.on('error', () => undefined);

  const done = closedPromise.then(async () => {
    stdout.end();
    stderr.end();
    if (detached) return {};
    const exitCode = await waitForExitCode(input.exitCode, settings.attachExitWaitMs, settings.attachExitPollMs, clock);
    return exitCode === undefined ? {} : { exitCode };
  });

  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    ...(input.tty ? {} : { stderr }),
    resize(size) {
      if (!input.tty || socketClosed) return;
      void writeResize(join(dir, 'ctl'), size);
    },
    done,
    close() {
      if (detached || socketClosed) return;
      detached = true;
      destroyLater(socket);
      // conmon may never tell us (the socket is ours to close): end the session now
      setImmediate(onClosed);
    },
  };
}

/**
 * A unix socket path is limited to 107 bytes, and `<state dir>/s/<64-hex id>/attach` is
 * longer under most state dirs. So the directory is opened and the socket reached as
 * `/proc/self/fd/<dir fd>/attach` (podman does the same with an O_PATH fd). The dir fd is
 * closed once the connect settled.
 */
function connectSeqpacket(dir: string, name: string, id: string): Promise<SeqpacketSocket> {
  const path = join(dir, name);
  let dirFd: number;
  try {
    dirFd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return Promise.reject(
      code === 'ENOENT'
        ? new CriError('NotFound', `container ${id}: no conmon attach socket at ${path}`)
        : new CriError('Unknown', `failed to attach to container ${id}: ${(err as Error).message}`),
    );
  }
  const closeDir = () => {
    try {
      closeSync(dirFd);
    } catch {
      /* closed */
    }
  };
  return new Promise<SeqpacketSocket>((resolve, reject) => {
    const socket = new SeqpacketSocket();
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      closeDir();
      destroyLater(socket);
      const code = (err as NodeJS.ErrnoException)?.code;
      const message = err instanceof Error ? err.message : String(err);
      reject(
        code === 'ENOENT' || /ENOENT|No such file/i.test(message)
          ? new CriError('NotFound', `container ${id}: no conmon attach socket at ${path}`)
          : new CriError('Unknown', `failed to attach to container ${id}: ${message}`),
      );
    };
    socket.once('error', fail);
    try {
      socket.connect(`/proc/self/fd/${dirFd}/${name}`, () => {
        if (settled) return;
        settled = true;
        closeDir();
        socket.removeListener('error', fail);
        resolve(socket);
      });
    } catch (err) {
      fail(err);
    }
  });
}

/** never inside the socket's own callback (see the header) */
function destroyLater(socket: SeqpacketSocket): void {
  setImmediate(() => {
    try {
      socket.destroy();
    } catch {
      /* already destroyed */
    }
  });
}

async function writeResize(fifo: string, size: TerminalSize): Promise<void> {
  try {
    const handle = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      await handle.write(resizeControlMessage(size));
    } finally {
      await handle.close();
    }
  } catch {
    /* conmon is gone: the session ends on its own */
  }
}

async function waitForExitCode(read: () => Promise<number | undefined>, withinMs: number, pollMs: number, clock: Clock): Promise<number | undefined> {
  const deadline = clock.now() + withinMs;
  for (;;) {
    const code = await read().catch(() => undefined);
    if (code !== undefined || clock.now() >= deadline) return code;
    await clock.sleep(pollMs);
  }
}
