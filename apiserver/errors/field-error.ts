/**
 * Field errors, worded as kube-apiserver words them (k8s.io/apimachinery field.Error), so
 * kubectl prints `The Pod "x" is invalid: spec.containers[0].name: Required value`.
 * Strategies return lists of these; the registry turns them into one 422 Invalid Status.
 */

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound';

export interface FieldError {
  type: FieldErrorType;
  /** JSON path as kube writes it: spec.containers[0].ports[1].containerPort, metadata.labels[app] */
  field: string;
  /** the body after the field, e.g. `Required value` or `Invalid value: "Foo": must be lowercase` */
  message: string;
}

/** Go's %#v-ish rendering kube uses for values in messages: strings quoted, numbers bare. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const fieldErrors = {
  required: (field: string, detail = ''): FieldError => ({
    type: 'FieldValueRequired',
    field,
    message: detail ? `Required value: ${detail}` : 'Required value',
  }),
  invalid: (field: string, value: unknown, detail = ''): FieldError => ({
    type: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${renderValue(value)}${detail ? `: ${detail}` : ''}`,
  }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${renderValue(value)}${supported.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : ''}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({
    type: 'FieldValueDuplicate',
    field,
    message: `Duplicate value: ${renderValue(value)}`,
  }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` }),
  tooLong: (field: string, maxLength: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    message: `Too long: may not be more than ${maxLength} bytes`,
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field,
    message: `Too many: ${actual}: must have at most ${max} items`,
  }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueTypeInvalid',
    field,
    message: `Invalid value: ${renderValue(value)}: ${detail}`,
  }),
  notFound: (field: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field, message: `Not found: ${renderValue(value)}` }),
  /** kube's message for a field that cannot change after creation */
  immutable: (field: string, value: unknown): FieldError => ({
    type: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${renderValue(value)}: field is immutable`,
  }),
};

/** `field: message`, as in kube's aggregate error text */
export const formatFieldError = (e: FieldError) => `${e.field}: ${e.message}`;
