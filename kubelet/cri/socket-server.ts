/**
 * The runtime's side of the unix-socket transport: serves a Runtime to kubelets that dial
 * `socketPath` (connectRuntime in socket-client.ts). CRI runtimes speak gRPC; we keep
 * the same shape — one request, one response, over a local socket — without HTTP/2.
 *
 * Wire format, both directions: a stream of frames, each a 4-byte big-endian length then
 * a protobuf `k8ts.cri.v1.Frame` (cri.proto):
 *
 *   call:    { id: 7, method: "RunPodSandbox", payload: <RunPodSandboxRequest> }
 *   answer:  { id: 7, payload: <RunPodSandboxResponse> }
 *        or  { id: 7, error_code: "NotFound", error_message: "pod sandbox \"abc\" not found" }
 *
 * The client picks ids; answers go back as each call finishes, so a slow PullImage does
 * not hold up a ContainerStatus behind it. An rpc we do not know (or the runtime does not
 * implement) is answered Unimplemented; a request that does not decode, InvalidArgument;
 * a thrown non-CriError, Unknown with its message. A frame that is not a Frame means the
 * stream is corrupt: that connection is dropped (its calls fail Unavailable on the client).
 *
 * The socket file is made 0600 (only the owner — the kubelet's user — may drive the
 * runtime). A socket file left by a dead server is replaced; one a live server answers on
 * is not.
 */
import { lstat, chmod, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Runtime } from './api.js';
import { decodeFrame, decodeRequest, encodeFrame, encodeResponse, methodCodecByRpc } from './codec.js';
import { CriError, isCriError } from './errors.js';
import { LengthPrefixedReader, withLengthPrefix } from './length-prefixed-frames.js';

export interface RuntimeServer {
  readonly socketPath: string;
  /** stops accepting, drops open connections, removes the socket file; the runtime itself stays open */
  close(): Promise<void>;
}

export interface ServeRuntimeOptions {
  /** told about connections dropped for corrupt frames (default: ignored) */
  onConnectionError?: (err: Error) => void;
}

export async function serveRuntime(impl: Runtime, socketPath: string, options: ServeRuntimeOptions = {}): Promise<RuntimeServer> {
  await removeStaleSocket(socketPath);
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(impl, socket, options);
  });
  await listen(server, socketPath);
  try {
    await chmod(socketPath, 0o600);
  } catch (err) {
    server.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    socketPath,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of connections) socket.destroy();
        await stopped;
        await rm(socketPath, { force: true });
      })()),
  };
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}

/** remove a socket file no server answers on; refuse anything else that is in the way */
async function removeStaleSocket(socketPath: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(socketPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stats.isSocket()) throw new Error(`${socketPath} exists and is not a socket; not replacing it`);
  if (await somebodyAnswers(socketPath)) throw new Error(`a runtime is already serving on ${socketPath}`);
  await rm(socketPath, { force: true });
}

function somebodyAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function serveConnection(impl: Runtime, socket: Socket, options: ServeRuntimeOptions): void {
  const reader = new LengthPrefixedReader();
  socket.on('data', (chunk: Buffer) => {
    let frames: Buffer[];
    try {
      frames = reader.push(chunk);
    } catch (err) {
      dropConnection(socket, err, options);
      return;
    }
    for (const bytes of frames) {
      let call;
      try {
        call = decodeFrame(bytes);
      } catch (err) {
        dropConnection(socket, err, options);
        return;
      }
      void answerCall(impl, call.id, call.method, call.payload).then((answer) => {
        if (!socket.destroyed) socket.write(withLengthPrefix(answer));
      });
    }
  });
  // a client that vanishes mid-write: 'close' follows, nothing else to do
  socket.on('error', () => {});
}

function dropConnection(socket: Socket, err: unknown, options: ServeRuntimeOptions): void {
  options.onConnectionError?.(err instanceof Error ? err : new Error(String(err)));
  socket.destroy();
}

/** the encoded answer Frame for one call; never rejects */
async function answerCall(impl: Runtime, id: number, rpc: string, payload: Uint8Array): Promise<Uint8Array> {
  try {
    const codec = methodCodecByRpc(rpc);
    const handler = codec && (impl as unknown as Record<string, unknown>)[codec.method];
    if (!codec || typeof handler !== 'function') throw new CriError('Unimplemented', `unknown method ${JSON.stringify(rpc)}`);
    const request = decodeRequest(codec.method, payload);
    const response = await (handler as (req: unknown) => Promise<unknown>).call(impl, request);
    let encoded: Uint8Array;
    try {
      encoded = encodeResponse(codec.method, response as never);
    } catch (err) {
      // the runtime answered something that is not a valid response: its bug, not the caller's
      throw new CriError('Internal', err instanceof Error ? err.message : String(err));
    }
    return encodeFrame({ id, payload: encoded });
  } catch (err) {
    if (isCriError(err)) return encodeFrame({ id, errorCode: err.code, errorMessage: err.message });
    return encodeFrame({ id, errorCode: 'Unknown', errorMessage: err instanceof Error ? err.message : String(err) });
  }
}
