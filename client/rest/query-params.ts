/**
 * Query strings for list, watch and write requests, from the option objects of
 * client/types.ts. Only options that are set are sent, so the server's defaults apply
 * to the rest (e.g. no resourceVersion = a consistent read from the store).
 */
import type { ListOptions, WatchOptions, WriteOptions } from '../types.js';

function set(q: URLSearchParams, key: string, value: string | number | boolean | undefined): void {
  if (value === undefined || value === '') return;
  q.set(key, String(value));
}

export function listQuery(opts: ListOptions = {}): URLSearchParams {
  const q = new URLSearchParams();
  set(q, 'labelSelector', opts.labelSelector);
  set(q, 'fieldSelector', opts.fieldSelector);
  set(q, 'resourceVersion', opts.resourceVersion);
  set(q, 'resourceVersionMatch', opts.resourceVersionMatch);
  if (opts.limit !== undefined && opts.limit > 0) set(q, 'limit', opts.limit);
  set(q, 'continue', opts.continue);
  set(q, 'timeoutSeconds', opts.timeoutSeconds);
  return q;
}

export function watchQuery(opts: WatchOptions = {}): URLSearchParams {
  const q = new URLSearchParams();
  q.set('watch', 'true');
  set(q, 'labelSelector', opts.labelSelector);
  set(q, 'fieldSelector', opts.fieldSelector);
  set(q, 'resourceVersion', opts.resourceVersion);
  set(q, 'timeoutSeconds', opts.timeoutSeconds);
  if (opts.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
  return q;
}

export function writeQuery(opts: WriteOptions & { force?: boolean } = {}): URLSearchParams {
  const q = new URLSearchParams();
  set(q, 'fieldManager', opts.fieldManager);
  if (opts.dryRun) q.set('dryRun', 'All');
  if (opts.force) q.set('force', 'true');
  return q;
}
