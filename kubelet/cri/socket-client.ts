/**
 * The kubelet's side of the unix-socket transport: a Runtime whose every method sends one
 * call Frame over a single connection and resolves when the answer with the same id comes
 * back. Calls are pipelined — many in flight at once, answered in whatever order the
 * runtime finishes them (wire format: socket-server.ts).
 *
 * Failures, as the kubelet needs to tell them apart:
 * - the runtime's own CriError comes back with its code and message, rebuilt here;
 * - a dropped connection fails every call in flight with CriError Unavailable (the
 *   kubelet's PLEG relists and retries, as with a restarted containerd); the next call
 *   dials again, so a runtime that comes back is used without a new client;
 * - calls after close() fail with Unavailable.
 */
import { connect, type Socket } from 'node:net';
import type { Runtime } from './api.js';
import { decodeFrame, decodeResponse, encodeFrame, encodeRequest, methodCodec, RUNTIME_METHODS, type RuntimeMethod } from './codec.js';
import { CRI_ERROR_CODES, CriError, type CriErrorCode } from './errors.js';
import { LengthPrefixedReader, withLengthPrefix } from './length-prefixed-frames.js';

export interface ConnectRuntimeOptions {
  /** how long a dial may take before it fails with Unavailable (default 5000 ms) */
  dialTimeoutMs?: number;
}

interface PendingCall {
  resolve(payload: Uint8Array): void;
  reject(err: CriError): void;
}

const KNOWN_CODES = new Set<string>(CRI_ERROR_CODES);

/** One connection's worth of calls: ids, pending answers, redial after a drop. */
export class RuntimeConnection {
  private socket: Socket | undefined;
  private dialing: Promise<Socket> | undefined;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private closed = false;

  constructor(
    readonly socketPath: string,
    private readonly dialTimeoutMs = 5000,
  ) {}

  /** dial now (connectRuntime does, so a wrong path fails at once rather than on first use) */
  async open(): Promise<void> {
    await this.connected();
  }

  /** send one call; resolves with the answer's payload or rejects with a CriError */
  async call(rpc: string, payload: Uint8Array): Promise<Uint8Array> {
    const socket = await this.connected();
    if (socket.destroyed) throw new CriError('Unavailable', `connection to the runtime at ${this.socketPath} lost`);
    const id = this.allocateId();
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      socket.write(withLengthPrefix(encodeFrame({ id, method: rpc, payload })));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const socket = this.socket;
    this.socket = undefined;
    this.failPending(new CriError('Unavailable', `runtime client for ${this.socketPath} is closed`));
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
  }

  private allocateId(): number {
    // uint32 on the wire; skip ids still waiting for an answer after a wrap-around
    do {
      this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    } while (this.pending.has(this.nextId));
    return this.nextId;
  }

  private connected(): Promise<Socket> {
    if (this.closed) return Promise.reject(new CriError('Unavailable', `runtime client for ${this.socketPath} is closed`));
    if (this.socket) return Promise.resolve(this.socket);
    this.dialing ??= this.dial().finally(() => {
      this.dialing = undefined;
    });
    return this.dialing;
  }

  private dial(): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect(this.socketPath);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new CriError('Unavailable', `dialing the runtime at ${this.socketPath}: no answer within ${this.dialTimeoutMs} ms`));
      }, this.dialTimeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new CriError('Unavailable', `dialing the runtime at ${this.socketPath}: ${err.message}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        if (this.closed) {
          socket.destroy();
          reject(new CriError('Unavailable', `runtime client for ${this.socketPath} is closed`));
          return;
        }
        this.adopt(socket);
        resolve(socket);
      });
    });
  }

  private adopt(socket: Socket): void {
    this.socket = socket;
    const reader = new LengthPrefixedReader();
    let lostBecause = 'the runtime closed the connection';
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const bytes of reader.push(chunk)) this.answer(bytes);
      } catch (err) {
        lostBecause = `unreadable answer from the runtime: ${err instanceof Error ? err.message : String(err)}`;
        socket.destroy();
      }
    });
    socket.on('error', (err) => {
      lostBecause = err.message;
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      this.failPending(new CriError('Unavailable', `connection to the runtime at ${this.socketPath} lost: ${lostBecause}`));
    });
  }

  private answer(bytes: Uint8Array): void {
    const frame = decodeFrame(bytes);
    const call = this.pending.get(frame.id);
    if (!call) return; // answer to a call we already gave up on
    this.pending.delete(frame.id);
    if (frame.errorCode !== '') {
      const code = (KNOWN_CODES.has(frame.errorCode) ? frame.errorCode : 'Unknown') as CriErrorCode;
      call.reject(new CriError(code, frame.errorMessage));
    } else {
      call.resolve(frame.payload);
    }
  }

  private failPending(err: CriError): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(err);
  }
}

/** A Runtime over `connection`: each method encodes its request, calls, decodes the answer. */
export function runtimeOverConnection(connection: RuntimeConnection): Runtime {
  const runtime: Record<string, unknown> = { close: () => connection.close() };
  for (const method of RUNTIME_METHODS) {
    const { rpc } = methodCodec(method);
    runtime[method] = async (request: never) => {
      const answer = await connection.call(rpc, encodeRequest(method as RuntimeMethod, request));
      return decodeResponse(method as RuntimeMethod, answer);
    };
  }
  return runtime as unknown as Runtime;
}

/** Dial the runtime serving on `socketPath` (serveRuntime, or `k8ts runtime --socket`). */
export async function connectRuntime(socketPath: string, options: ConnectRuntimeOptions = {}): Promise<Runtime> {
  const connection = new RuntimeConnection(socketPath, options.dialTimeoutMs);
  await connection.open();
  return runtimeOverConnection(connection);
}
