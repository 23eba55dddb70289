/**
 * A watch over WebSocket, as kube-apiserver serves it to clients that upgrade a
 * `?watch=true` GET: one text message per event, the same JSON as a line of the HTTP
 * stream. Sending waits for the socket's buffer to drain, so a slow reader makes the
 * store cancel the watch instead of growing memory.
 */
import type { WebSocket } from 'ws';
import type { WatchEvent } from '../registry/watch.js';
import type { WatchSource } from './watch-stream.js';

const HIGH_WATER = 1 << 20;

export async function serveWatchOverWebSocket(socket: WebSocket, source: WatchSource, render: (e: WatchEvent) => WatchEvent, timeoutSeconds?: number): Promise<void> {
  const abort = new AbortController();
  const end = () => abort.abort();
  socket.on('close', end);
  socket.on('error', end);
  const timer = timeoutSeconds ? setTimeout(end, timeoutSeconds * 1000) : undefined;
  try {
    for await (const e of source({ signal: abort.signal })) {
      if (socket.readyState !== socket.OPEN) break;
      socket.send(JSON.stringify(render(e)));
      while (socket.bufferedAmount > HIGH_WATER && socket.readyState === socket.OPEN) await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    if (timer) clearTimeout(timer);
    if (socket.readyState === socket.OPEN) socket.close(1000);
  }
}
