/**
 * One entry point for PATCH bodies other than server-side apply: pick the algorithm from
 * the Content-Type, decode the body, and compute the patched object from the current one
 * (pure: a mutation for registry.guaranteedUpdate).
 */
import { PatchError } from './errors.js';
import { applyJsonPatch } from './json-patch.js';
import type { Json } from './json.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch, type StrategicMergeOptions } from './strategic-merge-patch.js';

export type PatchType = 'json' | 'merge' | 'strategic';

export const PATCH_CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

/** the patch type of a Content-Type header (parameters such as charset ignored) */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return PATCH_CONTENT_TYPES[mediaType];
}

/** decode a patch body; bad JSON is a 400 as in kube */
export function decodePatchBody(type: PatchType, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new PatchError('invalid-patch', type === 'merge' ? `error decoding patch: ${reason}` : reason);
  }
}

/**
 * The object after the patch. Strategic merge patch needs the kind's schemas; without
 * `options` it merges schemaless (maps merge, lists are replaced).
 */
export function applyPatch(type: PatchType, current: Json, patch: unknown, options?: StrategicMergeOptions): Json {
  switch (type) {
    case 'json':
      return applyJsonPatch(current, patch);
    case 'merge':
      return applyMergePatch(current, patch);
    case 'strategic':
      return applyStrategicMergePatch(current, patch, options ?? { schemas: { get: () => undefined } });
  }
}
