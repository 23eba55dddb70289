/**
 * Where an Ingress sends traffic (kube's validateIngressBackend): a Service by name with
 * a port given by number or by name (not both), or a typed reference to another object
 * (`resource`), never both. The typed-reference rules are shared with IngressClass
 * parameters.
 */
import type { V1IngressBackend, V1TypedLocalObjectReference } from '@kubernetes/client-node';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1035Label, dns1123Subdomain, pathSegmentName, portName, portNumber } from '../../validation/names.js';

/** apiGroup a DNS subdomain; kind and name required, each one URL path segment */
export function validateTypedReference(ref: Partial<V1TypedLocalObjectReference>, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup !== undefined && ref.apiGroup !== null) for (const msg of dns1123Subdomain(ref.apiGroup)) errs.push(fieldErrors.invalid(`${at}.apiGroup`, ref.apiGroup, msg));
  for (const key of ['kind', 'name'] as const) {
    const value = ref[key];
    if (!value) errs.push(fieldErrors.required(`${at}.${key}`));
    else for (const msg of pathSegmentName(value)) errs.push(fieldErrors.invalid(`${at}.${key}`, value, msg));
  }
  return errs;
}

export function validateIngressBackend(backend: V1IngressBackend | undefined | null, at: string): FieldError[] {
  if (!backend || typeof backend !== 'object') return [fieldErrors.invalid(at, '', 'resource or service backend is required')];
  const { resource, service } = backend;
  if (resource && service) return [fieldErrors.invalid(at, '', 'cannot set both resource and service backends')];
  if (resource) return validateTypedReference(resource, `${at}.resource`);
  if (!service) return [fieldErrors.invalid(at, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  if (!service.name) errs.push(fieldErrors.required(`${at}.service.name`));
  // a Service name is a DNS-1035 label
  else for (const msg of dns1035Label(service.name)) errs.push(fieldErrors.invalid(`${at}.service.name`, service.name, msg));
  const name = service.port?.name ?? '';
  const number = service.port?.number ?? 0;
  if (name && number) errs.push(fieldErrors.invalid(at, '', 'cannot set both port name & port number'));
  else if (name) for (const msg of portName(name)) errs.push(fieldErrors.invalid(`${at}.service.port.name`, name, msg));
  else if (number) for (const msg of portNumber(number)) errs.push(fieldErrors.invalid(`${at}.service.port.number`, number, msg));
  else errs.push(fieldErrors.required(at, 'port name or number is required'));
  return errs;
}
