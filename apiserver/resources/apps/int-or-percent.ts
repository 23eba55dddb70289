/**
 * intstr.IntOrString fields of rolling updates (maxSurge, maxUnavailable): a non-negative
 * integer or a "N%" string, checked as kube's apps validation does.
 */
import type { FieldError } from '../../errors/field-error.js';
import { nonNegative } from './field-checks.js';
import { goIntOrString, goInvalid } from './go-values.js';

export const PERCENT_ERROR =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

export const isPercent = (s: string) => /^[0-9]+%$/.test(s);

/** ValidatePositiveIntOrPercent */
export function validateIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') return isPercent(v) ? [] : [goInvalid(field, goIntOrString(v), PERCENT_ERROR)];
  return nonNegative(v, field);
}

/** getIntOrPercentValue: the percent number, else the integer (a non-numeric string counts as 0) */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return 0;
  if (isPercent(v)) return Number(v.slice(0, -1));
  return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
}

/** IsNotMoreThan100Percent */
export function notMoreThan100Percent(v: unknown, field: string): FieldError[] {
  if (typeof v !== 'string' || !isPercent(v) || Number(v.slice(0, -1)) <= 100) return [];
  return [goInvalid(field, goIntOrString(v), 'must not be greater than 100%')];
}
