/**
 * IntOrString fields that hold a count or a percentage (minAvailable, maxUnavailable), as
 * kube's ValidatePositiveIntOrPercent and IsNotMoreThan100Percent check them. kube prints
 * such a value with Go's %#v (`intstr.IntOrString{Type:1, IntVal:0, StrVal:"50%"}`), and
 * so do we, so the messages read as on a real cluster.
 */
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
// the percent rule and its Go-worded messages are apps/v1's (rolling updates) too
import { goIntOrString, goInvalid } from '../apps/go-values.js';
import { isPercent, notMoreThan100Percent, PERCENT_ERROR } from '../apps/int-or-percent.js';

const TYPE_ERROR = "must be an integer or percentage (e.g '5%')";

/** a non-negative integer, or a percentage from 0% to 100% */
export function validateIntOrPercent(value: unknown, field: string): FieldError[] {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return [fieldErrors.typeInvalid(field, value, TYPE_ERROR)];
    return value < 0 ? [fieldErrors.invalid(field, value, 'must be greater than or equal to 0')] : [];
  }
  if (typeof value !== 'string') return [fieldErrors.typeInvalid(field, value, TYPE_ERROR)];
  if (!isPercent(value)) return [goInvalid(field, goIntOrString(value), PERCENT_ERROR)];
  return notMoreThan100Percent(value, field);
}

/** IntOrString.String(): the number, or the string as given */
export const intOrPercentString = (value: unknown): string => (typeof value === 'number' ? String(value) : String(value ?? ''));
