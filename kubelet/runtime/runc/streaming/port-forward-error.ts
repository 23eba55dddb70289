/**
 * The message a failed port-forward connect carries, in the kubelet's shape (what kube's
 * runtimes write on the port-forward error stream, e.g. containerd's
 * `failed to connect to localhost:80 inside namespace "<id>", IPv4: dial tcp4 127.0.0.1:80:
 * connect: connection refused IPv6 …`), with Go's wording for the system error.
 *
 * Kept truthful: we dial the pod's IP from the host (not localhost inside the netns, see
 * port-forward.ts), so the message names the address we dialled and there is no IPv6 part.
 * Pure, table-tested.
 */

/** Go's net error text for a Node errno code */
export function goDialError(code: string | undefined, fallback: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connect: connection refused';
    case 'EHOSTUNREACH':
      return 'connect: no route to host';
    case 'ENETUNREACH':
      return 'connect: network is unreachable';
    case 'ETIMEDOUT':
      return 'i/o timeout';
    case 'ECONNRESET':
      return 'read: connection reset by peer';
    default:
      return fallback;
  }
}

export function portForwardErrorMessage(input: { host: string; port: number; sandboxId: string; code?: string; message: string }): string {
  return `failed to connect to ${input.host}:${input.port} inside namespace ${JSON.stringify(input.sandboxId)}, IPv4: dial tcp4 ${input.host}:${input.port}: ${goDialError(input.code, input.message)}`;
}
