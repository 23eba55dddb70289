/**
 * Host names in Ingress rules and TLS entries: a DNS-1123 subdomain, or a wildcard
 * "*.example.com" (kube's IsWildcardDNS1123Subdomain), and never an IP address.
 */
import { isIP } from 'node:net';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Subdomain, DNS1123_SUBDOMAIN_MAX_LENGTH, maxLengthError } from '../../validation/names.js';

const WILDCARD_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_REGEXP = new RegExp(`^${WILDCARD_FMT}$`);
const WILDCARD_MESSAGE =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

export function wildcardDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLengthError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!WILDCARD_REGEXP.test(value)) errs.push(`${WILDCARD_MESSAGE} (e.g. '*.example.com', regex used for validation is '${WILDCARD_FMT}')`);
  return errs;
}

/** a host with '*' is checked as a wildcard name, any other as a DNS subdomain */
export function hostErrors(host: string): string[] {
  return host.includes('*') ? wildcardDns1123Subdomain(host) : dns1123Subdomain(host);
}

export const NOT_AN_IP = 'must be a DNS name, not an IP address';

/** a rule's host: a (wildcard) DNS name, not an address */
export function validateRuleHost(host: string, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isIP(host)) errs.push(fieldErrors.invalid(at, host, NOT_AN_IP));
  for (const msg of hostErrors(host)) errs.push(fieldErrors.invalid(at, host, msg));
  return errs;
}
