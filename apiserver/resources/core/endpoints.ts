/**
 * core/v1 Endpoints: the addresses behind a Service (written by the endpoints controller,
 * or by hand for selector-less Services). Validation follows kube's ValidateEndpoints:
 * addresses are real IPs that are not special (loopback, link-local, unspecified), ports
 * are named when a subset has several.
 */
import type { V1EndpointAddress, CoreV1EndpointPort, V1Endpoints } from '@kubernetes/client-node';
import { isIP, isIPv4 } from 'node:net';
import { ALL_VERBS, type KubeObject, type ResourceDef, type Strategy } from '../../catalogue/resource-def.js';
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Label } from '../../validation/names.js';
import { ageColumn, column, nameColumn } from '../printing.js';
import { validateNamedPort } from '../../validation/ports.js';

const IP_DETAIL = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** kube's validateNonSpecialIP: endpoints must not point at the node itself */
export function specialIPErrors(ip: string): string[] {
  if (ip === '0.0.0.0' || ip === '::') return ['may not be unspecified (0.0.0.0, ::)'];
  if (isIPv4(ip)) {
    const [a, b, c] = ip.split('.').map(Number);
    if (a === 127) return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
    if (a === 169 && b === 254) return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
    if (a === 224 && b === 0 && c === 0) return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
    return [];
  }
  const lower = ip.toLowerCase();
  if (lower === '::1') return ['may not be in the loopback range (127.0.0.0/8, ::1/128)'];
  if (/^fe[89ab]/.test(lower)) return ['may not be in the link-local range (169.254.0.0/16, fe80::/10)'];
  if (lower.startsWith('ff02:')) return ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'];
  return [];
}

function validateAddress(addr: V1EndpointAddress, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!addr || typeof addr !== 'object') return [fieldErrors.typeInvalid(at, addr, 'must be an object')];
  if (!addr.ip) errs.push(fieldErrors.required(`${at}.ip`));
  else if (!isIP(addr.ip)) errs.push(fieldErrors.invalid(`${at}.ip`, addr.ip, IP_DETAIL));
  else for (const msg of specialIPErrors(addr.ip)) errs.push(fieldErrors.invalid(`${at}.ip`, addr.ip, msg));
  if (addr.hostname) for (const msg of dns1123Label(addr.hostname)) errs.push(fieldErrors.invalid(`${at}.hostname`, addr.hostname, msg));
  if (addr.nodeName) {
    // node names are DNS subdomains; a label check is close enough and stricter-safe
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(addr.nodeName)) errs.push(fieldErrors.invalid(`${at}.nodeName`, addr.nodeName, 'a lowercase RFC 1123 subdomain is required'));
  }
  return errs;
}

const validatePort = (port: CoreV1EndpointPort, at: string, requireName: boolean): FieldError[] => validateNamedPort(port, at, requireName);

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const subsets = (obj as V1Endpoints).subsets;
  if (subsets === undefined || subsets === null) return errs;
  if (!Array.isArray(subsets)) return [fieldErrors.typeInvalid('subsets', subsets, 'must be an array')];
  subsets.forEach((ss, i) => {
    const at = `subsets[${i}]`;
    const addresses = ss.addresses ?? [];
    const notReady = ss.notReadyAddresses ?? [];
    if (addresses.length === 0 && notReady.length === 0)
      errs.push(fieldErrors.required(`${at}`, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, `${at}.addresses[${j}]`)));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, `${at}.notReadyAddresses[${j}]`)));
    const ports = ss.ports ?? [];
    const names = new Set<string>();
    ports.forEach((p, j) => {
      errs.push(...validatePort(p, `${at}.ports[${j}]`, ports.length > 1));
      if (p?.name) {
        if (names.has(p.name)) errs.push(fieldErrors.duplicate(`${at}.ports[${j}].name`, p.name));
        names.add(p.name);
      }
    });
  });
  return errs;
}

export const endpointsStrategy: Strategy = {
  defaults(obj) {
    // kube defaults each port's protocol to TCP
    for (const ss of (obj as V1Endpoints).subsets ?? []) for (const p of ss?.ports ?? []) if (p && typeof p === 'object') p.protocol ||= 'TCP';
  },
  validate,
};

const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** kube's formatEndpoints: at most three `ip:port`, then ` + N more...`; "<none>" when empty */
export function formatEndpoints(ep: V1Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(hostPort(a.ip, p.port));
      }
    }
  }
  const text = list.join(',');
  if (more) return `${text} + ${count - max} more...`;
  return text || '<none>';
}

export const endpoints: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  categories: [],
  verbs: [...ALL_VERBS],
  modelName: 'V1Endpoints',
  subresources: [],
  printerColumns: [nameColumn, column('Endpoints', 'string', 'Endpoints of the resource.', (o) => formatEndpoints(o as V1Endpoints)), ageColumn],
  strategy: endpointsStrategy,
};
