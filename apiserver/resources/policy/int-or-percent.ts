/**
 * IntOrString fields that hold a count or a percentage (minAvailable, maxUnavailable), as
 * kube's ValidatePositiveIntOrPercent and IsNotMoreThan100Percent check them. kube prints
 * such a value with Go's %#v (`intstr.IntOrString{Type:1, IntVal:0, StrVal:"50%"}`), and
 * so do we, so the messages read as on a real cluster.
 */
import { fieldErrors, type FieldError } from '../../errors/field-error.js';

const PERCENT = /^[0-9]+%$/;
const TYPE_ERROR = "must be an integer or percentage (e.g '5%')";
const PERCENT_ERROR = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** Go's %#v of an intstr.IntOrString holding a string */
const goIntOrString = (s: string) => `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(s)}}`;

const invalidIntOrString = (field: string, s: string, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${goIntOrString(s)}: ${detail}`,
});

/** a non-negative integer, or a percentage from 0% to 100% */
export function validateIntOrPercent(value: unknown, field: string): FieldError[] {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return [fieldErrors.typeInvalid(field, value, TYPE_ERROR)];
    return value < 0 ? [fieldErrors.invalid(field, value, 'must be greater than or equal to 0')] : [];
  }
  if (typeof value !== 'string') return [fieldErrors.typeInvalid(field, value, TYPE_ERROR)];
  if (!PERCENT.test(value)) return [invalidIntOrString(field, value, PERCENT_ERROR)];
  if (Number(value.slice(0, -1)) > 100) return [invalidIntOrString(field, value, 'must not be greater than 100%')];
  return [];
}

/** IntOrString.String(): the number, or the string as given */
export const intOrPercentString = (value: unknown): string => (typeof value === 'number' ? String(value) : String(value ?? ''));
