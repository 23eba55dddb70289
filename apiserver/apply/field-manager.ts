/**
 * Who a write is recorded as, and kube's checks on the fieldManager query parameter.
 *
 * Without ?fieldManager= kube names the writer after the User-Agent up to its first "/"
 * ("kubectl/v1.33.0 (linux/amd64) kubernetes/abc" → "kubectl"), printable characters only,
 * at most 128 of them; updateManagedFields turns an empty name into "unknown".
 *
 * validatePatchOptions gives the errors kube reports as
 * `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`
 * (422); CreateOptions and UpdateOptions get the fieldManager checks alone.
 */
import { fieldErrors, type FieldError } from '../errors/field-error.js';

export const FIELD_MANAGER_MAX_LENGTH = 128;

/** Go's unicode.IsPrint, near enough: no control, format, or line/paragraph separators */
const isPrintable = (ch: string) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u.test(ch) && (ch === ' ' || !/\s/u.test(ch));

export function fieldManagerFor(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0] ?? '') {
    if (!isPrintable(ch)) continue;
    if (Buffer.byteLength(out) >= FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

export function validateFieldManager(name: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(name) > FIELD_MANAGER_MAX_LENGTH) errs.push(fieldErrors.tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
  let position = 0;
  for (const ch of name) {
    if (!isPrintable(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(fieldErrors.invalid('fieldManager', name, `invalid character U+${code} (at position ${position})`));
    }
    position += Buffer.byteLength(ch);
  }
  return errs;
}

export function validatePatchOptions(opts: { fieldManager?: string; force?: boolean; isApply: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  if (!opts.isApply && opts.force !== undefined) errs.push(fieldErrors.forbidden('force', 'may not be specified for non-apply patch'));
  if (opts.isApply && !opts.fieldManager) errs.push(fieldErrors.required('fieldManager', 'is required for apply patch'));
  return [...errs, ...validateFieldManager(opts.fieldManager ?? '')];
}
