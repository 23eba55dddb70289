/**
 * ApiError: a request the API server answered with a non-2xx code, carrying the server's
 * Status so callers branch on `reason` (kube's StatusReason) rather than on message text.
 * A network failure (refused connection, reset, abort) is NOT an ApiError: the original
 * error is kept, because "the server said no" and "we never heard the server" call for
 * different handling (give up vs. retry).
 */

/** the metav1.Status body the API server sends with every failure */
export interface Status {
  kind?: string;
  apiVersion?: string;
  metadata?: Record<string, unknown>;
  status?: string;
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: Array<{ reason?: string; message?: string; field?: string }>; retryAfterSeconds?: number };
  code?: number;
}

/** kube's reason for an HTTP code, for answers that carry no Status (a proxy's HTML page, an empty body) */
const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: number;
  readonly reason: string;
  readonly status: Status;
  readonly details?: Status['details'];

  constructor(status: Status) {
    super(status.message || `the server answered ${status.code ?? 'an error'}${status.reason ? ` (${status.reason})` : ''}`);
    this.status = status;
    this.code = status.code ?? 0;
    this.reason = status.reason || REASON_BY_CODE[this.code] || 'Unknown';
    if (status.details) this.details = status.details;
  }
}

/** The Status for an answer whose body is not one: the code, kube's reason for it, and the body text as the message. */
export function syntheticStatus(code: number, bodyText: string, statusText?: string): Status {
  const text = bodyText.trim().slice(0, 500);
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: text || `the server answered ${code}${statusText ? ` ${statusText}` : ''} with no body`,
    reason: REASON_BY_CODE[code] ?? (code >= 500 ? 'InternalError' : 'Unknown'),
    code,
  };
}

/** A parsed body, when it looks like a Status (kind Status, or at least a numeric code), else undefined. */
export function asStatus(body: unknown): Status | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Status;
  if (b.kind === 'Status' || typeof b.code === 'number') return b;
  return undefined;
}

const apiError = (err: unknown): ApiError | undefined => (err instanceof ApiError ? err : undefined);

export const isNotFound = (err: unknown): boolean => apiError(err)?.reason === 'NotFound' || apiError(err)?.code === 404;
export const isAlreadyExists = (err: unknown): boolean => apiError(err)?.reason === 'AlreadyExists';
/** an optimistic-concurrency conflict (stale resourceVersion): re-read and retry */
export const isConflict = (err: unknown): boolean => apiError(err)?.reason === 'Conflict';
/** 410: the resourceVersion asked for has been compacted away; relist */
export const isGone = (err: unknown): boolean => apiError(err)?.code === 410 || apiError(err)?.reason === 'Expired' || apiError(err)?.reason === 'Gone';
export const isTimeout = (err: unknown): boolean => {
  const e = apiError(err);
  return e !== undefined && (e.reason === 'Timeout' || e.reason === 'ServerTimeout' || e.code === 504);
};
export const isForbidden = (err: unknown): boolean => apiError(err)?.code === 403;
export const isInvalid = (err: unknown): boolean => apiError(err)?.reason === 'Invalid';
