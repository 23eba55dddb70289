/**
 * kube's ValidateEndpointSlice (pkg/apis/discovery/validation), with its wording: the
 * address type, at most 1000 endpoints of 1–100 addresses each, every address valid for
 * the slice's type (an IPv4/IPv6 address that is not special, or a fully qualified
 * domain name), node names, hostnames, topology hints, and at most 20000 uniquely named
 * ports (kube raised the limit from 100 in 1.21).
 */
import type { DiscoveryV1EndpointPort, V1Endpoint, V1EndpointSlice } from '@kubernetes/client-node';
import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { KubeObject } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from '../../validation/names.js';
import { validateLabels } from '../../validation/object-meta.js';
import { specialIPErrors } from '../core/endpoints.js';

export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const;
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export const MAX_ENDPOINTS = 1000;
export const MAX_ADDRESSES = 100;
export const MAX_PORTS = 20000;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_HINTS = 8;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalidEach = (field: string, value: unknown, messages: string[]) => messages.map((m) => fieldErrors.invalid(field, value, m));

/** kube's ValidateEndpointIP: a parseable address that is not unspecified, loopback or link-local */
function endpointIPErrors(field: string, address: string): FieldError[] {
  if (!isIP(address)) return [fieldErrors.invalid(field, address, 'must be a valid IP address')];
  if (address === '0.0.0.0' || address === '::') return [fieldErrors.invalid(field, address, `may not be unspecified (${address})`)];
  return invalidEach(field, address, specialIPErrors(address));
}

/** Go counts an IPv4-mapped IPv6 address ("::ffff:1.2.3.4") as IPv4 */
const isIPv4Mapped = (address: string) => /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address);

