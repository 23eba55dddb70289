/**
 * Name and value syntax checks, worded exactly as k8s.io/apimachinery/pkg/util/validation
 * words them, because kubectl users read these strings verbatim:
 *
 *   metadata.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain must consist of …
 *
 * Each check returns a list of detail strings (empty = valid). The caller wraps them in a
 * FieldError with the path and the value (`fieldErrors.invalid(path, value, detail)`), as kube
 * does, so one helper serves metadata.name, container names, label keys, finalizers, ….
 */
import { isIPv4 } from 'node:net';
import type { NameRule } from '../catalogue/resource-def.js';

/** kube's RegexError: the message, examples in quotes, then the regex (note kube's double space) */
function regexError(message: string, regex: string, ...examples: string[]): string {
  let s = `${message} (e.g. `;
  examples.forEach((example, i) => {
    if (i > 0) s += ' or ';
    s += `'${example}', `;
  });
  return `${s}regex used for validation is '${regex}')`;
}

export const maxLengthError = (length: number) => `must be no more than ${length} characters`;
export const emptyError = () => 'must be non-empty';
export const inclusiveRangeError = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

const anchored = (fmt: string) => new RegExp(`^${fmt}$`);

// RFC 1123 label: DNS names of pods' containers, namespaces, most label-like names.
const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRegexp = anchored(dns1123LabelFmt);

export function dns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLengthError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) errs.push(regexError(dns1123LabelMessage, dns1123LabelFmt, 'my-name', '123-abc'));
  return errs;
}

// RFC 1123 subdomain: the default rule for object names.
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRegexp = anchored(dns1123SubdomainFmt);

export function dns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLengthError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(dns1123SubdomainMessage, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

// RFC 1035 label: Service names (they become DNS labels that must not start with a digit).
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelMessage =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRegexp = anchored(dns1035LabelFmt);

export function dns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLengthError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRegexp.test(value)) errs.push(regexError(dns1035LabelMessage, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

/** Names that only have to be safe as one URL path segment (e.g. RBAC roles). */
export function pathSegmentName(value: string, prefix = false): string[] {
  const errs: string[] = [];
  if (!prefix) {
    for (const illegal of ['.', '..']) if (value === illegal) errs.push(`may not be '${illegal}'`);
  }
  for (const illegal of ['/', '%']) if (value.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

// Qualified name: label and annotation keys, finalizers — `[prefix/]name`.
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const QUALIFIED_NAME_MAX_LENGTH = 63;
const qualifiedNameRegexp = anchored(qualifiedNameFmt);

export function qualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else for (const msg of dns1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameMessage, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (name.length > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLengthError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!qualifiedNameRegexp.test(name)) errs.push(`name part ${regexError(qualifiedNameMessage, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

// Label values: empty, or a qualified name without prefix.
const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRegexp = anchored(labelValueFmt);

export function labelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) errs.push(maxLengthError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) errs.push(regexError(labelValueMessage, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** container and service port names (IANA_SVC_NAME): at most 15 characters, at least one letter */
export function portName(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 15) errs.push(maxLengthError(15));
  if (!/^[-a-z0-9]+$/.test(value)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter (a-z)');
  if (value.includes('--')) errs.push('must not contain consecutive hyphens');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function ipv4(value: string): string[] {
  return isIPv4(value) ? [] : ['must be a valid IPv4 address'];
}

export function portNumber(value: number): string[] {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/**
 * A generateName is checked as a prefix: kube masks one trailing '-' (its quirk: the last two
 * characters become 'a') so 'web-' passes a rule that forbids a trailing dash.
 */
function maskTrailingDash(value: string): string {
  return value.length > 1 && value.endsWith('-') ? `${value.slice(0, -2)}a` : value;
}

/** metadata.name (prefix=false) or metadata.generateName (prefix=true) under a kind's rule. */
export function validateNameByRule(rule: NameRule, value: string, prefix = false): string[] {
  switch (rule) {
    case 'dns1123-subdomain':
      return dns1123Subdomain(prefix ? maskTrailingDash(value) : value);
    case 'dns1123-label':
      return dns1123Label(prefix ? maskTrailingDash(value) : value);
    case 'path-segment':
      return pathSegmentName(value, prefix);
  }
}
