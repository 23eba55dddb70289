/**
 * kube's apiequality.Semantic.DeepEqual on JSON values, for "field is immutable" checks:
 * an absent field, null, [] and {} are all the same "nothing", as nil and empty are in Go.
 */
import { isDeepStrictEqual } from 'node:util';

function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map((x) => prune(x) ?? null) : undefined;
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v ?? undefined;
}

export const semanticEqual = (a: unknown, b: unknown): boolean => isDeepStrictEqual(prune(a), prune(b));
