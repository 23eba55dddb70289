/**
 * The pod-template-hash (kube's controller.ComputeHash + rand.SafeEncodeString) and the
 * template comparison that finds a Deployment's new ReplicaSet (EqualIgnoreHash).
 *
 * The hash is FNV-32a over a canonical encoding of the pod template — keys sorted, absent,
 * null and empty values dropped — so it is the same after a restart and whatever order
 * the keys arrived in; the collisionCount, when set, is hashed in after it as 8
 * little-endian bytes, so bumping it gives a fresh name after a collision. The decimal
 * rendering of the 32-bit value is then mapped character by character onto kube's
 * alphabet without vowels (no accidental words in names):
 *
 *   template → fnv32a = 1234567890 → "1234567890" → each digit d → ALPHABET[charCode(d) % 27]
 *
 * Not byte-for-byte kube's value (kube hashes a Go-printed struct), but the same shape.
 *
 * Two templates are "the same" when their canonical forms match once the
 * pod-template-hash label is dropped from both; dropping empty values mirrors
 * apimachinery's semantic equality, for which a nil and an empty map or list are equal.
 */
import type { V1PodTemplateSpec } from '@kubernetes/client-node';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** rand.SafeEncodeString's alphabet: no vowels, no 0/1/3 (confusable) */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHABET[s.charCodeAt(i) % ALPHABET.length];
  return out;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

function fnv32a(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** a value with object keys sorted and null/undefined/empty maps and lists removed; undefined when nothing is left */
export function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    // list items keep their place even when empty ({} in a list still counts)
    const items = value.map((v) => canonical(v) ?? null);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** ComputeHash(template, collisionCount) */
export function computeHash(template: V1PodTemplateSpec, collisionCount?: number | null): string {
  let h = fnv32a(new TextEncoder().encode(JSON.stringify(canonical(template) ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}

const withoutHash = (template: V1PodTemplateSpec | undefined): unknown => {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return canonical({ ...template, metadata: { ...template?.metadata, labels } });
};

/** EqualIgnoreHash: the templates match once the pod-template-hash label is dropped from both */
export const equalIgnoreHash = (a: V1PodTemplateSpec | undefined, b: V1PodTemplateSpec | undefined): boolean =>
  JSON.stringify(withoutHash(a)) === JSON.stringify(withoutHash(b));
