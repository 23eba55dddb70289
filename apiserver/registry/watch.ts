/**
 * Watches of one collection, as kube-apiserver serves them:
 *   - no resourceVersion (or "0"): a synthetic ADDED for every current object, then
 *     every change after that list ("get state and start at most recent");
 *   - an exact resourceVersion: every change after it while the store still holds that
 *     history, else one ERROR event (410 Expired) and the end.
 * With selectors, an object that starts matching is ADDED and one that stops matching
 * is DELETED, so a client's view of "the selected objects" stays right.
 */
import { CompactedError, WatchCancelledError } from '../../store/errors.js';
import type { Store, WatchEvent as StoreEvent } from '../../store/types.js';
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { ApiError, type Status } from '../errors/api-error.js';
import { listObjects } from './list.js';
import { decodeDeleted, decodeObject } from './object-codec.js';
import { collectionRange, storageOf } from './storage-key.js';
import { fromStoreError } from './store-errors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject | Status;
}

export interface WatchQuery {
  matches?: (obj: KubeObject) => boolean;
  /** exact revision to start after; undefined = get state first */
  afterRevision?: number;
  /** ends the watch (the client went away, or its timeout passed) */
  signal?: AbortSignal;
  /** told the revision up to which every change has been handled, for bookmarks */
  onProgress?: (revision: number) => void;
}

export async function* watchObjects(store: Store, def: ResourceDef, namespace: string, q: WatchQuery): AsyncGenerator<WatchEvent> {
  const range = collectionRange(storageOf(def), namespace);
  const matches = q.matches ?? (() => true);
  const convert = (o: KubeObject) => (def.fromStorage ? def.fromStorage(o) : o);
  let after = q.afterRevision;
  if (after === undefined) {
    const page = await listObjects(store, def, namespace, { matches });
    for (const object of page.items) yield { type: 'ADDED', object };
    after = page.revision;
  }
  q.onProgress?.(after);
  if (q.signal?.aborted) return;
  const watch = store.watch(range.key, { rangeEnd: range.rangeEnd, startRevision: after + 1, prevKv: true });
  const stop = () => watch.cancel();
  q.signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const batch of watch) {
      for (const e of batch) {
        const out = translate(e, convert, matches);
        if (out) yield out;
      }
      q.onProgress?.(batch.at(-1)!.kv.modRevision);
    }
  } catch (err) {
    if (err instanceof WatchCancelledError && err.reason !== 'compacted') return; // the client re-watches
    // kube names the resourceVersion the client asked for, not the first revision needed
    const mapped = err instanceof CompactedError ? fromStoreError(new CompactedError(after, err.compactedRevision)) : fromStoreError(err);
    if (mapped instanceof ApiError) {
      yield { type: 'ERROR', object: mapped.toStatus() };
      return;
    }
    throw mapped;
  } finally {
    q.signal?.removeEventListener('abort', stop);
    watch.cancel();
  }
}

function translate(e: StoreEvent, convert: (o: KubeObject) => KubeObject, matches: (o: KubeObject) => boolean): WatchEvent | undefined {
  const old = e.prevKv ? convert(decodeObject(e.prevKv)) : undefined;
  const oldMatched = old !== undefined && matches(old);
  if (e.type === 'delete') {
    if (!e.prevKv || !oldMatched) return undefined;
    return { type: 'DELETED', object: convert(decodeDeleted(e.prevKv, e.kv.modRevision)) };
  }
  const obj = convert(decodeObject(e.kv));
  const nowMatches = matches(obj);
  if (nowMatches) return { type: oldMatched ? 'MODIFIED' : 'ADDED', object: obj };
  return oldMatched ? { type: 'DELETED', object: obj } : undefined;
}
