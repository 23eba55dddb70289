/**
 * The kubelet's streaming endpoints, read from an upgrade request's URL (kube's kubelet
 * server routes):
 *   /exec/{namespace}/{pod}/{container}?command=…&input=1&output=1&error=1&tty=1
 *   /attach/{namespace}/{pod}/{container}?input=1&output=1&error=1&tty=1
 *   /portForward/{namespace}/{pod}[?port=80&port=443]
 * (kube also accepts a pod UID segment before the container, /exec/{ns}/{pod}/{uid}/{c};
 * so do we, and check it when given.)
 *
 * The stdio flags: the API server sends kube's kubelet names (input, output, error; "1"
 * means on), while PodExecOptions names (stdin, stdout, stderr; "true") are what a client
 * talking to the kubelet directly may send — both are read. Port-forward ports over
 * WebSocket come as `ports=80,443` (PodPortForwardOptions) or repeated `port=`.
 */
export type StreamKind = 'exec' | 'attach' | 'portForward';

export interface StdioFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface ContainerStreamRequest extends StdioFlags {
  kind: 'exec' | 'attach';
  namespace: string;
  pod: string;
  uid?: string;
  container: string;
  /** exec only */
  command: string[];
}

export interface PortForwardRequest {
  kind: 'portForward';
  namespace: string;
  pod: string;
  uid?: string;
  /** the ports a WebSocket client asked for (SPDY clients name a port per stream) */
  ports: number[];
}

export type StreamRequest = ContainerStreamRequest | PortForwardRequest;

/** A request the kubelet cannot serve; `code` is the HTTP status to answer with. */
export class StreamRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const on = (params: URLSearchParams, ...names: string[]): boolean =>
  names.some((name) => {
    const v = params.get(name);
    return v !== null && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  });

function decodeSegments(pathname: string): string[] {
  try {
    return pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    throw new StreamRequestError(400, `malformed path ${JSON.stringify(pathname)}`);
  }
}

/** kube's port parsing for port-forward (1–65535; the message names the bad value) */
export function parsePorts(values: string[]): number[] {
  const ports: number[] = [];
  for (const value of values.flatMap((v) => v.split(','))) {
    const text = value.trim();
    if (text === '') continue;
    const port = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new StreamRequestError(400, `invalid port ${JSON.stringify(text)}: port must be > 0 and < 65536`);
    }
    ports.push(port);
  }
  return ports;
}

/** undefined: not a streaming path (the caller answers 404) */
export function parseStreamRequest(url: string): StreamRequest | undefined {
  const parsed = new URL(url, 'http://kubelet');
  const segments = decodeSegments(parsed.pathname);
  const params = parsed.searchParams;
  const [head, namespace, pod, ...rest] = segments;
  if (!namespace || !pod) return undefined;
  if (head === 'portForward') {
    if (rest.length > 1) return undefined;
    return {
      kind: 'portForward',
      namespace,
      pod,
      ...(rest[0] ? { uid: rest[0] } : {}),
      ports: parsePorts([...params.getAll('ports'), ...params.getAll('port')]),
    };
  }
  if (head !== 'exec' && head !== 'attach') return undefined;
  if (rest.length < 1 || rest.length > 2) return undefined;
  const container = rest[rest.length - 1]!;
  const uid = rest.length === 2 ? rest[0] : undefined;
  const tty = on(params, 'tty');
  const request: ContainerStreamRequest = {
    kind: head,
    namespace,
    pod,
    ...(uid ? { uid } : {}),
    container,
    command: head === 'exec' ? params.getAll('command') : [],
    stdin: on(params, 'input', 'stdin'),
    stdout: on(params, 'output', 'stdout'),
    // with a terminal, stderr is merged into stdout: there is no stderr stream (kube's rule)
    stderr: !tty && on(params, 'error', 'stderr'),
    tty,
  };
  if (!request.stdin && !request.stdout && !request.stderr) {
    throw new StreamRequestError(400, 'you must specify at least 1 of stdin, stdout, stderr');
  }
  if (head === 'exec' && request.command.length === 0) throw new StreamRequestError(400, 'you must specify at least 1 command');
  return request;
}
