/**
 * The query string of a list or watch: selectors, paging and resourceVersion semantics
 * as kube-apiserver reads them:
 *   list:  resourceVersion unset or "0" → the latest state; with resourceVersionMatch=Exact
 *          → exactly that revision (410 once compacted); continue → the next page at the
 *          first page's revision;
 *   watch: resourceVersion unset or "0" → current state as ADDED events, then changes;
 *          "N" → every change after N.
 */
import type { ResourceDef } from '../catalogue/resource-def.js';
import { apiErrors } from '../errors/api-error.js';
import type { ListQuery } from '../registry/list.js';
import type { WatchQuery } from '../registry/watch.js';
import { checkContinueRevision, decodeContinueToken, encodeContinueToken } from '../http/continue-token.js';
import { collectionRange, storageOf } from '../registry/storage-key.js';
import { selectorMatcher } from './selectors-of.js';

export type Query = Record<string, string | string[] | undefined>;

export interface ParsedListQuery {
  list: ListQuery;
  watch: Pick<WatchQuery, 'matches' | 'afterRevision'>;
  timeoutSeconds?: number;
}

const single = (q: Query, key: string): string | undefined => {
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
};

/** ?resourceVersion= on a GET of one object: "", "0" or a revision (kube rejects anything else) */
export function checkResourceVersionParam(value: string | undefined): void {
  revisionParam(value, 'resourceVersion');
}

/** kube parses boolean parameters (watch, allowWatchBookmarks) with ParseBool */
export function boolParam(q: Query, name: string): boolean {
  const v = single(q, name);
  if (v === undefined || v === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw apiErrors.badRequest(`${name}: invalid value ${JSON.stringify(v)}: must be a boolean`);
}

function revisionParam(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '' || value === '0') return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw apiErrors.badRequest(`invalid ${what} "${value}": must be a non-negative integer`);
  return Number(value);
}

/** `compactedRevision`: a continue token older than this is 410 Expired */
export function parseListQuery(def: ResourceDef, namespace: string, q: Query, compactedRevision: number): ParsedListQuery {
  const matches = selectorMatcher(def, single(q, 'labelSelector'), single(q, 'fieldSelector'));
  const limitText = single(q, 'limit');
  let limit = 0;
  if (limitText !== undefined && limitText !== '') {
    // kube parses an int64; beyond that it is a 400, not a number to clamp
    if (!/^-?\d+$/.test(limitText) || !Number.isSafeInteger(Number(limitText))) throw apiErrors.badRequest(`invalid limit "${limitText}"`);
    limit = Math.max(0, Number(limitText));
  }
  const rv = revisionParam(single(q, 'resourceVersion'), 'resourceVersion');
  const match = single(q, 'resourceVersionMatch');
  if (match !== undefined && match !== 'Exact' && match !== 'NotOlderThan') {
    throw apiErrors.badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (match && rv === undefined && single(q, 'resourceVersion') === undefined) {
    throw apiErrors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  const token = single(q, 'continue');
  const list: ListQuery = { ...(matches ? { matches } : {}), limit };
  if (token) {
    if (single(q, 'resourceVersion')) throw apiErrors.badRequest('specifying resource version is not allowed when using continue');
    const from = decodeContinueToken(token, collectionRange(storageOf(def), namespace).key);
    checkContinueRevision(from, compactedRevision);
    list.from = from;
  } else if (rv !== undefined && match === 'Exact') {
    list.revision = rv;
  }
  const timeoutText = single(q, 'timeoutSeconds');
  let timeoutSeconds: number | undefined;
  if (timeoutText !== undefined) {
    if (!/^\d+$/.test(timeoutText) || !Number.isSafeInteger(Number(timeoutText))) throw apiErrors.badRequest(`invalid timeoutSeconds "${timeoutText}"`);
    timeoutSeconds = Number(timeoutText);
  }
  return {
    list,
    watch: { ...(matches ? { matches } : {}), ...(rv !== undefined ? { afterRevision: rv } : {}) },
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

export const encodeContinue = (def: ResourceDef, namespace: string, next: { key: string; revision: number }) =>
  encodeContinueToken(next.key, next.revision, collectionRange(storageOf(def), namespace).key);
