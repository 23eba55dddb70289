/**
 * Continue tokens for paginated lists (?limit=&continue=), in kube's format: unpadded
 * base64url of JSON {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key>"}.
 *
 *   first page  read at revision 42, last key /registry/core/pods/default/web-1
 *   → token of {v, rv: 42, start: "web-1\u0000"}   (the key after the page, relative to
 *     the list's key prefix /registry/core/pods/default/)
 *   next page   reads from prefix + start at revision 42, so pages neither overlap nor skip.
 *
 * The start key is relative to the list's prefix and must be a clean path (no "..", "//",
 * trailing "/"), so a forged token cannot reach outside the listed collection.
 * A token whose revision was compacted meanwhile cannot be continued consistently: 410
 * Expired. kube then also offers a token (rv -1: "continue at the latest revision") in the
 * Status's metadata.continue with a longer message; inconsistentContinue() builds that pair.
 */
import { ApiError } from '../errors/api-error.js';

const TOKEN_VERSION = 'meta.k8s.io/v1';

export interface ContinuePosition {
  /** the full store key the next page starts at */
  key: string;
  /** the revision of the first page; -1 = continue at the latest revision (inconsistent) */
  revision: number;
}

export const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
export const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Encode the position of the next page. `key` must lie under `keyPrefix` (the list's range). */
export function encodeContinueToken(key: string, revision: number, keyPrefix: string): string {
  if (!key.startsWith(keyPrefix) || key === keyPrefix) throw new Error('unable to encode next field: the key and key prefix do not match');
  const json = JSON.stringify({ v: TOKEN_VERSION, rv: revision, start: key.slice(keyPrefix.length) });
  return Buffer.from(json, 'utf8').toString('base64url');
}

const invalid = (why: string) => new ApiError('BadRequest', `invalid continue token: continue key is not valid${why}`);

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** strict unpadded base64url, reporting the first bad byte as Go's decoder does */
function decodeBase64Url(token: string): Buffer {
  if (!BASE64URL.test(token)) {
    const at = [...token].findIndex((c) => !/[A-Za-z0-9_-]/.test(c));
    throw invalid(`: illegal base64 data at input byte ${at}`);
  }
  if (token.length % 4 === 1) throw invalid(`: illegal base64 data at input byte ${token.length - 1}`);
  return Buffer.from(token, 'base64url');
}

/** Go's path.Clean(p) === p for a path starting with "/" */
function isCleanPath(p: string): boolean {
  if (p === '/') return true;
  if (p.endsWith('/')) return false;
  return p
    .slice(1)
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Decode `?continue=` for a list over `keyPrefix`. Throws 400 BadRequest worded as kube
 * words it: `invalid continue token: continue key is not valid: …`.
 */
export function decodeContinueToken(token: string, keyPrefix: string): ContinuePosition {
  const text = decodeBase64Url(token).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(text.trim() === '' ? ': unexpected end of JSON input' : `: invalid character in ${JSON.stringify(text.slice(0, 20))}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(`: json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed} into Go value of type storage.continueToken`);
  }
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== undefined && typeof v !== 'string') throw invalid(`: json: cannot unmarshal ${typeof v} into Go struct field continueToken.v of type string`);
  if (rv !== undefined && !Number.isSafeInteger(rv)) throw invalid(`: json: cannot unmarshal ${typeof rv} into Go struct field continueToken.rv of type int64`);
  if (start !== undefined && typeof start !== 'string') throw invalid(`: json: cannot unmarshal ${typeof start} into Go struct field continueToken.start of type string`);
  if ((v ?? '') !== TOKEN_VERSION) throw invalid(`: server does not recognize this encoded version ${v ?? ''}`);
  const revision = (rv as number | undefined) ?? 0;
  if (revision === 0) throw invalid(`: incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`);
  const startKey = (start as string | undefined) ?? '';
  if (startKey === '') throw invalid(`: encoded start key empty (version ${TOKEN_VERSION})`);
  const rooted = startKey.startsWith('/') ? startKey : `/${startKey}`;
  if (!isCleanPath(rooted)) throw invalid(`: ${startKey}`);
  return { key: keyPrefix + rooted.slice(1), revision };
}

/**
 * 410 Expired when the first page's revision has been compacted (the store can no longer
 * read at it). A revision of -1 (the inconsistent token) never expires.
 */
export function checkContinueRevision(position: ContinuePosition, compactedRevision: number): void {
  if (position.revision > 0 && position.revision < compactedRevision) throw new ApiError('Expired', CONTINUE_EXPIRED);
}

/**
 * kube's richer answer to an expired token: the 410 with the longer message, plus a token
 * that continues from the same key at the latest revision, for the Status's
 * metadata.continue (the caller puts it there).
 */
export function inconsistentContinue(position: ContinuePosition, keyPrefix: string): { error: ApiError; continue: string } {
  return { error: new ApiError('Expired', INCONSISTENT_CONTINUE), continue: encodeContinueToken(position.key, -1, keyPrefix) };
}

/** kube refuses ?resourceVersion= (other than "0") together with ?continue= */
export function checkContinueParameters(resourceVersion: string | undefined): void {
  if (resourceVersion && resourceVersion !== '0') throw new ApiError('BadRequest', 'specifying resource version is not allowed when using continue');
}
