/** Adapter: list paging tokens (apiserver/http/continue-token.ts does the encoding). */
import { apiErrors } from '../errors/api-error.js';

export function encodeContinueToken(next: { key: string; revision: number }): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: next.revision, start: next.key })).toString('base64url');
}

export function decodeContinueToken(token: string): { key: string; revision: number } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as { rv: number; start: string };
    if (typeof t.rv === 'number' && typeof t.start === 'string') return { key: t.start, revision: t.rv };
  } catch {}
  throw apiErrors.badRequest(`continue key is not valid: ${token}`);
}
