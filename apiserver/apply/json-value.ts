/**
 * JSON values as server-side apply sees them: a total order (so set items and keyed list
 * items sort the way kube's FieldsV1 lists them), equality that treats 1 and 1.0 alike, and
 * Go's encoding/json output (sorted map keys, HTML-escaped) for the texts kube writes.
 *
 * Order across kinds follows structured-merge-diff: numbers < strings < booleans < lists <
 * maps < null. Lists compare item by item, maps by their sorted keys then values.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function rank(v: Json): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v === null) return 5;
  return 4;
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

export function compareJson(a: Json, b: Json): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return sign(ra - rb);
  if (typeof a === 'number') return sign(a - (b as number));
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === 'boolean') return sign(Number(a) - Number(b));
  if (Array.isArray(a)) return compareLists(a, b as Json[]);
  if (a === null) return 0;
  return compareMaps(a, b as JsonObject);
}

function compareLists(a: Json[], b: Json[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareJson(a[i]!, b[i]!);
    if (c) return c;
  }
  return sign(a.length - b.length);
}

function compareMaps(a: JsonObject, b: JsonObject): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const x = ka[i]!;
    const y = kb[i]!;
    if (x !== y) return x < y ? -1 : 1;
    const c = compareJson(a[x]!, b[y]!);
    if (c) return c;
  }
  return sign(ka.length - kb.length);
}

export const jsonEqual = (a: Json, b: Json): boolean => compareJson(a, b) === 0;

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * A value as Go encodes an unstructured value: map keys sorted. encoding/json (annotations)
 * also escapes <, > and & (`escapeHtml`); structured-merge-diff's encoder (path keys) does not.
 */
export function goJson(v: Json, escapeHtml = true): string {
  if (v === null || typeof v !== 'object') {
    const text = JSON.stringify(v);
    return escapeHtml ? text.replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c]!) : text;
  }
  if (Array.isArray(v)) return `[${v.map((item) => goJson(item, escapeHtml)).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${goJson(k, escapeHtml)}:${goJson(v[k]!, escapeHtml)}`)
    .join(',')}}`;
}

export const deepCopy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
