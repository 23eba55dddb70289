/**
 * attach: the container's main process stdio, through conmon's attach socket
 * (`<socketDir>/<id>/attach`, SOCK_SEQPACKET, see conmon-attach-protocol.ts), reached
 * through a small relay (seqpacket-relay.ts: Node has no SOCK_SEQPACKET of its own).
 *
 * Output: conmon sends to every attached client; packets are split by their stream byte
 * into stdout/stderr (with a tty only stdout). The protocol has no backpressure (conmon
 * never blocks the container on an attach client: it drops what a client's socket cannot
 * take), so we do what conmon does: output beyond attachMaxBufferedBytes waiting for a
 * slow reader is dropped, which bounds memory.
 * Input: stdin bytes are written raw. stdin.end() shuts our write side down, which makes
 * conmon close the container's stdin (unless conmon runs with --leave-stdin-open).
 * Resize: the ctl FIFO `<socketDir>/<id>/ctl`, opened non-blocking so a dead conmon
 * (no reader) fails at once instead of hanging.
 *
 * done: when conmon closes the socket (the container exited) → the container's exit code
 * from its exit file, if it shows up within attachExitWaitMs; after our own close()
 * (the client detached) → no exit code.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { connectSeqpacket as connectRelay, type SeqpacketClient } from './seqpacket-relay.js';
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
  socket.on('packet', (packet: Buffer) => {
    const p = parseAttachPacket(packet);
    if (p.stream !== 'stdout' && p.stream !== 'stderr') return;
    const target = p.stream === 'stderr' && !input.tty ? stderr : stdout;
    if (target.writableLength + p.data.length > settings.attachMaxBufferedBytes) return; // see the header
    target.write(p.data);
  });
  socket.on('closed', onClosed);

  const stdin = input.stdin
    ? new Writable({
        write(chunk: Buffer, _encoding, callback) {
          if (socketClosed) return callback();
          socket.write(chunk, () => callback());
        },
        final(callback) {
          if (!socketClosed) socket.end();
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
      socket.close();
      // the relay's exit may come later: the session ends now
      setImmediate(onClosed);
    },
  };
}

/** the attach socket, with the runtime's messages when it cannot be reached */
async function connectSeqpacket(dir: string, name: string, id: string): Promise<SeqpacketClient> {
  try {
    return await connectRelay(dir, name);
  } catch (err) {
    const noSocket = (err as { noSocket?: boolean }).noSocket === true;
    const message = err instanceof Error ? err.message : String(err);
    throw noSocket
      ? new CriError('NotFound', `container ${id}: no conmon attach socket at ${join(dir, name)}`)
      : new CriError('Unknown', `failed to attach to container ${id}: ${message}`);
  }
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
