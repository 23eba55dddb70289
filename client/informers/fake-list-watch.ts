/**
 * A fake of ResourceClient's list and watch, for reflector and informer tests (fakes
 * beside the real thing, as client-go ships them). It keeps objects and an event history
 * with a revision counter like the API server's, so a watch from a resourceVersion
 * replays what happened since — and answers 410 for revisions compacted away.
 *
 *   const fake = new FakeListWatch();
 *   fake.create(configMap('a'));        // rv 1
 *   fake.disconnect();                  // open watches fail like a dropped socket
 *   fake.compact();                     // older revisions: 410 (thrown, or as an ERROR event)
 *
 * Only namespace is honoured among the selectors; calls are recorded for assertions.
 */
import { ApiError } from '../api-error.js';
import type { KubeList, KubeObject, ListOptions, WatchEvent, WatchOptions } from '../types.js';
import type { ListWatch } from './reflector.js';

interface OpenWatch {
  push(event: WatchEvent): void;
  fail(err: Error): void;
  end(): void;
  namespace: string | undefined;
}

export class FakeListWatch implements ListWatch<KubeObject> {
  readonly listCalls: ListOptions[] = [];
  readonly watchCalls: WatchOptions[] = [];
  /** the next list() rejects with this */
  failNextList: Error | undefined;
  /** how a watch from a compacted revision answers */
  goneAs: 'throw' | 'event' = 'throw';

  private revision = 0;
  private compactedRevision = 0;
  private readonly objects = new Map<string, KubeObject>();
  private readonly history: Array<{ rv: number; event: WatchEvent }> = [];
  private readonly open = new Set<OpenWatch>();

  get openWatches(): number {
    return this.open.size;
  }

  create(obj: KubeObject): KubeObject {
    return this.write('ADDED', obj);
  }

  update(obj: KubeObject): KubeObject {
    return this.write('MODIFIED', obj);
  }

  remove(obj: KubeObject): KubeObject {
    return this.write('DELETED', obj);
  }

  /** send a BOOKMARK at the current revision to every open watch */
  bookmark(): string {
    const rv = String(++this.revision);
    for (const w of this.open) w.push({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: rv } } });
    return rv;
  }

  /** forget history up to now: watches from older revisions get 410 */
  compact(): void {
    this.compactedRevision = this.revision;
    this.history.length = 0;
  }

  /** every open watch fails as a dropped connection would */
  disconnect(): void {
    for (const w of [...this.open]) w.fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  }

  /** every open watch ends normally (a server-side timeout) */
  endWatches(): void {
    for (const w of [...this.open]) w.end();
  }

  /** every open watch receives an ERROR event with this Status code, then ends */
  sendError(code: number, reason: string): void {
    for (const w of [...this.open]) {
      w.push({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', code, reason, status: 'Failure' } as KubeObject });
      w.end();
    }
  }

  async list(opts: ListOptions = {}): Promise<KubeList<KubeObject>> {
    this.listCalls.push(opts);
    if (this.failNextList) {
      const err = this.failNextList;
      this.failNextList = undefined;
      throw err;
    }
    const items = [...this.objects.values()].filter((o) => !opts.namespace || o.metadata?.namespace === opts.namespace);
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(this.revision) }, items: items.map((o) => structuredClone(o)) };
  }

  watch(opts: WatchOptions = {}): AsyncIterable<WatchEvent<KubeObject>> {
    this.watchCalls.push(opts);
    const from = Number(opts.resourceVersion ?? this.revision);
    const queue: Array<WatchEvent | Error | null> = [];
    let wake: (() => void) | undefined;
    const put = (item: WatchEvent | Error | null) => {
      queue.push(item);
      wake?.();
    };
    const watch: OpenWatch = {
      push: (e) => put(e),
      fail: (err) => put(err),
      end: () => put(null),
      namespace: opts.namespace,
    };
    if (from < this.compactedRevision) {
      const status = { kind: 'Status', apiVersion: 'v1', code: 410, reason: 'Expired', status: 'Failure', message: `too old resource version: ${from} (${this.compactedRevision})` };
      if (this.goneAs === 'throw') put(new ApiError(status));
      else {
        put({ type: 'ERROR', object: status as KubeObject });
        put(null);
      }
    } else {
      for (const h of this.history) if (h.rv > from && (!opts.namespace || h.event.object.metadata?.namespace === opts.namespace)) put(h.event);
      this.open.add(watch);
    }
    const open = this.open;
    const signal = opts.signal;
    return {
      async *[Symbol.asyncIterator]() {
        const onAbort = () => put(null);
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          for (;;) {
            if (signal?.aborted) return;
            const next = queue.shift();
            if (next === undefined) {
              await new Promise<void>((r) => (wake = r));
              wake = undefined;
              continue;
            }
            if (next === null) return;
            if (next instanceof Error) throw next;
            yield structuredClone(next);
          }
        } finally {
          open.delete(watch);
          signal?.removeEventListener('abort', onAbort);
        }
      },
    };
  }

  private write(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): KubeObject {
    const rv = ++this.revision;
    const stored = structuredClone(obj);
    stored.metadata = { ...stored.metadata, resourceVersion: String(rv) };
    const key = `${stored.metadata.namespace ?? ''}/${stored.metadata.name}`;
    if (type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, stored);
    const event: WatchEvent = { type, object: stored };
    this.history.push({ rv, event });
    for (const w of this.open) if (!w.namespace || w.namespace === stored.metadata.namespace) w.push(event);
    return stored;
  }
}

export function configMap(name: string, namespace = 'default', data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}
