/**
 * Small checks the apps kinds share, worded as kube's apivalidation helpers word them.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { goInvalid, goLabelSelector } from './go-values.js';

/** ValidateNonnegativeField; absent values are Go's zero and pass */
export function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [fieldErrors.invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** apps/v1 forbids changing spec.selector (the older group versions allowed it) */
export function immutableSelector(selector: unknown, oldSelector: unknown): FieldError[] {
  const norm = (s: unknown) => (s === null ? undefined : s);
  return isDeepStrictEqual(norm(selector), norm(oldSelector)) ? [] : [goInvalid('spec.selector', goLabelSelector(selector), 'field is immutable')];
}

/** validateUpdate for the kinds whose selector is fixed at creation */
export const selectorUnchanged = (obj: KubeObject, old: KubeObject): FieldError[] =>
  immutableSelector((obj.spec as Record<string, unknown> | undefined)?.selector, (old.spec as Record<string, unknown> | undefined)?.selector);

/** the object's spec as a record, created when absent so defaulting has somewhere to write */
export function specRecord(obj: KubeObject): Record<string, unknown> {
  if (!obj.spec || typeof obj.spec !== 'object' || Array.isArray(obj.spec)) obj.spec = {};
  return obj.spec as Record<string, unknown>;
}

/** a nested record, created when absent (or not an object) */
export function childRecord(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = parent[key];
  if (!v || typeof v !== 'object' || Array.isArray(v)) parent[key] = {};
  return parent[key] as Record<string, unknown>;
}

/**
 * The generic registry decides "spec changed" before defaulting; kube compares defaulted
 * objects. Default a copy of the update first so a `kubectl replace` of the original
 * manifest does not bump metadata.generation. `withAnnotations`: Deployments also bump on
 * annotation changes (they are copied to the ReplicaSets).
 */
export function specChangedAfterDefaults(defaults: (obj: KubeObject) => void, withAnnotations = false) {
  return (obj: KubeObject, old: KubeObject): boolean => {
    const copy = structuredClone(obj);
    defaults(copy);
    if (!isDeepStrictEqual(copy.spec, old.spec)) return true;
    return withAnnotations && !isDeepStrictEqual(obj.metadata.annotations ?? {}, old.metadata.annotations ?? {});
  };
}
