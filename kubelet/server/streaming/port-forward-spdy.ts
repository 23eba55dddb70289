/**
 * port-forward over SPDY/3.1 (kubectl 1.27–1.30 directly, 1.31+ tunnelled in a WebSocket):
 * for each local connection the client opens two streams with the same `requestid` — an
 * `error` stream, which it half-closes at once, and a `data` stream — both naming the
 * remote `port`. Once a pair is complete the kubelet dials the port in the pod and copies
 * bytes both ways (pipe(): backpressure both ways, so a slow pod or a slow client holds
 * memory to the socket buffers). The close order kubectl expects: the client's FIN on data
 * ends our side of the pod connection; the pod closing ends the data stream, then the
 * error stream. A failed dial is written on the error stream in kube's words; kubectl
 * prints it and drops that connection.
 */
import type { Duplex } from 'node:stream';
import type { SpdySession, SpdyStream } from '../../../client/spdy/session.js';
import type { Clock } from '../../../client/clock.js';
import type { IdleTimer } from './idle-timer.js';

export interface SpdyPortForwardOptions {
  /** dials the port inside the pod; the rejection's message is shown to the client */
  dial(port: number): Promise<Duplex>;
  /** for error texts: kube names the pod as name_namespace and its uid */
  podFullName: string;
  podUid: string;
  clock: Clock;
  streamCreationTimeoutMs: number;
  idle: IdleTimer;
}

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  cancelTimer: () => void;
}

const quiet = () => {};

/** kube's port header check */
export function portOfHeader(value: string | undefined): number | string {
  if (value === undefined || value === '') return 'port is required';
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `unable to parse "${value}" as a port: must be between 1 and 65535`;
  return port;
}

/** serves port-forward streams on the session until it closes */
export function serveSpdyPortForward(session: SpdySession, options: SpdyPortForwardOptions): void {
  const pairs = new Map<string, Pair>();
  const live = new Set<Duplex>();
  session.on('close', () => {
    for (const pair of pairs.values()) pair.cancelTimer();
    pairs.clear();
    for (const conn of live) conn.destroy();
    live.clear();
  });
  options.idle.onIdle(() => session.destroy());

  session.on('stream', (stream: SpdyStream) => {
    stream.on('error', quiet);
    stream.respond();
    const type = stream.headers['streamtype'];
    const requestId = stream.headers['requestid'];
    if ((type !== 'data' && type !== 'error') || requestId === undefined) {
      stream.reset();
      return;
    }
    let pair = pairs.get(requestId);
    if (!pair) {
      const fresh: Pair = {
        cancelTimer: options.clock.setTimer(options.streamCreationTimeoutMs, () => {
          // half a pair: kube resets what arrived
          pairs.delete(requestId);
          fresh.data?.reset();
          fresh.error?.reset();
        }),
      };
      pair = fresh;
      pairs.set(requestId, pair);
    }
    if (pair[type]) {
      stream.reset();
      return;
    }
    pair[type] = stream;
    if (type === 'error') stream.resume(); // the client half-closes it at once
    if (pair.data && pair.error) {
      pair.cancelTimer();
      pairs.delete(requestId);
      void forwardPair(pair.data, pair.error, options, live);
    }
  });
}

async function forwardPair(data: SpdyStream, error: SpdyStream, options: SpdyPortForwardOptions, live: Set<Duplex>): Promise<void> {
  const port = portOfHeader(data.headers['port']);
  const fail = (message: string) => {
    error.end(Buffer.from(message));
    data.end();
  };
  if (typeof port === 'string') return fail(port);
  let conn: Duplex;
  try {
    conn = await options.dial(port);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return fail(`error forwarding port ${port} to pod ${options.podFullName}, uid ${options.podUid}: ${reason}`);
  }
  if (data.destroyed) {
    conn.destroy();
    return;
  }
  live.add(conn);
  conn.on('error', quiet);
  conn.on('data', () => options.idle.touch());
  data.on('data', () => options.idle.touch());
  // client FIN → half-close toward the pod; pod end → FIN the data stream, then the error stream
  data.pipe(conn);
  conn.pipe(data);
  const done = () => {
    live.delete(conn);
    if (!error.writableEnded && !error.destroyed) error.end();
  };
  data.on('finish', done);
  conn.on('close', () => {
    live.delete(conn);
    if (!data.writableEnded && !data.destroyed) data.end();
    done();
  });
  data.on('close', () => {
    // the stream is gone both ways (or the client reset it): nobody reads the pod anymore
    if (!conn.destroyed) conn.destroy();
  });
}
