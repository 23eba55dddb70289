/** Plain JSON values and the few operations every patch type needs. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepClone<T extends Json>(v: T): T {
  return structuredClone(v);
}

export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]!));
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k]!, b[k]!));
}

/**
 * Go's `%v` for a decoded JSON value (map[a:1 b:[x y]], <nil>): kube's strategic merge patch
 * errors print the offending map this way, and kubectl shows that text.
 */
export function goFormat(v: Json): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isJsonObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goFormat(v[k]!)}`).join(' ')}]`;
  return String(v);
}

/** a member of `obj` itself (never one inherited from Object.prototype, such as "constructor") */
export const own = (obj: JsonObject, key: string): Json | undefined => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/** set a member; "__proto__" becomes a plain member instead of replacing the prototype */
export function setOwn(obj: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
