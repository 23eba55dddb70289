/**
 * apimachinery's Semantic.DeepEqual for plain JSON: an empty or null list or map equals an
 * absent one (the API server may hand back `null`, `[]` or nothing for the same value), and
 * key order never matters. Both controllers compare what they want with what is stored
 * through this, so a round trip through the API server never looks like a change.
 */
import { isDeepStrictEqual } from 'node:util';

/** the value with empty lists/maps, nulls and undefined fields dropped (recursively) */
export function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => normalized(v) ?? null);
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as Record<string, unknown>).sort()) {
    const v = normalized((value as Record<string, unknown>)[key]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

export const semanticEqual = (a: unknown, b: unknown): boolean => isDeepStrictEqual(normalized(a), normalized(b));
