/**
 * The HTTP code of a failed API call, read by shape rather than by class: the pod
 * workers only need "404 = gone" and "409 = conflict", and must not crash on errors
 * that carry no code at all (a refused connection).
 */

export function apiErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown; status?: { code?: unknown } };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.status === 'object' && e.status !== null && typeof e.status.code === 'number') return e.status.code;
  return undefined;
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
