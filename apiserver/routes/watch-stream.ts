/**
 * Serves a watch as kube-apiserver does over plain HTTP: status 200, then one JSON
 * event per line, chunked, until the client goes away, timeoutSeconds passes or the
 * watch ends. A client that reads too slowly is never buffered without bound: the
 * stream waits for 'drain', the store cancels the watcher once its backlog is full, and
 * the stream ends (clients re-watch from their last resourceVersion).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { apiVersionOf } from '../catalogue/resource-def.js';
import type { WatchEvent, WatchQuery } from '../registry/watch.js';

export interface WatchStreamOptions {
  /** 0 = no bookmarks */
  bookmarkIntervalMs: number;
  timeoutSeconds?: number;
  /** turns an event's object into what the client asked for (a Table row, …) */
  renderEvent: (e: WatchEvent) => WatchEvent;
}

export type WatchSource = (control: Pick<WatchQuery, 'signal' | 'onProgress'>) => AsyncGenerator<WatchEvent>;

export async function streamWatch(request: FastifyRequest, reply: FastifyReply, def: ResourceDef, source: WatchSource, opts: WatchStreamOptions): Promise<void> {
  const abort = new AbortController();
  let progress = 0;
  const events = source({ signal: abort.signal, onProgress: (r) => (progress = r) });
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const end = () => abort.abort();
  request.raw.on('close', end);
  res.on('close', end);
  const timers: NodeJS.Timeout[] = [];
  if (opts.timeoutSeconds && opts.timeoutSeconds > 0) timers.push(setTimeout(end, opts.timeoutSeconds * 1000));
  const write = async (e: WatchEvent) => {
    if (res.destroyed || res.writableEnded) return;
    if (!res.write(JSON.stringify(e) + '\n')) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };
  if (opts.bookmarkIntervalMs > 0) {
    const bookmark: () => WatchEvent = () => ({
      type: 'BOOKMARK',
      object: { kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(progress) } } as KubeObject,
    });
    timers.push(setInterval(() => void (progress > 0 && write(bookmark())), opts.bookmarkIntervalMs));
  }
  try {
    for await (const e of events) await write(opts.renderEvent(e));
  } catch (err) {
    request.log.warn({ err }, 'watch ended with an error');
  } finally {
    for (const t of timers) clearTimeout(t);
    request.raw.off('close', end);
    if (!res.writableEnded) res.end();
  }
}
