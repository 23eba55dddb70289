/**
 * A watch over WebSocket: GET …?watch=true upgraded, one JSON text message per event (as
 * apiserver/routes/watch-websocket.ts serves it). The result is an AsyncIterable; the
 * socket opens when iteration starts and closes when the consumer stops (break, return,
 * abort) or the server ends the watch.
 *
 * Events wait in a queue between the socket and the consumer, so none is lost when the
 * consumer is slower than the server; past HIGH_WATER queued events the socket is paused,
 * which pushes back on the server (it then cancels a watch that falls too far behind, and
 * the caller resumes from its last resourceVersion, the reflector's job).
 *
 * Failures: a refused upgrade (401, 403, 404, 410 …) throws an ApiError with the Status
 * from the response body; a network failure throws the original error. An ERROR event the
 * server sends inside the stream (e.g. 410 Expired for a compacted resourceVersion, which
 * this server reports after the upgrade) is yielded as an event, as client-go does, and
 * the iteration then ends when the server closes the socket.
 */
import { WebSocket, type RawData } from 'ws';
import { ApiError, asStatus, syntheticStatus } from '../api-error.js';
import type { KubeObject, WatchEvent } from '../types.js';
import type { Credentials } from './transport.js';

const HIGH_WATER = 1000;

export interface WatchTarget {
  /** wss://host:port/path?watch=true&… */
  url: string;
  credentials: Credentials;
  userAgent: string;
  signal?: AbortSignal;
  /** told how to stop this watch while it runs (the client's close() ends it quietly, like an abort); returns the untrack function */
  track?: (stop: () => void) => () => void;
  /** queued events past which the socket is paused (default HIGH_WATER) */
  highWater?: number;
}

/** Open the watch lazily: nothing connects until the iteration starts. */
export function watchOverWebSocket<T extends KubeObject>(target: WatchTarget): AsyncIterable<WatchEvent<T>> {
  return { [Symbol.asyncIterator]: () => runWatch<T>(target)[Symbol.asyncIterator]() };
}

async function* runWatch<T extends KubeObject>(target: WatchTarget): AsyncGenerator<WatchEvent<T>> {
  const { signal } = target;
  const highWater = target.highWater ?? HIGH_WATER;
  if (signal?.aborted) return;
  const headers: Record<string, string> = { 'User-Agent': target.userAgent };
  if (target.credentials.token) headers.Authorization = `Bearer ${target.credentials.token}`;
  const socket = new WebSocket(target.url, {
    ca: target.credentials.ca,
    ...(target.credentials.cert ? { cert: target.credentials.cert, key: target.credentials.key } : {}),
    headers,
    perMessageDeflate: false,
  });

  const queue: Array<WatchEvent<T>> = [];
  let ended = false;
  let failure: unknown;
  let paused = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const finish = (err?: unknown) => {
    if (err !== undefined && failure === undefined && !ended) failure = err;
    ended = true;
    notify();
  };

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (ended) return;
    const text = isBinary ? null : data.toString();
    let event: WatchEvent<T>;
    try {
      if (text === null) throw new Error('binary message');
      event = JSON.parse(text) as WatchEvent<T>;
      if (typeof event?.type !== 'string' || typeof event.object !== 'object') throw new Error('not a watch event');
    } catch (err) {
      finish(new Error(`watch ${new URL(target.url).pathname}: the server sent a message that is not a watch event (${(err as Error).message})`));
      socket.terminate();
      return;
    }
    queue.push(event);
    if (queue.length >= highWater && !paused) {
      paused = true;
      socket.pause();
    }
    notify();
  });
  socket.on('unexpected-response', (_req, res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', () => undefined);
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const code = res.statusCode ?? 0;
      finish(new ApiError(asStatus(parsed) ?? syntheticStatus(code, text, res.statusMessage)));
      socket.terminate();
    });
  });
  socket.on('error', (err) => finish(err));
  socket.on('close', () => finish());

  const onAbort = () => {
    queue.length = 0; // the consumer asked to stop: what is still queued is not wanted
    finish();
    socket.terminate();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const untrack = target.track?.(onAbort);

  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        if (paused && queue.length <= highWater / 2) {
          paused = false;
          socket.resume();
        }
        yield next;
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure !== undefined) throw failure;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    untrack?.();
    if (socket.readyState === WebSocket.OPEN) socket.close(1000);
    else if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
  }
}
