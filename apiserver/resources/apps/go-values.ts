/**
 * kube-apiserver renders a field error's bad value with Go's `%#v` when the value is not a
 * plain string or number (apimachinery field.Error), so the apps kinds' messages carry Go
 * syntax: `Invalid value: map[string]string{"app":"web"}: ...`, `v1.LabelSelector{...}`,
 * `intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}`. kubectl users paste these into
 * searches, so the same text is produced here from the JSON values.
 */
import type { FieldError } from '../../errors/field-error.js';

/** Go's %q, which matches JSON quoting for the printable ASCII that names and labels use */
export const goQuote = (s: string): string => JSON.stringify(s);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** %#v of a map[string]string: keys sorted (fmt sorts maps), nil when absent */
export function goStringMap(m: unknown): string {
  if (!isRecord(m)) return 'map[string]string(nil)';
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** %#v of a []string */
export function goStringSlice(list: unknown): string {
  if (!Array.isArray(list)) return '[]string(nil)';
  return `[]string{${list.map((s) => goQuote(String(s))).join(', ')}}`;
}

/** %#v of a metav1.LabelSelector (the value behind the *LabelSelector kube passes) */
export function goLabelSelector(selector: unknown): string {
  const sel = isRecord(selector) ? selector : {};
  const exprs = sel.matchExpressions;
  const renderedExprs = Array.isArray(exprs)
    ? `[]v1.LabelSelectorRequirement{${exprs
        .map((e) => {
          const r = isRecord(e) ? e : {};
          return `v1.LabelSelectorRequirement{Key:${goQuote(String(r.key ?? ''))}, Operator:${goQuote(String(r.operator ?? ''))}, Values:${goStringSlice(r.values)}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${renderedExprs}}`;
}

/** %#v of an intstr.IntOrString: a JSON number is Type 0, a JSON string Type 1 */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

/** %#v of a pointer field inside a struct: Go prints an address, or a typed nil */
export const goPointer = (type: string, present: boolean): string => `(*${type})(${present ? '0xc000000000' : 'nil'})`;

/** field.Invalid with an already rendered value */
export const goInvalid = (field: string, rendered: string, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${rendered}${detail ? `: ${detail}` : ''}`,
});

/** field.NotSupported with an already rendered value */
export const goNotSupported = (field: string, rendered: string, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${rendered}: supported values: ${supported.map(goQuote).join(', ')}`,
});