/** kube's IsFullyQualifiedDomainName: a DNS subdomain of at least two labels, a trailing dot allowed */
function fqdnErrors(field: string, address: string): FieldError[] {
  if (address.length === 0) return [fieldErrors.required(field)];
  const name = address.endsWith('.') ? address.slice(0, -1) : address;
  const subdomain = dns1123Subdomain(name);
  if (subdomain.length) return [fieldErrors.invalid(field, name, subdomain.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [fieldErrors.invalid(field, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errs = dns1123Label(label);
    if (errs.length) return [fieldErrors.invalid(field, label, errs.join(','))];
  }
  return [];
}

function addressErrors(addressType: unknown, field: string, address: unknown): FieldError[] {
  if (typeof address !== 'string') return [fieldErrors.typeInvalid(field, address, 'must be a string')];
  switch (addressType) {
    case 'IPv4':
      return [...(isIPv4(address) ? [] : [fieldErrors.invalid(field, address, 'must be a valid IPv4 address')]), ...endpointIPErrors(field, address)];
    case 'IPv6': {
      const v6 = isIPv6(address) && !isIPv4Mapped(address);
      return [...(v6 ? [] : [fieldErrors.invalid(field, address, 'must be a valid IPv6 address')]), ...endpointIPErrors(field, address)];
    }
    case 'FQDN':
      return fqdnErrors(field, address);
    default:
      // unknown types are reported once, at addressType; their addresses go unchecked, as in kube
      return [];
  }
}

/** forZones (zone names are label values) or forNodes (node names are DNS subdomains) */
function hintErrors(hints: unknown, field: string, check: (name: string) => string[]): FieldError[] {
  if (hints === undefined || hints === null) return [];
  if (!Array.isArray(hints)) return [fieldErrors.typeInvalid(field, hints, 'must be an array')];
  if (hints.length > MAX_HINTS) return [fieldErrors.tooMany(field, hints.length, MAX_HINTS)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  hints.forEach((hint: unknown, i) => {
    const at = `${field}[${i}].name`;
    const name = isRecord(hint) ? hint.name : undefined;
    if (typeof name !== 'string') return void errs.push(fieldErrors.typeInvalid(at, name, 'must be a string'));
    if (seen.has(name)) errs.push(fieldErrors.duplicate(at, name));
    seen.add(name);
    errs.push(...invalidEach(at, name, check(name)));
  });
  return errs;
}

function endpointErrors(ep: V1Endpoint, at: string, addressType: unknown): FieldError[] {
  if (!isRecord(ep)) return [fieldErrors.typeInvalid(at, ep, 'must be an object')];
  const errs: FieldError[] = [];
  const addresses: unknown = ep.addresses;
  if (!Array.isArray(addresses) || addresses.length === 0) errs.push(fieldErrors.required(`${at}.addresses`, 'must contain at least 1 address'));
  else if (addresses.length > MAX_ADDRESSES) errs.push(fieldErrors.tooMany(`${at}.addresses`, addresses.length, MAX_ADDRESSES));
  if (Array.isArray(addresses)) addresses.forEach((a, j) => errs.push(...addressErrors(addressType, `${at}.addresses[${j}]`, a)));
  const conditions: unknown = ep.conditions;
  if (isRecord(conditions)) {
    for (const key of ['ready', 'serving', 'terminating']) {
      const v = conditions[key];
      if (v !== undefined && v !== null && typeof v !== 'boolean') errs.push(fieldErrors.typeInvalid(`${at}.conditions.${key}`, v, 'must be a boolean'));
    }
  }
  if (typeof ep.nodeName === 'string') errs.push(...invalidEach(`${at}.nodeName`, ep.nodeName, dns1123Subdomain(ep.nodeName)));
  const topology = ep.deprecatedTopology;
  if (isRecord(topology)) {
    const count = Object.keys(topology).length;
    if (count > MAX_TOPOLOGY_LABELS) errs.push(fieldErrors.tooMany(`${at}.deprecatedTopology`, count, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topology, `${at}.deprecatedTopology`));
  }
  if (typeof ep.hostname === 'string') errs.push(...invalidEach(`${at}.hostname`, ep.hostname, dns1123Label(ep.hostname)));
  if (isRecord(ep.hints)) {
    errs.push(...hintErrors(ep.hints.forZones, `${at}.hints.forZones`, labelValue));
    errs.push(...hintErrors((ep.hints as Record<string, unknown>).forNodes, `${at}.hints.forNodes`, dns1123Subdomain));
  }
  return errs;
}

function portErrors(value: unknown, at: string, names: Set<string>): FieldError[] {
  if (!isRecord(value)) return [fieldErrors.typeInvalid(at, value, 'must be an object')];
  const port = value as DiscoveryV1EndpointPort;
  const errs: FieldError[] = [];
  const name = port.name ?? '';
  if (name) errs.push(...invalidEach(`${at}.name`, name, dns1123Label(name)));
  if (names.has(name)) errs.push(fieldErrors.duplicate(`${at}.name`, name));
  names.add(name);
  if (!port.protocol) errs.push(fieldErrors.required(`${at}.protocol`));
  else if (!(PORT_PROTOCOLS as readonly string[]).includes(port.protocol)) errs.push(fieldErrors.notSupported(`${at}.protocol`, port.protocol, PORT_PROTOCOLS));
  const number: unknown = port.port;
  // kube checks no range here: int32 is all the type asks
  if (number !== undefined && number !== null && (typeof number !== 'number' || !Number.isInteger(number))) errs.push(fieldErrors.typeInvalid(`${at}.port`, number, 'must be an integer'));
  if (typeof port.appProtocol === 'string') errs.push(...invalidEach(`${at}.appProtocol`, port.appProtocol, qualifiedName(port.appProtocol)));
  return errs;
}

export function validateEndpointSlice(obj: KubeObject): FieldError[] {
  const slice = obj as unknown as V1EndpointSlice;
  const errs: FieldError[] = [];
  const addressType: unknown = slice.addressType;
  if (addressType === undefined || addressType === null || addressType === '') errs.push(fieldErrors.required('addressType'));
  else if (!(ADDRESS_TYPES as readonly unknown[]).includes(addressType)) errs.push(fieldErrors.notSupported('addressType', addressType, ADDRESS_TYPES));

  const endpoints: unknown = slice.endpoints;
  if (endpoints !== undefined && endpoints !== null && !Array.isArray(endpoints)) errs.push(fieldErrors.typeInvalid('endpoints', endpoints, 'must be an array'));
  else if (Array.isArray(endpoints) && endpoints.length > MAX_ENDPOINTS) errs.push(fieldErrors.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  else if (Array.isArray(endpoints)) endpoints.forEach((ep: V1Endpoint, i) => errs.push(...endpointErrors(ep, `endpoints[${i}]`, addressType)));

  const ports: unknown = slice.ports;
  const names = new Set<string>();
  if (ports !== undefined && ports !== null && !Array.isArray(ports)) errs.push(fieldErrors.typeInvalid('ports', ports, 'must be an array'));
  else if (Array.isArray(ports) && ports.length > MAX_PORTS) errs.push(fieldErrors.tooMany('ports', ports.length, MAX_PORTS));
  else if (Array.isArray(ports)) ports.forEach((p: unknown, i) => errs.push(...portErrors(p, `ports[${i}]`, names)));
  return errs;
}

export function validateEndpointSliceUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const now = (obj as unknown as V1EndpointSlice).addressType;
  return now === (old as unknown as V1EndpointSlice).addressType ? [] : [fieldErrors.immutable('addressType', now)];
}
