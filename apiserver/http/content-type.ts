/**
 * Request body formats, from the Content-Type header, as kube-apiserver accepts them:
 *
 *   POST/PUT (objects):  application/json (also when the header is absent — `kubectl scale
 *                        --current-replicas` sends a PUT without one), application/yaml,
 *                        application/vnd.kubernetes.protobuf (kubectl 1.32+ generators)
 *   PATCH:               application/json-patch+json, application/merge-patch+json,
 *                        application/strategic-merge-patch+json (built-in kinds only),
 *                        application/apply-patch+yaml (server-side apply; the body may be JSON)
 *
 * Parameters (charset=utf-8, …) and letter case of the type are ignored. Anything else is
 * 415 UnsupportedMediaType, worded as kube words it.
 */
import { ApiError, apiErrors } from '../errors/api-error.js';

export type ObjectBodyFormat = 'json' | 'yaml' | 'protobuf';
export type PatchFormat = 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch';
export type BodyFormat = ObjectBodyFormat | PatchFormat;

const BY_MEDIA_TYPE: Record<string, BodyFormat> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/vnd.kubernetes.protobuf': 'protobuf',
  'application/json-patch+json': 'json-patch',
  'application/merge-patch+json': 'merge-patch',
  'application/strategic-merge-patch+json': 'strategic-merge-patch',
  'application/apply-patch+yaml': 'apply-patch',
};

export const MEDIA_TYPE_OF: Record<BodyFormat, string> = Object.fromEntries(Object.entries(BY_MEDIA_TYPE).map(([m, f]) => [f, m])) as Record<
  BodyFormat,
  string
>;

const OBJECT_FORMATS: ReadonlySet<BodyFormat> = new Set(['json', 'yaml', 'protobuf']);
/** kube's order in its 415 message for PATCH */
const PATCH_FORMATS: readonly PatchFormat[] = ['json-patch', 'merge-patch', 'strategic-merge-patch', 'apply-patch'];

/** "application/json" from "Application/JSON; charset=utf-8"; "" for an absent header */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** the format of any body we understand, or undefined */
export function classifyContentType(contentType: string | undefined): BodyFormat | undefined {
  return BY_MEDIA_TYPE[mediaTypeOf(contentType)];
}

/**
 * POST and PUT bodies: json (also for no Content-Type), yaml or protobuf. Others, patch
 * types included, are 415 (apiErrors.unsupportedMediaType).
 */
export function objectBodyFormat(contentType: string | undefined): ObjectBodyFormat {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === '') return 'json';
  const format = BY_MEDIA_TYPE[mediaType];
  if (format && OBJECT_FORMATS.has(format)) return format as ObjectBodyFormat;
  throw apiErrors.unsupportedMediaType(contentType ?? '');
}

/**
 * PATCH bodies: one of the four patch types (strategic merge only where the kind has Go
 * types in kube, i.e. not for custom resources). No Content-Type is 415, as in kube:
 * `the body of the request was in an unknown format - accepted media types include:
 * application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml`
 */
export function patchFormat(contentType: string | undefined, opts: { strategicMerge?: boolean } = {}): PatchFormat {
  const allowed = PATCH_FORMATS.filter((f) => f !== 'strategic-merge-patch' || opts.strategicMerge !== false);
  const format = BY_MEDIA_TYPE[mediaTypeOf(contentType)];
  if (format && (allowed as readonly BodyFormat[]).includes(format)) return format as PatchFormat;
  throw new ApiError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${allowed.map((f) => MEDIA_TYPE_OF[f]).join(', ')}`,
    { causes: [{ reason: 'UnsupportedMediaType', message: contentType ?? '' }] },
  );
}
