/**
 * Field selectors, with kube's syntax and wording (k8s.io/apimachinery/pkg/fields plus the
 * apiserver's field-label check), written anew.
 *
 *   ?fieldSelector=status.phase=Running,spec.nodeName!=,metadata.name==web
 *
 * - Terms are separated by ',' and ANDed. Operators: '=', '==' (the same) and '!='. The
 *   first operator in a term splits it, so the field name cannot contain one.
 * - In values, '\' escapes ',', '=' and '\' (kube's EscapeValue); any other escape, a
 *   trailing '\' or an unescaped '=' or ',' in a value is an error. '!' needs no escaping:
 *   "a=x!y" is the value "x!y". (kube has no `\!` escape; it is rejected like any unknown one.)
 * - Every field must be selectable on the kind: metadata.name and metadata.namespace always,
 *   plus the ResourceDef's selectableFields.
 * - Values compare as strings; a field the object lacks reads as "" (so `spec.nodeName=`
 *   selects unscheduled pods, and `x!=v` matches objects without x).
 */
import type { KubeObject, ResourceDef } from '../catalogue/resource-def.js';
import { ApiError } from '../errors/api-error.js';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  /** unescaped */
  value: string;
}

export type ObjectMatcher = (obj: KubeObject) => boolean;

/** Split at unescaped commas; escapes stay in the terms (they are undone per value). */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** the first operator occurrence splits: "!=" and "==" are tried before "=" at each position */
function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(raw: string): string {
  if (!/[\\,=]/.test(raw)) return raw;
  let out = '';
  let escaped = false;
  for (const c of raw) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new ApiError('BadRequest', `invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      // kube prints the rune with %v, i.e. as its number
      throw new ApiError('BadRequest', `invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw new ApiError('BadRequest', 'invalid field selector: invalid escape sequence: \\');
  return out;
}

/** kube's EscapeValue: the inverse of the unescaping above */
export const escapeFieldValue = (value: string): string => value.replace(/[\\,=]/g, (c) => `\\${c}`);

/**
 * Parse `?fieldSelector=`; undefined or "" means no requirements. Terms come back in kube's
 * order (sorted as written), which decides which error a bad selector reports first.
 * Throws ApiError BadRequest with kube's message.
 */
export function parseFieldSelector(selector: string | undefined): FieldRequirement[] {
  if (!selector) return [];
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort()) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw new ApiError('BadRequest', `invalid selector: '${selector}'; can't understand '${term}'`);
    const [field, operator, raw] = split;
    requirements.push({ field, operator, value: unescapeValue(raw) });
  }
  return requirements;
}

const ALWAYS_SELECTABLE = ['metadata.name', 'metadata.namespace'];

/**
 * Check every field is selectable on this kind, else 400 BadRequest worded as kube words it:
 * kinds with their own selectable fields (pods, events, nodes, …, CRDs) answer
 * `field label not supported: <field>`; kinds with only the metadata fields answer kube's
 * default `"<field>" is not a known field selector: only "metadata.name", "metadata.namespace"`.
 */
export function checkSelectableFields(def: Pick<ResourceDef, 'selectableFields'>, requirements: readonly FieldRequirement[]): void {
  for (const { field } of requirements) {
    if (ALWAYS_SELECTABLE.includes(field)) continue;
    if (def.selectableFields && Object.prototype.hasOwnProperty.call(def.selectableFields, field)) continue;
    throw new ApiError(
      'BadRequest',
      def.selectableFields ? `field label not supported: ${field}` : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
}

/** the string value kube compares for a selectable field; "" when the object lacks it */
export function fieldValue(def: Pick<ResourceDef, 'selectableFields'>, obj: KubeObject, field: string): string {
  if (field === 'metadata.name') return obj.metadata?.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata?.namespace ?? '';
  const getter = def.selectableFields && Object.prototype.hasOwnProperty.call(def.selectableFields, field) ? def.selectableFields[field] : undefined;
  return getter?.(obj) ?? '';
}

/** AND of the requirements; none match everything. Fields are assumed checked. */
export function fieldRequirementsMatcher(def: Pick<ResourceDef, 'selectableFields'>, requirements: readonly FieldRequirement[]): ObjectMatcher {
  if (requirements.length === 0) return () => true;
  return (obj) =>
    requirements.every((r) => {
      const actual = fieldValue(def, obj, r.field);
      return r.operator === '!=' ? actual !== r.value : actual === r.value;
    });
}

/** parse + check + compile: the matcher for `?fieldSelector=` on this kind (throws BadRequest) */
export function compileFieldSelector(def: Pick<ResourceDef, 'selectableFields'>, selector: string | undefined): ObjectMatcher {
  const requirements = parseFieldSelector(selector);
  checkSelectableFields(def, requirements);
  return fieldRequirementsMatcher(def, requirements);
}

/**
 * The value a selector pins a field to (`metadata.name=x` → "x"), if it does: lets the
 * registry narrow a list or watch to one key, as kube's RequiresExactMatch does.
 */
export function requiredFieldValue(requirements: readonly FieldRequirement[], field: string): string | undefined {
  for (const r of requirements) if (r.field === field && r.operator !== '!=') return r.value;
  return undefined;
}
