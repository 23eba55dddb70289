/**
 * port-forward for the runc runtime: a TCP connection to the sandbox's pod IP (127.0.0.1
 * for host-network sandboxes), handed to the kubelet as the Duplex it streams.
 *
 * KNOWN DIFFERENCE from kube: kube's runtimes dial localhost INSIDE the pod's network
 * namespace; we dial the pod's IP from the host. A server that listens on 127.0.0.1 only
 * inside the pod is therefore not reachable here (kube reaches it). Servers bound to
 * 0.0.0.0 or the pod IP — nearly all of them — behave the same. Entering the netns would
 * need a helper process per connection (nsenter + nc), costing a fork and exec per
 * connection and a process to leak when a client vanishes; not done for now.
 *
 * A failed connect rejects with the kubelet's message shape (port-forward-error.ts).
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../../../../client/clock.js';
import { portForwardErrorMessage } from './port-forward-error.js';

export interface PortForwardInput {
  host: string;
  port: number;
  sandboxId: string;
  connectTimeoutMs: number;
  clock: Clock;
  /** told when the connection closes (the runtime tracks live connections to end them on close) */
  onClose?: (socket: Socket) => void;
}

export function dialPod(input: PortForwardInput): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: input.host, port: input.port });
    let settled = false;
    const fail = (code: string | undefined, message: string) => {
      if (settled) return;
      settled = true;
      cancel();
      socket.destroy();
      reject(new Error(portForwardErrorMessage({ host: input.host, port: input.port, sandboxId: input.sandboxId, ...(code ? { code } : {}), message })));
    };
    const cancel = input.clock.setTimer(input.connectTimeoutMs, () => fail('ETIMEDOUT', 'i/o timeout'));
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code, err.message));
    socket.once('close', () => input.onClose?.(socket));
    socket.once('connect', () => {
      if (settled) return;
      settled = true;
      cancel();
      // a later error is the stream user's business; it must never be unhandled
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}
