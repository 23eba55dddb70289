/** A named port (Service, Endpoints) as kube validates it: name, number and protocol. */
import { fieldErrors, type FieldError } from '../errors/field-error.js';
import { dns1123Label, portNumber } from './names.js';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

export function validateNamedPort(port: { name?: string; port?: number; protocol?: string }, at: string, requireName: boolean): FieldError[] {
  if (!port || typeof port !== 'object') return [fieldErrors.typeInvalid(at, port, 'must be an object')];
  const errs: FieldError[] = [];
  if (!port.name) {
    if (requireName) errs.push(fieldErrors.required(`${at}.name`));
  } else {
    for (const msg of dns1123Label(port.name)) errs.push(fieldErrors.invalid(`${at}.name`, port.name, msg));
  }
  for (const msg of portNumber(port.port as number)) errs.push(fieldErrors.invalid(`${at}.port`, port.port, msg));
  if (!port.protocol) errs.push(fieldErrors.required(`${at}.protocol`));
  else if (!(PROTOCOLS as readonly string[]).includes(port.protocol)) errs.push(fieldErrors.notSupported(`${at}.protocol`, port.protocol, PROTOCOLS));
  return errs;
}
