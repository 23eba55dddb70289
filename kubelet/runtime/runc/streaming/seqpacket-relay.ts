/**
 * A client of a SOCK_SEQPACKET unix socket (conmon's attach socket), through a small
 * python3 relay process: Node's net speaks only SOCK_STREAM, and the one npm package that
 * speaks SEQPACKET (node-unix-socket) was tried and dropped — its arm64 and other
 * platform builds are missing from the registry (404), which also breaks `npm ci`, and its
 * native core aborts the whole process when a socket is destroyed inside one of its own
 * callbacks. python3 (Debian's, /usr/bin/python3, on every machine of ours) is what the
 * relay needs; the script is below, written for this job.
 *
 * Wire between us and the relay:
 *   our writes → the relay's stdin, sent as packets of at most 8 KiB (conmon reads
 *     attach input 8 KiB at a time); the end of our writes → shutdown(SHUT_WR), which conmon
 *     takes as the client's end of stdin;
 *   every packet received → the relay's stdout as a 4-byte big-endian length, then the
 *     packet; one empty frame first says "connected". The relay's stdout blocks when we do
 *     not read, so a slow reader stops the relay reading the socket (conmon then drops
 *     for that client, as it does for any slow attach client) — memory stays bounded.
 *   The relay exits when the socket ends (conmon closed it: the container exited).
 * close() kills the relay by its pid, which drops the connection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';

const RELAY = String.raw`
import os, selectors, socket, struct, sys
directory, name = sys.argv[1], sys.argv[2]
out = sys.stdout.buffer
try:
    # unix socket paths are limited to 107 bytes: reach the socket through a directory fd
    dirfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect('/proc/self/fd/%d/%s' % (dirfd, name))
    os.close(dirfd)
except OSError as e:
    sys.stderr.write('%s\n' % (e.strerror or e))
    sys.exit(3 if e.errno == 2 else 4)
out.write(struct.pack('>I', 0)); out.flush()
sel = selectors.DefaultSelector()
sel.register(s, selectors.EVENT_READ)
sel.register(0, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        if key.fileobj is s:
            try:
                packet = s.recv(65536)
            except OSError:
                packet = b''
            if not packet:
                sys.exit(0)
            out.write(struct.pack('>I', len(packet)) + packet); out.flush()
        else:
            data = os.read(0, 8192)
            if not data:
                sel.unregister(0)
                try:
                    s.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            else:
                try:
                    s.send(data)
                except OSError:
                    sys.exit(0)
`;

const python = (): string => (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** what the relay's exit status says about the connect */
export const RELAY_EXIT_NO_SOCKET = 3;

export interface SeqpacketClient extends EventEmitter {
  on(event: 'packet', listener: (packet: Buffer) => void): this;
  /** the connection ended (either side); `error` is set when it never connected */
  on(event: 'closed', listener: (error?: { noSocket: boolean; message: string }) => void): this;
  write(data: Buffer, done: () => void): void;
  /** no more writes: the peer sees our end of input */
  end(): void;
  close(): void;
}

/** splits the relay's stdout into frames; pure state, table-tested */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (this.pending.length < 4 + length) break;
      frames.push(this.pending.subarray(4, 4 + length));
      this.pending = this.pending.subarray(4 + length);
    }
    return frames;
  }
}

/** resolves once connected; rejects with the relay's reason when it could not connect */
export function connectSeqpacket(directory: string, name: string): Promise<SeqpacketClient> {
  const child: ChildProcess = spawn(python(), ['-c', RELAY, directory, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  const client = new EventEmitter() as SeqpacketClient;
  const splitter = new FrameSplitter();
  let connected = false;
  let stderr = '';
  child.stdin!.on('error', () => undefined);
  child.stdout!.on('error', () => undefined);
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString('utf8');
  });
  // events go out on a later turn, in order: the packets that arrive with the "connected"
  // frame must wait until the caller, resumed by the promise, has attached its listeners
  const later = (event: 'packet' | 'closed', packet?: Buffer) => setImmediate(() => (packet ? client.emit(event, packet) : client.emit(event)));
  return new Promise((resolve, reject) => {
    child.on('error', (err) => reject(err));
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const frame of splitter.push(chunk)) {
        if (!connected && frame.length === 0) {
          connected = true;
          resolve(client);
        } else if (frame.length > 0) {
          later('packet', frame);
        }
      }
    });
    child.on('close', (code) => {
      if (!connected) {
        const error = { noSocket: code === RELAY_EXIT_NO_SOCKET, message: stderr.trim() || `attach relay exited with ${code}` };
        reject(Object.assign(new Error(error.message), error));
        return;
      }
      later('closed');
    });
    client.write = (data, done) => {
      if (child.stdin!.destroyed || child.stdin!.writableEnded) return done();
      child.stdin!.write(data, () => done());
    };
    client.end = () => {
      if (!child.stdin!.writableEnded) child.stdin!.end();
    };
    client.close = () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      // our ends of its pipes go now, not whenever the exit is noticed
      for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
    };
  });
}
